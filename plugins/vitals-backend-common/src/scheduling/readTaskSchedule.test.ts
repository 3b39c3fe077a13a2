import { ConfigReader } from '@backstage/config';
import { readTaskSchedule } from './readTaskSchedule';

const defaults = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
  scope: 'global' as const,
};

describe('readTaskSchedule', () => {
  it('uses the defaults when the key is absent', () => {
    expect(readTaskSchedule(new ConfigReader({}), 'a.schedule', defaults)).toBe(
      defaults,
    );
  });

  it('reads the Backstage schedule shape, keeping the global scope', () => {
    const config = new ConfigReader({
      a: { schedule: { frequency: 'PT2M', timeout: { minutes: 1 } } },
    });
    expect(readTaskSchedule(config, 'a.schedule', defaults)).toEqual({
      frequency: { minutes: 2 },
      timeout: { minutes: 1 },
      scope: 'global',
    });
  });

  it('names the key of a schedule without the required timeout', () => {
    const config = new ConfigReader({ a: { schedule: { frequency: 'PT2M' } } });
    expect(() => readTaskSchedule(config, 'a.schedule', defaults)).toThrow(
      /timeout/,
    );
  });
});
