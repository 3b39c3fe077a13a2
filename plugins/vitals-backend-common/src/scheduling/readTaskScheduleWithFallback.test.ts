import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readTaskScheduleWithFallback } from './readTaskScheduleWithFallback';

const defaults = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
  scope: 'global' as const,
};

function read(
  data: object,
  holds: 'frequency' | 'schedule' = 'frequency',
): { schedule: unknown; warnings: string[] } {
  const logger = mockServices.logger.mock();
  const schedule = readTaskScheduleWithFallback(
    new ConfigReader(data),
    logger,
    {
      key: 'a.schedules.sync',
      deprecated: { key: 'a.syncFrequency', holds },
      defaults,
    },
  );
  return {
    schedule,
    warnings: logger.warn.mock.calls.map(([message]) => String(message)),
  };
}

describe('readTaskScheduleWithFallback', () => {
  it('uses the defaults, silently, when neither key is set', () => {
    expect(read({})).toEqual({ schedule: defaults, warnings: [] });
  });

  it('reads the new key, keeping the default initial delay and scope', () => {
    expect(
      read({
        a: { schedules: { sync: { frequency: 'PT2M', timeout: 'PT1M' } } },
      }),
    ).toEqual({
      schedule: {
        frequency: { minutes: 2 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 30 },
        scope: 'global',
      },
      warnings: [],
    });
  });

  it('reads an old plain-duration key as the frequency, with a deprecation warning', () => {
    expect(read({ a: { syncFrequency: { minutes: 3 } } })).toEqual({
      schedule: { ...defaults, frequency: { minutes: 3 } },
      warnings: [
        'a.syncFrequency is deprecated: set a.schedules.sync: { frequency, timeout } instead',
      ],
    });
  });

  it('reads an old key of the same shape, with a deprecation warning', () => {
    expect(
      read(
        { a: { syncFrequency: { frequency: 'PT4M', timeout: 'PT2M' } } },
        'schedule',
      ),
    ).toEqual({
      schedule: {
        frequency: { minutes: 4 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 30 },
        scope: 'global',
      },
      warnings: [
        'a.syncFrequency is deprecated: move it to a.schedules.sync (same shape: { frequency, timeout, initialDelay })',
      ],
    });
  });

  it('prefers the new key and says the old one is ignored when both are set', () => {
    const { schedule, warnings } = read({
      a: {
        syncFrequency: { minutes: 3 },
        schedules: { sync: { frequency: 'PT2M', timeout: 'PT1M' } },
      },
    });
    expect(schedule).toMatchObject({ frequency: { minutes: 2 } });
    expect(warnings).toEqual([
      'a.syncFrequency is ignored: a.schedules.sync is set; remove the old key',
    ]);
  });
});
