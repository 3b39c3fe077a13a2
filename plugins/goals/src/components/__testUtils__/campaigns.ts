import type {
  CampaignDetail,
  CampaignEntity,
  CampaignEntityPage,
  CampaignTeam,
  ListCampaignEntitiesQuery,
  TeamCapacity,
} from '@vitals/plugin-goals-common';

/** `YYYY-MM-DD`, `days` from today (UTC). */
export function dayFromToday(days: number): string {
  const now = new Date();
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days),
  )
    .toISOString()
    .slice(0, 10);
}

function capacity(overrides: Partial<TeamCapacity>): TeamCapacity {
  return {
    quarter: '2026-Q4',
    reservedDays: 20,
    paidDownDays: 5,
    availableDays: 15,
    sharePercent: 20,
    feasible: true,
    available: true,
    reason: null,
    ...overrides,
  };
}

export const paymentsTeam: CampaignTeam = {
  ownerRef: 'group:default/payments',
  entities: 8,
  done: 6,
  waived: 1,
  remainingEffortDays: 4,
  capacity: capacity({ sharePercent: 20, feasible: true }),
};

export const storefrontTeam: CampaignTeam = {
  ownerRef: 'group:default/storefront',
  entities: 12,
  done: 6,
  waived: 1,
  remainingEffortDays: 12,
  capacity: capacity({
    reservedDays: 10,
    paidDownDays: 6,
    availableDays: 4,
    sharePercent: 120,
    feasible: false,
  }),
};

/** A running campaign due in 12 days: 20 entities, 12 done of which 2 by waiver. */
export function makeCampaign(
  overrides: Partial<CampaignDetail> = {},
): CampaignDetail {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    name: 'TechDocs and a runbook for every service',
    description: 'Every service documents how to run it.',
    checks: [
      { scorecardId: 'production-readiness', checkId: 'has-techdocs' },
      { scorecardId: 'production-readiness', checkId: 'has-runbook' },
    ],
    selection: { kind: ['component'], type: ['service'] },
    deadline: dayFromToday(12),
    effortDaysPerEntity: 2,
    reminderDaysBefore: [14, 7, 1],
    status: 'running',
    entities: 20,
    done: 12,
    waived: 2,
    snapshotAt: new Date().toISOString(),
    promotedAt: null,
    promotedBy: null,
    promotedChecks: [],
    version: 3,
    createdAt: '2026-10-01T00:00:00.000Z',
    createdBy: 'user:default/admin',
    updatedAt: '2026-10-01T00:00:00.000Z',
    updatedBy: 'user:default/admin',
    teams: [paymentsTeam, storefrontTeam],
    entityStates: [
      {
        entityRef: 'component:default/checkout-web',
        ownerRef: 'group:default/storefront',
        state: 'open',
        failingChecks: ['production-readiness/has-runbook'],
        waivedChecks: [],
      },
      {
        entityRef: 'component:default/legacy-billing',
        ownerRef: 'group:default/payments',
        state: 'waived',
        failingChecks: [],
        waivedChecks: ['production-readiness/has-techdocs'],
      },
      {
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        state: 'done',
        failingChecks: [],
        waivedChecks: [],
      },
    ],
    burnUp: [
      {
        day: dayFromToday(-2),
        ownerRef: null,
        entities: 20,
        done: 10,
        waived: 2,
      },
      {
        day: dayFromToday(-1),
        ownerRef: null,
        entities: 20,
        done: 11,
        waived: 2,
      },
      {
        day: dayFromToday(0),
        ownerRef: null,
        entities: 20,
        done: 12,
        waived: 2,
      },
      {
        day: dayFromToday(0),
        ownerRef: 'group:default/payments',
        entities: 8,
        done: 6,
        waived: 1,
      },
    ],
    ...overrides,
  };
}

/** Answers `listCampaignEntities` from `entities` as the backend does: by state and text, a page with the total. */
export function serveEntityPages(entities: CampaignEntity[]) {
  return async (
    _id: string,
    query: ListCampaignEntitiesQuery = {},
  ): Promise<CampaignEntityPage> => {
    const search = query.search?.toLocaleLowerCase('en-US');
    const matching = entities.filter(
      e =>
        (!query.state?.length || query.state.includes(e.state)) &&
        (!search ||
          e.entityRef.includes(search) ||
          (e.ownerRef ?? '').includes(search)),
    );
    const offset = query.offset ?? 0;
    return {
      entities: matching.slice(offset, offset + (query.limit ?? 100)),
      totalCount: matching.length,
    };
  };
}
