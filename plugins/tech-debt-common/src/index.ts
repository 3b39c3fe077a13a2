/**
 * Types, permissions, validation schemas and the typed HTTP client of the Vitals tech-debt register.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './priority';
export * from './quarter';
export * from './permissions';
export * from './schemas';
export * from './client';
export * from './urls';
