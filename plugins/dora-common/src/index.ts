/**
 * Types, event schemas, tier benchmarks, permissions and the typed HTTP client of Vitals DORA metrics.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './computation';
export * from './schemas';
export * from './permissions';
export * from './client';
export * from './events';
export * from './pipelines';
