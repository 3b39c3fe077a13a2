/**
 * Types, permissions, the catalogue of bindable figures, progress rules, validation schemas and the typed HTTP client
 * of Vitals goals (OKRs bound to live figures) and campaigns.
 *
 * @packageDocumentation
 */
export * from './figures';
export * from './period';
export * from './progress';
export * from './types';
export * from './schemas';
export * from './permissions';
export * from './client';
export * from './units';
