/**
 * Helpers shared by every Vitals area.
 *
 * @packageDocumentation
 */
export * from './entityRefs';
export * from './validation';
export * from './csv';
export * from './timestamps';
export * from './queryString';
export * from './pluginHttp';
