import {
  describeCampaign,
  describeDebt,
  describeGoal,
  describeKeyResult,
  describeTrend,
  verdictOf,
  withUnit,
} from './plainLanguage';

describe('plain-language sentences', () => {
  it('writes values with their units as people do', () => {
    expect(withUnit(36, 'h')).toBe('36 h');
    expect(withUnit(66.66, '%')).toBe('66.7%');
    expect(withUnit(1, 'days')).toBe('1 day');
    expect(withUnit(12.5, 'days')).toBe('12.5 days');
    expect(withUnit(1250, '')).toBe('1,250');
  });

  it('says where a key result stands: lead time 48 h → 24 h, now 36 h, is half way on day 46 of 92', () => {
    expect(
      describeKeyResult({
        title: 'Lead time under a day',
        unit: 'h',
        baseline: 48,
        target: 24,
        current: 36,
        progress: 50,
        expectedProgress: 50,
        status: 'on_track',
        manual: false,
        available: true,
        unavailableReason: null,
      }),
    ).toBe(
      'Lead time under a day: 36 h now, from 48 h towards 24 h: 50% of the way (expected 50% by today), on track.',
    );
  });

  it('says a manual key result is typed in, and why a figure has no value', () => {
    expect(
      describeKeyResult({
        title: 'Customer interviews',
        unit: 'interviews',
        baseline: 0,
        target: 20,
        current: 5,
        progress: 25,
        expectedProgress: 50,
        status: 'at_risk',
        manual: true,
        available: true,
        unavailableReason: null,
      }),
    ).toBe(
      'Customer interviews: 5 interviews now (typed in), from 0 interviews towards 20 interviews: 25% of the way (expected 50% by today), at risk.',
    );
    expect(
      describeKeyResult({
        title: 'Coverage',
        unit: '%',
        baseline: null,
        target: 90,
        current: null,
        progress: null,
        expectedProgress: 50,
        status: 'no_data',
        manual: false,
        available: false,
        unavailableReason: 'The ownership area answered 503: down',
      }),
    ).toBe(
      'Coverage: no value yet (The ownership area answered 503: down); target 90%.',
    );
  });

  it('says how far behind a goal is and which key results hold it back (36.7% done against 50%)', () => {
    expect(
      describeGoal({
        objective: 'Ship faster',
        status: 'at_risk',
        progress: 36.7,
        expectedProgress: 50,
        keyResults: [
          { title: 'Lead time under a day', status: 'on_track' },
          { title: 'Ownership coverage', status: 'off_track' },
        ],
      }),
    ).toBe(
      'Ship faster: at risk, 36.7% done against 50% expected (13.3 points behind); held back by Ownership coverage (off track).',
    );
    expect(
      describeGoal({
        objective: 'Fewer incidents',
        status: 'on_track',
        progress: 60,
        expectedProgress: 50,
        keyResults: [{ title: 'Change failure rate', status: 'on_track' }],
      }),
    ).toBe(
      'Fewer incidents: on track, 60% done against 50% expected (ahead of where it should be).',
    );
  });

  it('says what changed between quarters: by a percentage of the old value, shares by points', () => {
    // 30 h → 20 h: 10 of 30 = 33% down; lower is better.
    expect(
      describeTrend({
        label: 'Lead time for changes (median)',
        unit: 'h',
        current: 20,
        previous: 30,
        better: 'down',
      }),
    ).toBe(
      'Lead time for changes (median): 20 h, down from 30 h last quarter (33%): better.',
    );
    // 5% → 8%: 3 points up; lower is better.
    expect(
      describeTrend({
        label: 'Change failure rate',
        unit: '%',
        current: 8,
        previous: 5,
        better: 'down',
      }),
    ).toBe(
      'Change failure rate: 8%, up from 5% last quarter (3 points): worse.',
    );
    // 2.5 → 3.5 a week: 1 of 2.5 = 40% up; higher is better.
    expect(
      describeTrend({
        label: 'Deployment frequency',
        unit: 'deployments a week',
        current: 3.5,
        previous: 2.5,
        better: 'up',
      }),
    ).toBe(
      'Deployment frequency: 3.5 deployments a week, up from 2.5 deployments a week last quarter (40%): better.',
    );
    expect(
      describeTrend({
        label: 'Review time (median)',
        unit: 'h',
        current: 4,
        previous: 4,
        better: 'down',
      }),
    ).toBe('Review time (median): 4 h, the same as last quarter.');
    expect(
      describeTrend({
        label: 'Review time (median)',
        unit: 'h',
        current: 4,
        previous: null,
        better: 'down',
      }),
    ).toBe('Review time (median): 4 h; no data last quarter to compare with.');
    expect(verdictOf(null, 3, 'up')).toBeNull();
  });

  it('says how much of the debt reservation was paid down: 12 of 20 days is 60%, 8 left', () => {
    expect(
      describeDebt({
        reservedDays: 20,
        paidDownDays: 12,
        resolvedCount: 5,
        daysLeftInQuarter: 25,
      }),
    ).toBe(
      'Paid down 12 of the 20 engineer-days reserved for debt (60%, 5 items resolved); 8 days left with 25 days of the quarter to go.',
    );
    expect(
      describeDebt({
        reservedDays: 20,
        paidDownDays: 14.5,
        resolvedCount: 1,
        daysLeftInQuarter: 0,
      }),
    ).toBe(
      'Paid down 14.5 of the 20 engineer-days reserved for debt (73%, 1 item resolved); 5.5 days were left unused.',
    );
    expect(
      describeDebt({
        reservedDays: null,
        paidDownDays: 3,
        resolvedCount: 2,
        daysLeftInQuarter: 10,
      }),
    ).toBe(
      'No days reserved for debt this quarter; 3 days paid down anyway (2 items resolved).',
    );
  });

  it('says how a campaign stands: done of total, when it is due, and why it is at risk', () => {
    expect(
      describeCampaign({
        name: 'Runbooks for every service',
        done: 12,
        entities: 40,
        deadline: '2026-12-18',
        daysToDeadline: 12,
        atRisk: true,
        riskReasons: ['30% done with 70% of its time gone'],
      }),
    ).toBe(
      'Runbooks for every service: 12 of 40 entities done, due 2026-12-18 (in 12 days): at risk, 30% done with 70% of its time gone.',
    );
    expect(
      describeCampaign({
        name: 'TechDocs',
        done: 9,
        entities: 9,
        deadline: '2026-11-30',
        daysToDeadline: -6,
        atRisk: false,
        riskReasons: [],
      }),
    ).toBe('TechDocs: 9 of 9 entities done, ended 2026-11-30: complete.');
  });
});
