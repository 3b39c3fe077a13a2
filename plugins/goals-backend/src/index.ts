/**
 * The Vitals goals and campaigns backend plugin.
 *
 * @packageDocumentation
 */
export { goalsPlugin as default } from './plugin';
