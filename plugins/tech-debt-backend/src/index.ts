/**
 * The Vitals tech-debt register backend plugin.
 *
 * @packageDocumentation
 */
export { techDebtPlugin as default } from './plugin';
