/**
 * The Vitals DX scorecards backend plugin.
 *
 * @packageDocumentation
 */
export { scorecardsPlugin as default } from './plugin';
