/**
 * The Vitals postmortems backend plugin.
 *
 * @packageDocumentation
 */
export { postmortemsPlugin as default } from './plugin';
