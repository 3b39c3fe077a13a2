import { computePriority, quadrantOf } from './priority';
import { quarterOf, quarterRange } from './quarter';

describe('computePriority', () => {
  it('is cost of delay over effort: (impact + interest hours / 8) / effort days', () => {
    expect(
      computePriority({
        impact: 3,
        effortDays: 0.5,
        interestHoursPerMonth: 16,
      }),
    ).toBe(10);
    expect(computePriority({ impact: 5, effortDays: 20 })).toBe(0.25);
    expect(
      computePriority({ impact: 4, effortDays: 1, interestHoursPerMonth: 3 }),
    ).toBe(4.38);
  });

  it('ranks a cheap fix above an expensive rewrite of the same impact', () => {
    expect(computePriority({ impact: 3, effortDays: 1 })).toBeGreaterThan(
      computePriority({ impact: 3, effortDays: 10 }),
    );
  });

  it('puts high impact, low effort in the quick-win quadrant', () => {
    expect(quadrantOf({ impact: 4, effortDays: 2 })).toBe('quick-win');
    expect(quadrantOf({ impact: 4, effortDays: 20 })).toBe('major-project');
    expect(quadrantOf({ impact: 1, effortDays: 1 })).toBe('fill-in');
    expect(quadrantOf({ impact: 2, effortDays: 30 })).toBe('money-pit');
  });
});

describe('quarters', () => {
  it('maps instants to UTC quarters and back', () => {
    expect(quarterOf(new Date('2026-11-26T05:00:00Z'))).toBe('2026-Q4');
    expect(quarterOf(new Date('2026-03-31T23:59:59Z'))).toBe('2026-Q1');
    const q = quarterRange('2026-Q4');
    expect(q.start.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(q.end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(() => quarterRange('2026-Q5')).toThrow(/Invalid quarter/);
  });
});
