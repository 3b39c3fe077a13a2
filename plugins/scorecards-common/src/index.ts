/**
 * Types, the scoring engine, definition schemas, permissions and the typed HTTP client of Vitals DX scorecards.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './engine';
export * from './definitions';
export * from './permissions';
export * from './schemas';
export * from './client';
export * from './factUnits';
export * from './nextActions';
