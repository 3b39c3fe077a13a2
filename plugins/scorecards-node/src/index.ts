/**
 * Extension point and types for adding fact providers to Vitals DX scorecards.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './extensions';
