/**
 * Helpers shared by the Vitals backends: the checks every route makes, migrations and scheduled work that are safe with
 * several replicas, config reading, and small utilities.
 *
 * @packageDocumentation
 */
export * from './migrations';
export * from './scheduling';
export * from './errors';
export * from './http';
export * from './collections';
export * from './catalog';
