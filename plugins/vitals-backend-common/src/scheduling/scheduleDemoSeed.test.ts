import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { scheduleDemoSeed } from './scheduleDemoSeed';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('scheduleDemoSeed', () => {
  it('schedules nothing unless vitals.demo.enabled', async () => {
    const scheduler = mockServices.scheduler.mock();
    const scheduled = await scheduleDemoSeed({
      config: mockServices.rootConfig({ data: {} }),
      scheduler,
      database: mockServices.database.mock(),
      id: 'widgets-demo-seed',
      seed: async () => true,
    });
    expect(scheduled).toBe(false);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });

  it('runs the seed as a global task and calls afterSeed only when the seed wrote', async () => {
    const knex = await databases.init('SQLITE_3');
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.push(task as SchedulerServiceTaskInvocationDefinition);
      },
    });
    const results = [false, true];
    const afterSeed = jest.fn(async () => undefined);
    await scheduleDemoSeed({
      config: mockServices.rootConfig({
        data: { vitals: { demo: { enabled: true } } },
      }),
      scheduler,
      database: mockServices.database({ knex }),
      id: 'widgets-demo-seed',
      seed: async () => results.shift()!,
      afterSeed,
    });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: 'widgets-demo-seed',
      scope: 'global',
    });
    await tasks[0].fn(new AbortController().signal);
    expect(afterSeed).not.toHaveBeenCalled();
    await tasks[0].fn(new AbortController().signal);
    expect(afterSeed).toHaveBeenCalledTimes(1);
  });
});
