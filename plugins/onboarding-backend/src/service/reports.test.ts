import { TeamMemberRecord } from '../database/OnboardingStore';
import { buildOrgReport, buildTeamReport, median } from './reports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STOREFRONT = 'group:default/storefront';
const PLATFORM = 'group:default/platform';
const NOW = new Date('2026-03-20T00:00:00.000Z');

type Row = TeamMemberRecord & { displayName: string | null };
const plus = (from: string, days: number) =>
  new Date(new Date(from).getTime() + Math.round(days * DAY));

function row(
  userRef: string,
  startedAt: string,
  values: Partial<Row> & { change?: number; deploy?: number } = {},
): Row {
  const { change, deploy, ...rest } = values;
  return {
    teamRef: STOREFRONT,
    userRef,
    teamTitle: 'Storefront',
    displayName: null,
    checklists: 1,
    doneCount: 1,
    totalCount: 4,
    startedAt: new Date(startedAt),
    completedAt: null,
    lastProgressAt: null,
    firstChangeAt: change === undefined ? null : plus(startedAt, change),
    firstDeployAt: deploy === undefined ? null : plus(startedAt, deploy),
    ...rest,
  };
}

describe('median', () => {
  it('is the middle value of an odd count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([10, 1, 4, 3])).toBe(3.5);
    expect(median([2, 2])).toBe(2);
  });

  it('is null for no values', () => {
    expect(median([])).toBeNull();
  });
});

describe('buildTeamReport', () => {
  // Five people of one team, at different stages; now is 20 March, stalled after 14 days (before 6 March).
  const rows: Row[] = [
    // Starts 1 March, no progress since and no change: stalled.
    row('user:default/e', '2026-03-01T00:00:00.000Z'),
    // Change after 10 days, not deployed yet; progress on 10 March.
    row('user:default/d', '2026-02-20T00:00:00.000Z', {
      change: 10,
      lastProgressAt: new Date('2026-03-10T00:00:00.000Z'),
    }),
    // Change after 1 day 2.5 hours (1.1 days), deploy after 2 days 20 hours (2.8 days); last progress 1 March: stalled.
    row('user:default/c', '2026-02-10T00:00:00.000Z', {
      change: 1 + 2.5 / 24,
      deploy: 2 + 20 / 24,
      lastProgressAt: new Date('2026-03-01T00:00:00.000Z'),
    }),
    // Started half an hour into February (UTC), change after 4.4 days, deploy after 7 days; progress on 15 March.
    row('user:default/b', '2026-02-01T00:30:00.000Z', {
      change: 4.4,
      deploy: 7,
      lastProgressAt: new Date('2026-03-15T00:00:00.000Z'),
    }),
    // Started an hour before February in UTC (already February east of it); done on 5 February.
    row('user:default/a', '2026-01-31T23:00:00.000Z', {
      change: 2,
      deploy: 3,
      doneCount: 4,
      completedAt: new Date('2026-02-05T00:00:00.000Z'),
      lastProgressAt: new Date('2026-02-05T00:00:00.000Z'),
    }),
  ];

  it('counts who is onboarding, done and stalled', () => {
    const report = buildTeamReport(STOREFRONT, 'Storefront', rows, NOW, 14);
    expect(report).toMatchObject({
      groupRef: STOREFRONT,
      title: 'Storefront',
      onboarding: 4,
      completed: 1,
      stalled: 2,
    });
    // Stalled first, then those onboarding, newest start first, the finished last.
    expect(report.members.map(m => [m.userRef, m.stalled])).toEqual([
      ['user:default/e', true],
      ['user:default/c', true],
      ['user:default/d', false],
      ['user:default/b', false],
      ['user:default/a', false],
    ]);
  });

  it('is not stalled once complete, however old the last progress', () => {
    const report = buildTeamReport(
      STOREFRONT,
      undefined,
      rows,
      new Date('2027-01-01T00:00:00.000Z'),
      14,
    );
    expect(
      report.members.find(m => m.userRef === 'user:default/a'),
    ).toMatchObject({
      stalled: false,
      completedAt: '2026-02-05T00:00:00.000Z',
    });
    expect(report.stalled).toBe(4);
  });

  it('gives each person’s days to first change and deploy with one decimal', () => {
    const days = buildTeamReport(
      STOREFRONT,
      undefined,
      rows,
      NOW,
      14,
    ).members.map(m => [m.userRef, m.daysToFirstChange, m.daysToFirstDeploy]);
    expect(days).toEqual([
      ['user:default/e', undefined, undefined],
      ['user:default/c', 1.1, 2.8],
      ['user:default/d', 10, undefined],
      ['user:default/b', 4.4, 7],
      ['user:default/a', 2, 3],
    ]);
  });

  it('takes standard medians over the people who have a first change (or deploy)', () => {
    const report = buildTeamReport(STOREFRONT, undefined, rows, NOW, 14);
    // First change: 1.104, 2, 4.4, 10 -> (2 + 4.4) / 2 = 3.2. First deploy: 2.833, 3, 7 -> 3.
    expect(report.medianDaysToFirstChange).toBe(3.2);
    expect(report.medianDaysToFirstDeploy).toBe(3);
  });

  it('has no medians when nobody has a first change yet', () => {
    const report = buildTeamReport(STOREFRONT, undefined, [rows[0]], NOW, 14);
    expect(report).toMatchObject({
      medianDaysToFirstChange: null,
      medianDaysToFirstDeploy: null,
    });
    expect(report.cohorts).toEqual([
      {
        cohort: '2026-03',
        people: 1,
        medianDaysToFirstChange: null,
        medianDaysToFirstDeploy: null,
      },
    ]);
  });

  it('groups people into cohorts by the UTC month of their start, oldest first', () => {
    expect(
      buildTeamReport(STOREFRONT, undefined, rows, NOW, 14).cohorts,
    ).toEqual([
      {
        cohort: '2026-01',
        people: 1,
        medianDaysToFirstChange: 2,
        medianDaysToFirstDeploy: 3,
      },
      // Change: 1.104, 4.4, 10 -> 4.4. Deploy: 2.833 and 7 -> 4.917 -> 4.9.
      {
        cohort: '2026-02',
        people: 3,
        medianDaysToFirstChange: 4.4,
        medianDaysToFirstDeploy: 4.9,
      },
      {
        cohort: '2026-03',
        people: 1,
        medianDaysToFirstChange: null,
        medianDaysToFirstDeploy: null,
      },
    ]);
  });
});

describe('team attribution in the reports', () => {
  // x is in Storefront since 1 February and in Platform (another checklist, e.g. of a Platform service) since 15 February.
  const x = [
    row('user:default/x', '2026-02-01T00:00:00.000Z', {
      change: 3,
      deploy: 4,
      lastProgressAt: new Date('2026-03-18T00:00:00.000Z'),
    }),
    row('user:default/x', '2026-02-15T00:00:00.000Z', {
      teamRef: PLATFORM,
      teamTitle: 'Platform',
      checklists: 2,
      doneCount: 3,
      totalCount: 8,
      change: 3.5,
      deploy: 5,
      lastProgressAt: new Date('2026-03-19T00:00:00.000Z'),
    }),
  ];
  const y = row('user:default/y', '2026-02-10T00:00:00.000Z', {
    change: 1,
    deploy: 2,
    lastProgressAt: new Date('2026-03-18T00:00:00.000Z'),
  });

  it('shows a person once in the report of a group spanning their teams, from their earliest start', () => {
    const report = buildTeamReport(
      'group:default/engineering',
      'Engineering',
      [...x, y],
      NOW,
      14,
    );
    // Newest start first: y (10 February), then x (1 February).
    expect(report.members.map(m => m.userRef)).toEqual([
      'user:default/y',
      'user:default/x',
    ]);
    expect(
      report.members.find(m => m.userRef === 'user:default/x'),
    ).toMatchObject({
      checklists: 3,
      done: 4,
      total: 12,
      startedAt: '2026-02-01T00:00:00.000Z',
      lastProgressAt: '2026-03-19T00:00:00.000Z',
      daysToFirstChange: 3,
      daysToFirstDeploy: 4,
    });
    expect(report).toMatchObject({
      onboarding: 2,
      medianDaysToFirstChange: 2,
      medianDaysToFirstDeploy: 3,
    });
    expect(report.cohorts).toEqual([
      {
        cohort: '2026-02',
        people: 2,
        medianDaysToFirstChange: 2,
        medianDaysToFirstDeploy: 3,
      },
    ]);
  });

  it('gives one org row per team, each from the start in that team, and counts a person once in the org cohorts', () => {
    const report = buildOrgReport([y, ...x], NOW, 14);
    expect(report.stalledAfterDays).toBe(14);
    expect(report.teams).toEqual([
      {
        groupRef: PLATFORM,
        title: 'Platform',
        onboarding: 1,
        completed: 0,
        stalled: 0,
        medianDaysToFirstChange: 3.5,
        medianDaysToFirstDeploy: 5,
      },
      // x: 3 and 4 days; y: 1 and 2 days.
      {
        groupRef: STOREFRONT,
        title: 'Storefront',
        onboarding: 2,
        completed: 0,
        stalled: 0,
        medianDaysToFirstChange: 2,
        medianDaysToFirstDeploy: 3,
      },
    ]);
    expect(report.cohorts).toEqual([
      {
        cohort: '2026-02',
        people: 2,
        medianDaysToFirstChange: 2,
        medianDaysToFirstDeploy: 3,
      },
    ]);
  });
});
