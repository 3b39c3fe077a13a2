/**
 * Types, template and request schemas, the reset permission and the typed HTTP client of Vitals onboarding checklists.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './schemas';
export * from './client';
