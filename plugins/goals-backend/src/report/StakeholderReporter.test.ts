import { campaignStanding, previousQuarter } from './StakeholderReporter';

describe('campaignStanding', () => {
  const campaign = {
    name: 'Runbooks',
    // Launched 1 November, due 30 November: 30 days.
    createdAt: '2026-11-01T00:00:00.000Z',
    deadline: '2026-11-30',
  };

  it('is at risk when the share done trails the share of time gone by more than 10 points', () => {
    // 21 of 30 days gone = 70%; 12 of 40 done = 30%: 40 points behind.
    const standing = campaignStanding(
      campaign,
      { entities: 40, done: 12, infeasibleTeams: [] },
      new Date('2026-11-22T00:00:00Z'),
    );
    expect(standing).toMatchObject({
      daysToDeadline: 8,
      atRisk: true,
      riskReasons: ['30% done with 70% of its time gone'],
    });
    // 26 of 40 = 65%, 5 points behind: not at risk.
    expect(
      campaignStanding(
        campaign,
        { entities: 40, done: 26, infeasibleTeams: [] },
        new Date('2026-11-22T00:00:00Z'),
      ).atRisk,
    ).toBe(false);
  });

  it("is at risk when a team's work left does not fit its debt budget, and never once ended", () => {
    const running = campaignStanding(
      campaign,
      { entities: 40, done: 30, infeasibleTeams: ['group:default/storefront'] },
      new Date('2026-11-22T00:00:00Z'),
    );
    expect(running.riskReasons).toEqual([
      'the work left does not fit in the debt budget of group:default/storefront',
    ]);
    const ended = campaignStanding(
      campaign,
      { entities: 40, done: 30, infeasibleTeams: ['group:default/storefront'] },
      new Date('2026-12-02T00:00:00Z'),
    );
    expect(ended).toMatchObject({ daysToDeadline: -2, atRisk: false });
    expect(ended.sentence).toBe(
      'Runbooks: 30 of 40 entities done, ended 2026-11-30: ended unfinished.',
    );
  });

  it('knows the quarter before', () => {
    expect(previousQuarter('2026-Q4')).toBe('2026-Q3');
    expect(previousQuarter('2027-Q1')).toBe('2026-Q4');
  });
});
