import {
  costOfDelay,
  EntityScorecardResult,
  ScorecardDefinition,
  urgencyOf,
  Waiver,
} from '@vitals/plugin-scorecards-common';
import type { DebtItem } from '@vitals/plugin-tech-debt-common';
import {
  entityPath,
  NextActionCandidate,
  onboardingCandidates,
  ownershipCandidates,
  rankNextActions,
  scorecardCandidates,
  techDebtCandidates,
} from './nextActionsRanking';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
const inDays = (days: number) =>
  new Date(NOW.getTime() + days * DAY).toISOString();

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Has an owner',
      fact: 'catalog.hasOwner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'runbook',
      title: 'Has a runbook',
      fact: 'catalog.hasRunbook',
      operator: '==',
      threshold: true,
      level: 'silver',
    },
    {
      id: 'docs',
      title: 'Has TechDocs',
      fact: 'catalog.hasTechDocs',
      operator: '==',
      threshold: true,
      level: 'gold',
    },
  ],
};

const failing = (checkId: string, waiver: Waiver | null = null) => ({
  checkId,
  value: false,
  passed: false,
  score: 0,
  message: 'false is not == true',
  waiver: waiver
    ? {
        id: waiver.id,
        reason: waiver.reason,
        expiresAt: waiver.expiresAt,
        createdBy: waiver.createdBy,
      }
    : null,
});

const waiverOf = (overrides: Partial<Waiver>): Waiver => ({
  id: 'w1',
  entityRef: 'component:default/ledger',
  scorecardId: 'prod',
  checkId: 'runbook',
  reason: 'Runbook being written',
  expiresAt: inDays(6),
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'user:default/jane',
  revokedAt: null,
  revokedBy: null,
  version: 1,
  ...overrides,
});

const item = (overrides: Partial<DebtItem>): DebtItem => ({
  id: 'd1',
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/payments',
  systemRef: null,
  title: 'Upgrade Node.js',
  description: '',
  category: 'dependency',
  impact: 4,
  effortDays: 2,
  interestHoursPerMonth: 16,
  status: 'open',
  assignee: null,
  trackerUrl: null,
  tags: [],
  priority: 3,
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-10-01T00:00:00.000Z',
  updatedBy: 'user:default/jane',
  resolvedAt: null,
  incidentCount: 0,
  incidents: [],
  measuredInterest: { windowDays: 90, incidents: 0, restoreMinutes: 0 },
  ...overrides,
});

describe('costOfDelay (worked by hand)', () => {
  it.each([
    // impact, effort, days left, interest days/month → urgency, score
    ['a bronze check: 5 × 1 ÷ 1', 5, 1, null, null, 1, 5],
    ['debt costing 16 h/month: 4 × (1 + 2) ÷ 2', 4, 2, null, 2, 3, 6],
    ['interest is capped at 2: 4 × (1 + 2) ÷ 2', 4, 2, null, 5, 3, 6],
    [
      'a waiver ending in 6 days: 4 × (1 + 2 × 24/30) ÷ 1',
      4,
      1,
      6,
      null,
      2.6,
      10.4,
    ],
    [
      'a deadline 30 days or more away adds nothing: 4 × 1 ÷ 1',
      4,
      1,
      40,
      null,
      1,
      4,
    ],
    [
      'past the deadline counts as on it: 3 × (1 + 2) ÷ 1',
      3,
      1,
      -3,
      null,
      3,
      9,
    ],
    ['both: 2 × (1 + 2 × 15/30 + 0.5) ÷ 1', 2, 1, 15, 0.5, 2.5, 5],
    [
      'effort is floored at a quarter day: 5 × 1 ÷ 0.25',
      5,
      0.05,
      null,
      null,
      1,
      20,
    ],
    ['rounded to two decimals: 1 × 1 ÷ 3', 1, 3, null, null, 1, 0.33],
  ])(
    '%s',
    (
      _what,
      impact,
      effortDays,
      deadlineInDays,
      interestDaysPerMonth,
      urgency,
      score,
    ) => {
      const inputs = {
        impact,
        effortDays,
        deadlineInDays,
        interestDaysPerMonth,
      };
      expect(urgencyOf(inputs)).toBeCloseTo(urgency, 10);
      expect(costOfDelay(inputs)).toBe(score);
    },
  );
});

describe('the candidates of each area', () => {
  it('turns failing checks into actions whose impact follows the level, and skips passed and waived checks', () => {
    const result: EntityScorecardResult = {
      entityRef: 'component:default/ledger',
      ownerRef: 'group:default/payments',
      systemRef: null,
      scorecardId: 'prod',
      levelId: null,
      levelIndex: -1,
      score: 0,
      evaluatedAt: NOW.toISOString(),
      changedAt: NOW.toISOString(),
      checks: [
        failing('owner'),
        failing('runbook', waiverOf({})),
        failing('docs'),
      ],
    };
    const actions = rankNextActions(
      scorecardCandidates({
        results: [result],
        waivers: [],
        definitions: [CARD],
        now: NOW,
      }),
    );
    expect(actions.map(a => [a.id, a.score])).toEqual([
      // Below bronze: the bronze check is the baseline (5); gold is two levels up (2).
      ['scorecard-check:component:default/ledger:prod:owner', 5],
      ['scorecard-check:component:default/ledger:prod:docs', 2],
    ]);
    expect(actions[0]).toMatchObject({
      rank: 1,
      title: 'Pass “Has an owner” (Production readiness)',
      reason:
        'Fails: false is not == true. Bronze check, impact 5 of 5 as a check of the lowest level; about 1 day of work.',
      link: '/catalog/default/component/ledger/scorecards',
    });
  });

  it('lists a waiver that ends within 30 days while its check still fails, and no other', () => {
    const soon = waiverOf({ id: 'soon', expiresAt: inDays(6.5) });
    const later = waiverOf({
      id: 'later',
      checkId: 'docs',
      expiresAt: inDays(45),
    });
    const result: EntityScorecardResult = {
      entityRef: 'component:default/ledger',
      ownerRef: 'group:default/payments',
      systemRef: null,
      scorecardId: 'prod',
      levelId: 'bronze',
      levelIndex: 0,
      score: 66.7,
      evaluatedAt: NOW.toISOString(),
      changedAt: NOW.toISOString(),
      checks: [
        {
          ...failing('owner'),
          passed: true,
          value: true,
          score: 100,
          message: null,
        },
        failing('runbook', soon),
        failing('docs', later),
      ],
    };
    const passingOnItsOwn = waiverOf({
      id: 'moot',
      checkId: 'owner',
      expiresAt: inDays(2),
    });
    const actions = rankNextActions(
      scorecardCandidates({
        results: [result],
        waivers: [soon, later, passingOnItsOwn],
        definitions: [CARD],
        now: NOW,
      }),
    );
    expect(actions).toHaveLength(1);
    // Silver is the level after bronze (impact 4); 6 whole days left: 4 × (1 + 2 × 24/30) ÷ 1 = 10.4.
    expect(actions[0]).toMatchObject({
      id: 'waiver-expiring:soon',
      kind: 'waiver-expiring',
      score: 10.4,
      inputs: {
        impact: 4,
        effortDays: 1,
        deadlineInDays: 6,
        interestDaysPerMonth: null,
      },
      deadline: soon.expiresAt,
      link: '/catalog/default/component/ledger/scorecards',
    });
    expect(actions[0].reason).toBe(
      'The waiver (“Runbook being written”) ends in 6 days (2026-12-08) and the check still fails: false is not == true. Impact 4 of 5 as it blocks the next level.',
    );
  });

  it('scores debt items by their own impact, effort and interest', () => {
    const [action] = rankNextActions(techDebtCandidates([item({})]));
    expect(action).toMatchObject({
      id: 'tech-debt:d1',
      score: 6,
      inputs: {
        impact: 4,
        effortDays: 2,
        deadlineInDays: null,
        interestDaysPerMonth: 2,
      },
      reason:
        'Open debt (open): impact 4 of 5, costs 16 hours a month; about 2 days of work.',
      link: '/catalog/default/component/payments-api/tech-debt',
    });
  });

  it('gives one action per entity problem and one per owning group for the group’s own problems', () => {
    const actions = rankNextActions(
      ownershipCandidates([
        {
          entityRef: 'component:default/ledger',
          kind: 'component',
          title: 'Ledger',
          systemRef: null,
          ownerRef: 'group:default/payments',
          problems: [
            {
              kind: 'owner-single-member',
              message: 'The owner has a single member.',
            },
            {
              kind: 'confirmation-overdue',
              message: 'Ownership was last confirmed over 90 days ago.',
            },
          ],
          lastConfirmedAt: null,
          lastConfirmedBy: null,
        },
        {
          entityRef: 'component:default/payments-api',
          kind: 'component',
          title: null,
          systemRef: null,
          ownerRef: 'group:default/payments',
          problems: [
            {
              kind: 'owner-single-member',
              message: 'The owner has a single member.',
            },
          ],
          lastConfirmedAt: null,
          lastConfirmedBy: null,
        },
      ]),
    );
    expect(actions.map(a => [a.id, a.score])).toEqual([
      // 3 × 1 ÷ 0.5 = 6, then 1 × (1 + 2) ÷ 0.5 = 6: equal, the one with a deadline first.
      ['ownership:component:default/ledger:confirmation-overdue', 6],
      ['ownership:group:default/payments:owner-single-member', 6],
    ]);
    expect(actions[1]).toMatchObject({
      title: 'Add a second member to payments',
      entityRef: 'group:default/payments',
      reason:
        'The owner has a single member; it owns 2 entities with this problem (ledger, payments-api). Impact 3 of 5.',
      link: '/catalog/default/group/payments',
    });
    expect(actions[0].title).toBe('Confirm who owns Ledger');
  });

  it('lists stalled newcomers only, as overdue', () => {
    const actions = rankNextActions(
      onboardingCandidates(
        [
          {
            userRef: 'user:default/jane',
            displayName: 'Jane',
            checklists: 1,
            done: 3,
            total: 12,
            startedAt: '2026-10-01T00:00:00.000Z',
            lastProgressAt: '2026-11-11T12:00:00.000Z',
            stalled: true,
          },
          {
            userRef: 'user:default/sam',
            checklists: 1,
            done: 1,
            total: 12,
            startedAt: '2026-11-28T00:00:00.000Z',
            stalled: false,
          },
        ],
        NOW,
      ),
    );
    // 3 × (1 + 2) ÷ 1 = 9.
    expect(actions).toEqual([
      expect.objectContaining({
        id: 'onboarding:user:default/jane',
        title: 'Unblock Jane’s onboarding',
        score: 9,
        reason: expect.stringMatching(
          /^No progress for 20 days: 3 of 12 steps done\./,
        ),
        link: '/onboarding/teams',
      }),
    ]);
  });
});

describe('rankNextActions', () => {
  const candidate = (
    id: string,
    kind: NextActionCandidate['kind'],
    impact: number,
    deadlineInDays: number | null = null,
  ): NextActionCandidate => ({
    id,
    kind,
    title: id,
    entityRef: 'component:default/a',
    reason: id,
    inputs: {
      impact,
      effortDays: 1,
      deadlineInDays,
      interestDaysPerMonth: null,
    },
    deadline: null,
    link: '/',
  });

  it('ranks by score, then the nearer deadline, then the kind, whatever order the areas answered in', () => {
    const candidates = [
      candidate('debt-3', 'tech-debt', 3), // 3
      candidate('check-3', 'scorecard-check', 3), // 3, scorecard checks come before debt at a tie
      candidate('waiver', 'waiver-expiring', 2, 15), // 2 × (1 + 1) = 4
      candidate('onboarding', 'onboarding', 2, 0), // 2 × 3 = 6
      candidate('ownership', 'ownership', 3, 30), // 3 × (1 + 0) = 3, has a deadline: before the other 3s
      candidate('check-5', 'scorecard-check', 5), // 5
    ];
    const expected = [
      'onboarding',
      'check-5',
      'waiver',
      'ownership',
      'check-3',
      'debt-3',
    ];
    expect(rankNextActions(candidates).map(a => a.id)).toEqual(expected);
    expect(
      rankNextActions([...candidates].reverse()).map(a => [a.rank, a.id]),
    ).toEqual(expected.map((id, i) => [i + 1, id]));
  });

  it('links to entity pages by their path', () => {
    expect(entityPath('component:default/payments-api')).toBe(
      '/catalog/default/component/payments-api',
    );
    expect(entityPath('group:ops/platform team', 'tech-debt')).toBe(
      '/catalog/ops/group/platform%20team/tech-debt',
    );
  });
});
