/**
 * The Vitals ownership health backend plugin.
 *
 * @packageDocumentation
 */
export { ownershipPlugin as default } from './plugin';
