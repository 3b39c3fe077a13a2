/**
 * Types, permissions, validation schemas, the blameless-wording check and the typed HTTP client of Vitals
 * postmortems.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './severity';
export * from './schemas';
export * from './blameless';
export * from './client';
