/**
 * The Vitals DORA metrics backend plugin.
 *
 * @packageDocumentation
 */
export { doraPlugin as default } from './plugin';
