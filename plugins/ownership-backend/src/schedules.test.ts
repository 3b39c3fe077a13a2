import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_SNAPSHOT_SCHEDULE, readSnapshotSchedule } from './schedules';

function read(data: object) {
  const logger = mockServices.logger.mock();
  const schedule = readSnapshotSchedule(
    mockServices.rootConfig({ data }),
    logger,
  );
  return { schedule, warnings: logger.warn.mock.calls.map(c => c[0]) };
}

describe('readSnapshotSchedule', () => {
  it('takes every 10 minutes, the first 30 seconds after start, on one replica, when nothing is configured', () => {
    expect(read({})).toEqual({
      schedule: DEFAULT_SNAPSHOT_SCHEDULE,
      warnings: [],
    });
    expect(DEFAULT_SNAPSHOT_SCHEDULE).toMatchObject({
      frequency: { minutes: 10 },
      initialDelay: { seconds: 30 },
      scope: 'global',
    });
  });

  it('reads ownership.schedules.snapshot as a Backstage schedule, keeping the 30 s initial delay unless given', () => {
    expect(
      read({
        ownership: {
          schedules: {
            snapshot: { frequency: { minutes: 1 }, timeout: 'PT5M' },
          },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { minutes: 1 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 30 },
        scope: 'global',
      },
      warnings: [],
    });
    expect(
      read({
        ownership: {
          schedules: {
            snapshot: {
              frequency: { cron: '0 * * * *' },
              timeout: { minutes: 20 },
              initialDelay: { minutes: 2 },
            },
          },
        },
      }).schedule,
    ).toMatchObject({
      frequency: { cron: '0 * * * *' },
      initialDelay: { minutes: 2 },
    });
  });

  it('still reads the old ownership.snapshotFrequency, with a deprecation warning, and ignores it next to the new key', () => {
    expect(read({ ownership: { snapshotFrequency: { minutes: 1 } } })).toEqual({
      schedule: { ...DEFAULT_SNAPSHOT_SCHEDULE, frequency: { minutes: 1 } },
      warnings: [
        'ownership.snapshotFrequency is deprecated: set ownership.schedules.snapshot: { frequency, timeout } instead',
      ],
    });
    const both = read({
      ownership: {
        snapshotFrequency: { minutes: 1 },
        schedules: {
          snapshot: { frequency: { minutes: 5 }, timeout: { minutes: 5 } },
        },
      },
    });
    expect(both.schedule.frequency).toEqual({ minutes: 5 });
    expect(both.warnings).toEqual([
      'ownership.snapshotFrequency is ignored: ownership.schedules.snapshot is set; remove the old key',
    ]);
  });

  it('refuses a schedule without a timeout, naming the key', () => {
    expect(() =>
      read({
        ownership: { schedules: { snapshot: { frequency: { minutes: 1 } } } },
      }),
    ).toThrow(/timeout/);
  });
});
