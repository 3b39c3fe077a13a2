/**
 * Types, the confirm permission, validation schemas and the typed HTTP client of Vitals ownership health.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './schemas';
export * from './client';
export * from './contacts';
