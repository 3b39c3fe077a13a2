import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_EVALUATE_SCHEDULE,
  readEvaluateAtStartSchedule,
  readEvaluateSchedule,
} from './schedules';

function read(data: object) {
  const logger = mockServices.logger.mock();
  const schedule = readEvaluateSchedule(
    mockServices.rootConfig({ data }),
    logger,
  );
  return { schedule, warnings: logger.warn.mock.calls.map(c => c[0]) };
}

describe('readEvaluateSchedule', () => {
  it('evaluates every 30 minutes, the first time 40 seconds after start, on one replica, when nothing is configured', () => {
    expect(read({})).toEqual({
      schedule: DEFAULT_EVALUATE_SCHEDULE,
      warnings: [],
    });
    expect(DEFAULT_EVALUATE_SCHEDULE).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 20 },
      initialDelay: { seconds: 40 },
      scope: 'global',
    });
  });

  it('reads scorecards.schedules.evaluate as a Backstage schedule, keeping the 40 s initial delay unless given', () => {
    expect(
      read({
        scorecards: {
          schedules: {
            evaluate: { frequency: { hours: 2 }, timeout: 'PT45M' },
          },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { hours: 2 },
        timeout: { minutes: 45 },
        initialDelay: { seconds: 40 },
        scope: 'global',
      },
      warnings: [],
    });
    expect(
      read({
        scorecards: {
          schedules: {
            evaluate: {
              frequency: { cron: '*/15 * * * *' },
              timeout: { minutes: 10 },
              initialDelay: { minutes: 5 },
            },
          },
        },
      }).schedule,
    ).toMatchObject({
      frequency: { cron: '*/15 * * * *' },
      initialDelay: { minutes: 5 },
      scope: 'global',
    });
  });

  it('still reads the old scorecards.schedule, with a deprecation warning, and ignores it next to the new key', () => {
    expect(
      read({
        scorecards: {
          schedule: { frequency: { minutes: 5 }, timeout: { minutes: 4 } },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { minutes: 5 },
        timeout: { minutes: 4 },
        initialDelay: { seconds: 40 },
        scope: 'global',
      },
      warnings: [
        'scorecards.schedule is deprecated: move it to scorecards.schedules.evaluate (same shape: { frequency, timeout, initialDelay })',
      ],
    });
    const both = read({
      scorecards: {
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 4 } },
        schedules: {
          evaluate: { frequency: { hours: 1 }, timeout: { minutes: 30 } },
        },
      },
    });
    expect(both.schedule.frequency).toEqual({ hours: 1 });
    expect(both.warnings).toEqual([
      'scorecards.schedule is ignored: scorecards.schedules.evaluate is set; remove the old key',
    ]);
  });

  it('refuses a schedule without a timeout, naming the key', () => {
    expect(() =>
      read({
        scorecards: { schedules: { evaluate: { frequency: { minutes: 5 } } } },
      }),
    ).toThrow(/timeout/);
  });
});

describe('readEvaluateAtStartSchedule', () => {
  const readAtStart = (data: object) =>
    readEvaluateAtStartSchedule(mockServices.rootConfig({ data }));

  it('looks 5 seconds after start, then every 15 seconds, on one replica, when nothing is configured', () => {
    expect(readAtStart({})).toEqual({
      frequency: { seconds: 15 },
      timeout: { minutes: 20 },
      initialDelay: { seconds: 5 },
      scope: 'global',
    });
  });

  it('reads scorecards.schedules.evaluateAtStart, keeping the 5 s initial delay and one replica unless given', () => {
    expect(
      readAtStart({
        scorecards: {
          schedules: {
            evaluateAtStart: { frequency: { minutes: 2 }, timeout: 'PT10M' },
          },
        },
      }),
    ).toEqual({
      frequency: { minutes: 2 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 5 },
      scope: 'global',
    });
    expect(
      readAtStart({
        scorecards: {
          schedules: {
            evaluateAtStart: {
              frequency: { minutes: 1 },
              timeout: { minutes: 5 },
              initialDelay: { minutes: 3 },
            },
          },
        },
      }).initialDelay,
    ).toEqual({ minutes: 3 });
  });

  it('refuses a schedule that is not one, saying which field is wrong', () => {
    expect(() =>
      readAtStart({
        scorecards: { schedules: { evaluateAtStart: { frequency: 'soon' } } },
      }),
    ).toThrow(/frequency|timeout/);
  });
});
