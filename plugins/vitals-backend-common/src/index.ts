/**
 * Helpers shared by the Vitals backends.
 *
 * @packageDocumentation
 */
export * from './migrations';
export * from './scheduling';
export * from './errors';
