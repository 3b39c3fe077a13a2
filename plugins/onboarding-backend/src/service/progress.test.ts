import {
  onboardingTemplateSchema,
  OnboardingTemplate,
} from '@vitals/plugin-onboarding-common';
import {
  ChecklistRecord,
  ShaRecord,
  StepStateRecord,
  UserState,
} from '../database/OnboardingStore';
import { evaluateProgress, firstValueSince } from './progress';
import { buildTeamReport } from './reports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USER = 'user:default/jane';
const PAYMENTS = 'group:default/payments';
const STOREFRONT = 'group:default/storefront';
/** The checklists' start in most tests. */
const START = new Date('2026-03-10T09:00:00.000Z');
const at = (days: number) => new Date(START.getTime() + Math.round(days * DAY));

const template = (
  name: string,
  targets: object,
  steps: object[],
): OnboardingTemplate =>
  onboardingTemplateSchema.parse({
    apiVersion: 'vitals/v1',
    kind: 'OnboardingTemplate',
    metadata: { name, title: name },
    spec: { targets, steps },
  });

const TEMPLATES = new Map<string, OnboardingTemplate>([
  [
    'basics',
    template('basics', { groups: [STOREFRONT] }, [
      { id: 'laptop', title: 'Laptop' },
      { id: 'handbook', title: 'Handbook' },
    ]),
  ],
  [
    'service',
    template('service', { kinds: ['component'] }, [
      { id: 'clone', title: 'Clone' },
    ]),
  ],
]);

function checklist(
  overrides: Partial<ChecklistRecord> &
    Pick<ChecklistRecord, 'checklistId' | 'templateId'>,
): ChecklistRecord {
  return {
    userRef: USER,
    entityRef: null,
    teamRef: STOREFRONT,
    teamTitle: 'Storefront',
    origin: 'membership',
    active: true,
    startedAt: START,
    doneCount: 0,
    totalCount: 0,
    lastProgressAt: null,
    completedAt: null,
    ...overrides,
  };
}

const sha = (
  name: string,
  mergedAt: Date | null,
  deployedAt: Date | null,
  entityRef = 'component:default/checkout-api',
): ShaRecord => ({
  entityRef,
  sha: `${name}0000000`,
  changeId: `pr-${name}`,
  mergedAt,
  deployedAt,
  deploymentId: deployedAt ? `deploy-${name}` : null,
});

const tick = (
  checklistId: string,
  stepId: string,
  when: Date,
): StepStateRecord => ({
  checklistId,
  stepId,
  done: true,
  completedAt: when,
  progressAt: when,
  completedBy: 'user',
  evidence: null,
});

function evaluate(
  state: Partial<UserState>,
  now = at(20),
  stalledAfterDays = 14,
) {
  return evaluateProgress({
    userRef: USER,
    state: {
      checklists: [],
      steps: [],
      shas: [],
      visits: [],
      teams: [],
      person: null,
      ...state,
    },
    templateOf: id => TEMPLATES.get(id),
    now,
    stalledAfterDays,
  });
}

describe('time to first value', () => {
  // Merged two days before the start but deployed a day after it: work from before the start.
  const beforeStart = sha('a', at(-2), at(1));
  // A deployment recorded for a sha whose change never arrived (not known as the person's merged change).
  const deployOnly = sha('d', null, at(2));
  // Merged 3.5 days after the start, deployed at day 5.
  const first = sha('b', at(3.5), at(5));
  // Merged later (day 4) but deployed earlier (day 4.3) than the first change: the first deploy is this one.
  const second = sha('c', at(4), at(4.3));

  it('ignores a change merged before the start even when it was deployed after it', () => {
    expect(firstValueSince([beforeStart, deployOnly], START)).toEqual({
      firstChangeAt: null,
      firstDeployAt: null,
    });
    const { write } = evaluate({
      checklists: [checklist({ checklistId: 'basics', templateId: 'basics' })],
      shas: [beforeStart, deployOnly],
    });
    expect(write.person).toMatchObject({
      startedAt: START,
      firstChangeAt: null,
      firstDeployAt: null,
    });
    expect(write.teams).toEqual([
      expect.objectContaining({
        teamRef: STOREFRONT,
        firstChangeAt: null,
        firstDeployAt: null,
      }),
    ]);
  });

  it('takes the earliest merge at or after the start, and the earliest deployment of a change merged since', () => {
    expect(
      firstValueSince([second, beforeStart, first, deployOnly], START),
    ).toEqual({
      firstChangeAt: new Date('2026-03-13T21:00:00.000Z'), // start + 3.5 days
      firstDeployAt: new Date('2026-03-14T16:12:00.000Z'), // start + 4.3 days (change c), not start + 1 day (change a)
    });
    // A change merged exactly at the start counts.
    expect(firstValueSince([sha('e', START, null)], START)).toEqual({
      firstChangeAt: START,
      firstDeployAt: null,
    });
  });

  it('shows days to first deploy no shorter than days to first change in the team report', () => {
    const { write } = evaluate({
      checklists: [checklist({ checklistId: 'basics', templateId: 'basics' })],
      shas: [beforeStart, deployOnly, first, second],
    });
    expect(write.person).toMatchObject({
      firstChangeAt: at(3.5),
      firstDeployAt: at(4.3),
    });
    const report = buildTeamReport(
      STOREFRONT,
      'Storefront',
      write.teams!.map(t => ({ ...t, displayName: 'Jane' })),
      at(20),
      14,
    );
    expect(report.members).toEqual([
      expect.objectContaining({
        userRef: USER,
        daysToFirstChange: 3.5,
        daysToFirstDeploy: 4.3,
        firstChangeMergedAt: '2026-03-13T21:00:00.000Z',
        firstDeployedAt: '2026-03-14T16:12:00.000Z',
      }),
    ]);
    expect(report).toMatchObject({
      medianDaysToFirstChange: 3.5,
      medianDaysToFirstDeploy: 4.3,
    });
  });
});

describe('team attribution', () => {
  it('counts a team checklist for the person’s team and an entity checklist for the entity’s owner, each from its own start', () => {
    const paymentsStart = at(10);
    const { write } = evaluate({
      checklists: [
        checklist({ checklistId: 'basics', templateId: 'basics' }),
        checklist({
          checklistId: 'service:component:default/payments-api',
          templateId: 'service',
          entityRef: 'component:default/payments-api',
          teamRef: PAYMENTS,
          teamTitle: 'Payments',
          startedAt: paymentsStart,
        }),
      ],
      steps: [
        tick('basics', 'laptop', at(1)),
        tick('service:component:default/payments-api', 'clone', at(11)),
      ],
      // Day 3.5: before the Payments checklist started; day 12: after.
      shas: [
        sha('b', at(3.5), at(5)),
        sha('f', at(12), at(13), 'component:default/payments-api'),
      ],
    });
    expect(write.teams).toEqual([
      {
        teamRef: PAYMENTS,
        userRef: USER,
        teamTitle: 'Payments',
        checklists: 1,
        doneCount: 1,
        totalCount: 1,
        startedAt: paymentsStart,
        completedAt: at(11),
        lastProgressAt: at(11),
        firstChangeAt: at(12),
        firstDeployAt: at(13),
      },
      {
        teamRef: STOREFRONT,
        userRef: USER,
        teamTitle: 'Storefront',
        checklists: 1,
        doneCount: 1,
        totalCount: 2,
        startedAt: START,
        completedAt: null,
        lastProgressAt: at(1),
        firstChangeAt: at(3.5),
        firstDeployAt: at(5),
      },
    ]);
    // The person's own figures run from their earliest checklist.
    expect(write.person).toMatchObject({
      startedAt: START,
      firstChangeAt: at(3.5),
      firstDeployAt: at(5),
    });
  });

  it('leaves checklists without a team out of the team rows, and inactive ones out of everything', () => {
    const stale = {
      teamRef: PAYMENTS,
      userRef: USER,
      teamTitle: 'Payments',
      checklists: 1,
      doneCount: 0,
      totalCount: 1,
      startedAt: START,
      completedAt: null,
      lastProgressAt: null,
      firstChangeAt: null,
      firstDeployAt: null,
    };
    const { checklists, write } = evaluate({
      teams: [stale],
      checklists: [
        checklist({
          checklistId: 'basics',
          templateId: 'basics',
          teamRef: null,
          teamTitle: null,
        }),
        checklist({
          checklistId: 'service:component:default/x',
          templateId: 'service',
          entityRef: 'component:default/x',
          teamRef: PAYMENTS,
          active: false,
        }),
      ],
    });
    expect(checklists.map(c => c.id)).toEqual(['basics']);
    expect(write.teams).toEqual([]);
    expect(write.person).toMatchObject({ startedAt: START });
  });
});

describe('stalled checklists', () => {
  // 20 days after the start, stalled after 14 days without progress: progress before day 6 is too old.
  it('is stalled when nothing happened for stalledAfterDays days', () => {
    const { checklists } = evaluate({
      checklists: [checklist({ checklistId: 'basics', templateId: 'basics' })],
      steps: [tick('basics', 'laptop', at(5))],
    });
    expect(checklists[0]).toMatchObject({
      done: 1,
      total: 2,
      stalled: true,
      lastProgressAt: at(5).toISOString(),
    });
  });

  it('is not stalled with progress within stalledAfterDays days', () => {
    const { checklists } = evaluate({
      checklists: [checklist({ checklistId: 'basics', templateId: 'basics' })],
      steps: [tick('basics', 'laptop', at(7))],
    });
    expect(checklists[0]).toMatchObject({ done: 1, stalled: false });
  });

  it('counts a checklist without any progress from its start', () => {
    expect(
      evaluate(
        {
          checklists: [
            checklist({ checklistId: 'basics', templateId: 'basics' }),
          ],
        },
        at(13),
      ).checklists[0].stalled,
    ).toBe(false);
    expect(
      evaluate(
        {
          checklists: [
            checklist({ checklistId: 'basics', templateId: 'basics' }),
          ],
        },
        at(15),
      ).checklists[0].stalled,
    ).toBe(true);
  });

  it('is never stalled once complete', () => {
    const { checklists } = evaluate(
      {
        checklists: [
          checklist({ checklistId: 'basics', templateId: 'basics' }),
        ],
        steps: [
          tick('basics', 'laptop', at(1)),
          tick('basics', 'handbook', at(2)),
        ],
      },
      at(100),
    );
    expect(checklists[0]).toMatchObject({
      done: 2,
      total: 2,
      stalled: false,
      completedAt: at(2).toISOString(),
    });
  });
});
