export { runExclusively } from './runExclusively';
export type { ExclusiveRun } from './runExclusively';
