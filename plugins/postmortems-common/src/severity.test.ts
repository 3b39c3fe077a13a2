import {
  DEFAULT_MINIMUM_SEVERITY,
  DEFAULT_SEVERITY_LEVELS,
  isQualifyingSeverity,
  qualifyingSeverityKeys,
} from './severity';

describe('severities', () => {
  const keys = qualifyingSeverityKeys(
    DEFAULT_SEVERITY_LEVELS,
    DEFAULT_MINIMUM_SEVERITY,
  );

  it('qualifies the levels at or above the minimum, by any of their names', () => {
    expect(keys).toEqual(['sev1', 'p1', 'critical', 'sev2', 'p2', 'high']);
    for (const severity of ['SEV1', ' p2 ', 'High', 'critical']) {
      expect({ severity, q: isQualifyingSeverity(severity, keys) }).toEqual({
        severity,
        q: true,
      });
    }
    for (const severity of ['SEV3', 'low', 'P5', 'unknown-level']) {
      expect({ severity, q: isQualifyingSeverity(severity, keys) }).toEqual({
        severity,
        q: false,
      });
    }
  });

  it('lets an incident without a severity qualify only when told to', () => {
    expect(isQualifyingSeverity(null, keys)).toBe(false);
    expect(isQualifyingSeverity('  ', keys, true)).toBe(true);
  });

  it('refuses a minimum that names no level, and a name used by two levels', () => {
    expect(() => qualifyingSeverityKeys([['SEV1'], ['SEV2']], 'SEV9')).toThrow(
      /SEV9.*none of the levels/,
    );
    expect(() =>
      qualifyingSeverityKeys([['SEV1', 'P1'], ['p1']], 'SEV1'),
    ).toThrow(/levels 1 and 2/);
  });
});
