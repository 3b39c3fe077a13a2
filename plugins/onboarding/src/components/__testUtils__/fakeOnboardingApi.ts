import { Entity } from '@backstage/catalog-model';
import type {
  Checklist,
  ChecklistStep,
  EntityChecklistResponse,
  MyOnboarding,
  OnboardingApi,
  OrgOnboardingReport,
  StepCompletionPage,
  TeamOnboardingReport,
  TemplatesResponse,
} from '@vitals/plugin-onboarding-common';

export const GUEST = 'user:default/guest';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

export const ledger: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

export const paymentsTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', profile: { displayName: 'Payments' }, children: [] },
};

function counted(checklist: Omit<Checklist, 'done' | 'total'>): Checklist {
  return {
    ...checklist,
    done: checklist.steps.filter(s => s.done).length,
    total: checklist.steps.length,
  };
}

/** The guest's team checklist: a manual step, two automatic ones (one done) and a docs visit. */
export function teamChecklist(): Checklist {
  return counted({
    id: 'payments-team',
    templateId: 'payments-team',
    title: 'Joining Payments',
    description:
      'Everything a new **Payments** engineer needs in the first weeks.',
    groupRef: 'group:default/payments',
    userRef: GUEST,
    startedAt: '2026-10-01T09:00:00.000Z',
    lastProgressAt: '2026-10-03T10:00:00.000Z',
    stalled: false,
    steps: [
      {
        id: 'read-runbook',
        title: 'Read the on-call runbook',
        description: 'Read it **before** your first on-call shift.',
        links: [
          {
            title: 'Runbook',
            url: 'https://runbooks.example.com/payments',
            type: 'runbook',
          },
        ],
        kind: 'manual',
        done: false,
      },
      {
        id: 'first-change',
        title: 'Merge your first change',
        links: [],
        kind: 'first-change-merged',
        done: false,
        howItCompletes:
          'Completes when a change you authored is merged in any service your team owns',
      },
      {
        id: 'join-team',
        title: 'Join the Payments group',
        links: [],
        kind: 'group-membership',
        group: 'group:default/payments',
        done: true,
        completedAt: '2026-10-03T10:00:00.000Z',
        completedBy: 'automatic',
        evidence: 'The catalog lists you as a member of group:default/payments',
      },
      {
        id: 'read-docs',
        title: 'Open the Payments API docs',
        links: [
          {
            title: 'Payments API docs',
            url: '/docs/default/component/payments-api',
            type: 'techdocs',
          },
        ],
        kind: 'docs-visit',
        entityRef: 'component:default/payments-api',
        done: false,
        howItCompletes:
          'Completes when you open the docs of component:default/payments-api',
      },
    ],
  });
}

/** The guest's checklist for the Payments API service: stalled, one manual step done, the first deployment done. */
export function serviceChecklist(): Checklist {
  return counted({
    id: 'service-basics:component:default/payments-api',
    templateId: 'service-basics',
    title: 'Service basics',
    entityRef: 'component:default/payments-api',
    userRef: GUEST,
    startedAt: '2026-09-01T09:00:00.000Z',
    lastProgressAt: '2026-09-02T12:00:00.000Z',
    stalled: true,
    steps: [
      {
        id: 'run-locally',
        title: 'Run the service locally',
        links: [
          {
            title: 'README',
            url: 'https://git.example.com/payments-api',
            type: 'repo',
          },
        ],
        kind: 'manual',
        done: true,
        completedAt: '2026-09-02T12:00:00.000Z',
        completedBy: 'user',
      },
      {
        id: 'first-deploy',
        title: 'Ship a change to production',
        links: [],
        kind: 'first-change-deployed',
        entityRef: 'component:default/payments-api',
        done: true,
        completedAt: '2026-10-05T14:00:00.000Z',
        completedBy: 'automatic',
        evidence:
          'Change abc1234 deployed to production in component:default/payments-api on 5 Oct 2026',
      },
      {
        id: 'add-alert',
        title: 'Add an alert',
        links: [],
        kind: 'manual',
        done: false,
      },
    ],
  });
}

export function teamReport(
  overrides: Partial<TeamOnboardingReport> = {},
): TeamOnboardingReport {
  return {
    groupRef: 'group:default/payments',
    title: 'Payments',
    onboarding: 2,
    completed: 1,
    stalled: 1,
    medianDaysToFirstChange: 3.5,
    medianDaysToFirstDeploy: 6.2,
    members: [
      {
        userRef: 'user:default/amira',
        displayName: 'Amira Haddad',
        checklists: 2,
        done: 9,
        total: 9,
        startedAt: '2026-07-01T09:00:00.000Z',
        completedAt: '2026-07-20T09:00:00.000Z',
        stalled: false,
        daysToFirstChange: 2,
        daysToFirstDeploy: 4.5,
      },
      {
        userRef: 'user:default/jonas',
        displayName: 'Jonas Berg',
        checklists: 1,
        done: 1,
        total: 6,
        startedAt: '2026-08-10T09:00:00.000Z',
        stalled: true,
        daysToFirstChange: 5,
      },
      {
        userRef: GUEST,
        checklists: 2,
        done: 3,
        total: 7,
        startedAt: '2026-10-01T09:00:00.000Z',
        stalled: false,
      },
    ],
    cohorts: [
      {
        cohort: '2026-07',
        people: 1,
        medianDaysToFirstChange: 2,
        medianDaysToFirstDeploy: 4.5,
      },
      {
        cohort: '2026-08',
        people: 1,
        medianDaysToFirstChange: 5,
        medianDaysToFirstDeploy: null,
      },
      {
        cohort: '2026-10',
        people: 1,
        medianDaysToFirstChange: null,
        medianDaysToFirstDeploy: null,
      },
    ],
    ...overrides,
  };
}

export function orgReport(): OrgOnboardingReport {
  return {
    stalledAfterDays: 14,
    teams: [
      {
        groupRef: 'group:default/payments',
        title: 'Payments',
        onboarding: 2,
        completed: 1,
        stalled: 1,
        medianDaysToFirstChange: 3.5,
        medianDaysToFirstDeploy: 6.2,
      },
      {
        groupRef: 'group:default/storefront',
        title: 'Storefront',
        onboarding: 4,
        completed: 0,
        stalled: 0,
        medianDaysToFirstChange: 1.2,
        medianDaysToFirstDeploy: null,
      },
      {
        groupRef: 'group:default/data',
        title: 'Data',
        onboarding: 1,
        completed: 3,
        stalled: 2,
        medianDaysToFirstChange: 8,
        medianDaysToFirstDeploy: 12.4,
      },
    ],
    cohorts: [
      {
        cohort: '2026-08',
        people: 3,
        medianDaysToFirstChange: 6.5,
        medianDaysToFirstDeploy: 11,
      },
      {
        cohort: '2026-09',
        people: 5,
        medianDaysToFirstChange: 4,
        medianDaysToFirstDeploy: 7.25,
      },
      {
        cohort: '2026-10',
        people: 2,
        medianDaysToFirstChange: 2.1,
        medianDaysToFirstDeploy: null,
      },
    ],
  };
}

export function templatesResponse(): TemplatesResponse {
  return {
    templates: [
      {
        id: 'payments-team',
        title: 'Joining Payments',
        owner: 'group:default/platform',
        source: 'examples/onboarding.yaml',
        targets: { groups: ['group:default/payments'] },
        steps: 4,
      },
      {
        id: 'service-basics',
        title: 'Service basics',
        source: 'examples/onboarding.yaml',
        targets: { kinds: ['component'], types: ['service'] },
        steps: 3,
      },
    ],
    problems: [
      {
        source: 'examples/broken-onboarding.yaml',
        template: 'data-team',
        message:
          'examples/broken-onboarding.yaml: template "data-team", steps[2].kind: must be one of manual, first-change-merged, first-change-deployed, group-membership, docs-visit',
      },
    ],
  };
}

/** An error as the client throws it for a failed response: describeApiError reads the server's message. */
export function apiError(status: number, message: string): Error {
  return Object.assign(new Error(`Request failed with ${status}`), {
    response: { status },
    body: { error: { name: 'Error', message } },
  });
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/**
 * A hand-written OnboardingApi that keeps the caller's progress like the server does: ticking a step changes what the
 * next read returns, only manual steps can be ticked, and a docs visit completes the matching docs-visit steps.
 */
export class FakeOnboardingApi implements OnboardingApi {
  checklists: Checklist[];
  team: TeamOnboardingReport | Error = teamReport();
  org: OrgOnboardingReport = orgReport();
  templates: TemplatesResponse = templatesResponse();
  /** Makes the next save fail with this error. */
  failNextSave?: Error;
  /** Holds every save until this promise settles, so a test can look at the screen while a save is in flight. */
  saveGate?: Promise<void>;
  /** Makes every read of the caller's checklists fail with this error. */
  failReads?: Error;
  readonly visits: Array<{ entityRef: string; kind: 'docs' }> = [];
  readonly saves: Array<{
    checklistId: string;
    stepId: string;
    done: boolean;
  }> = [];
  readonly resets: Array<{ userRef: string; checklistId?: string }> = [];
  /** Makes the next reset fail with this error. */
  failNextReset?: Error;
  /**
   * Whether the caller's onboarding has started. Until then reads show no checklist (My onboarding starts it) and an
   * entity's checklist is a preview without a start; ticking one of its steps starts it.
   */
  started = true;
  readonly starts: Array<{ userRef?: string; entityRef?: string }> = [];

  constructor(checklists: Checklist[] = [teamChecklist(), serviceChecklist()]) {
    this.checklists = checklists;
  }

  async getMyOnboarding(): Promise<MyOnboarding> {
    if (this.failReads) throw this.failReads;
    return {
      userRef: GUEST,
      started: this.started,
      checklists: this.started ? clone(this.checklists) : [],
    };
  }

  async startMyOnboarding(request?: {
    entityRef?: string;
  }): Promise<MyOnboarding> {
    this.starts.push({ ...request });
    if (this.failReads) throw this.failReads;
    this.started = true;
    return {
      userRef: GUEST,
      started: this.checklists.length > 0,
      checklists: clone(this.checklists),
    };
  }

  async startOnboarding(request: {
    userRef: string;
    entityRef?: string;
  }): Promise<MyOnboarding> {
    this.starts.push(request);
    if (request.userRef !== GUEST)
      throw apiError(403, 'You may not start the onboarding of someone else');
    return this.startMyOnboarding({ entityRef: request.entityRef });
  }

  async setStepDone(request: {
    checklistId: string;
    stepId: string;
    done: boolean;
  }): Promise<Checklist> {
    this.saves.push(request);
    await this.saveGate;
    if (this.failNextSave) {
      const error = this.failNextSave;
      this.failNextSave = undefined;
      throw error;
    }
    const checklist = this.checklists.find(c => c.id === request.checklistId);
    const step = checklist?.steps.find(s => s.id === request.stepId);
    if (!checklist || !step)
      throw apiError(
        404,
        `No step ${request.stepId} in checklist ${request.checklistId}`,
      );
    if (step.kind !== 'manual')
      throw apiError(
        400,
        `Step ${step.id} is of kind ${step.kind}; it completes itself`,
      );
    this.started = true;
    this.complete(checklist, step, request.done, 'user');
    return clone(checklist);
  }

  async reportVisit(request: {
    entityRef: string;
    kind: 'docs';
  }): Promise<void> {
    this.visits.push(request);
    for (const checklist of this.checklists) {
      for (const step of checklist.steps) {
        const ref = step.entityRef ?? checklist.entityRef;
        if (
          step.kind === 'docs-visit' &&
          !step.done &&
          (!ref || ref === request.entityRef)
        ) {
          this.complete(
            checklist,
            step,
            true,
            'automatic',
            `You opened the docs of ${request.entityRef}`,
          );
        }
      }
    }
  }

  async getEntityChecklist(request: {
    entityRef: string;
  }): Promise<EntityChecklistResponse> {
    if (this.failReads) throw this.failReads;
    const checklist = this.checklists.find(
      c => c.entityRef === request.entityRef,
    );
    if (!checklist) return { checklist: null };
    if (this.started) return { checklist: clone(checklist) };
    const { startedAt: _notStarted, ...preview } = clone(checklist);
    return { checklist: { ...preview, stalled: false } };
  }

  async getUserOnboarding(): Promise<MyOnboarding> {
    return this.getMyOnboarding();
  }

  /** Clears what the person ticked: in this fake, their done count in the team report drops to zero. */
  async resetProgress(request: {
    userRef: string;
    checklistId?: string;
  }): Promise<void> {
    this.resets.push(request);
    if (this.failNextReset) {
      const error = this.failNextReset;
      this.failNextReset = undefined;
      throw error;
    }
    if (this.team instanceof Error) return;
    const member = this.team.members.find(m => m.userRef === request.userRef);
    if (!member) throw apiError(404, `${request.userRef} has no checklists`);
    member.done = 0;
    member.completedAt = undefined;
  }

  async getHistory(): Promise<StepCompletionPage> {
    return { items: [], totalCount: 0 };
  }

  async getTeamReport(request: {
    groupRef: string;
  }): Promise<TeamOnboardingReport> {
    if (this.team instanceof Error) throw this.team;
    return { ...clone(this.team), groupRef: request.groupRef };
  }

  async getOrgReport(): Promise<OrgOnboardingReport> {
    return clone(this.org);
  }

  async getTemplates(): Promise<TemplatesResponse> {
    return clone(this.templates);
  }

  private complete(
    checklist: Checklist,
    step: ChecklistStep,
    done: boolean,
    by: 'user' | 'automatic',
    evidence?: string,
  ) {
    step.done = done;
    step.completedAt = done ? '2026-11-20T10:00:00.000Z' : undefined;
    step.completedBy = done ? by : undefined;
    step.evidence = done ? evidence ?? step.evidence : undefined;
    checklist.done = checklist.steps.filter(s => s.done).length;
    if (done) checklist.lastProgressAt = step.completedAt;
    checklist.completedAt =
      checklist.done === checklist.total ? step.completedAt : undefined;
    if (done) checklist.stalled = false;
  }
}
