export { runExclusively } from './runExclusively';
export type { ExclusiveRun } from './runExclusively';
export { scheduleDemoSeed, DEMO_SEED_SCHEDULE } from './scheduleDemoSeed';
export { readTaskSchedule } from './readTaskSchedule';
export { readTaskScheduleWithFallback } from './readTaskScheduleWithFallback';
