import {
  DatabaseService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { runExclusively } from './runExclusively';

/**
 * How often a demo seed retries until it finds what it needs (catalog entities, users), and how long one try may run.
 *
 * @public
 */
export const DEMO_SEED_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 20 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 5 },
  scope: 'global',
};

/**
 * Schedules a plugin's demo seeding when `vitals.demo.enabled` is true; does nothing otherwise.
 *
 * The task runs on one replica at a time (scope `global`) and never twice at once even when a run outlives its
 * timeout ({@link runExclusively} on the plugin's database), so a seed that checks "is there data yet?" and then writes
 * cannot write twice. `seed` returns true when it wrote; `afterSeed` then runs (for example, to trigger a snapshot so
 * that the demo shows at once). A seed that finds nothing to do yet returns false and is tried again.
 *
 * @public
 */
export async function scheduleDemoSeed(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  database: DatabaseService;
  /** The task id, also the name of the exclusive lock: `<plugin>-demo-seed`. */
  id: string;
  seed: () => Promise<boolean | void>;
  afterSeed?: () => Promise<void>;
  schedule?: Partial<SchedulerServiceTaskScheduleDefinition>;
}): Promise<boolean> {
  const { config, scheduler, database, id, seed, afterSeed } = options;
  if (!config.getOptionalBoolean('vitals.demo.enabled')) return false;
  await scheduler.scheduleTask({
    ...DEMO_SEED_SCHEDULE,
    ...options.schedule,
    id,
    fn: async () => {
      const run = await runExclusively(await database.getClient(), id, seed);
      if (run.ran && run.result && afterSeed) await afterSeed();
    },
  });
  return true;
}
