import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { chunks } from '@vitals/backend-common';
import { normalizeEntityRef } from '@vitals/common';
import { EntityFacts, FactProvider } from '@vitals/plugin-scorecards-node';
import {
  DebtBudget,
  quarterOf,
  TechDebtApi,
  TechDebtClient,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { createServiceFetch } from './serviceFetch';
import { entityRefOf } from '@vitals/backend-common';

/** Impact at or above which an item counts as high-impact (the scale is 1–5). */
export const HIGH_IMPACT = 4;
/** Entities per items request: keeps the URL short (a ref is at most ~100 characters in practice). */
const ENTITIES_PER_REQUEST = 100;
const PAGE = 1000;
const BUDGET_CACHE_MS = 5 * 60 * 1000;

const FACT_IDS = {
  openCount: 'techDebt.openCount',
  highImpactOpenCount: 'techDebt.highImpactOpenCount',
  openEffortDays: 'techDebt.openEffortDays',
  budgetUsePercent: 'techDebt.ownerBudgetUsePercent',
} as const;

/**
 * A TechDebtClient that calls the tech-debt backend as this plugin (service-to-service auth): every request carries a
 * token for the `tech-debt` plugin minted from the scorecards plugin's own credentials.
 */
export function createServiceTechDebtClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TechDebtApi {
  return new TechDebtClient({
    discoveryApi: options.discovery,
    fetchApi: createServiceFetch(options.auth, 'tech-debt'),
  });
}

/**
 * Facts from the tech-debt register: open (unresolved) items, high-impact open items and open effort per entity, and
 * how much of its owner's quarterly debt budget the owner has used. One items request per 100 entities (paged by 1000
 * items), not one per entity; budgets are cached for five minutes per team.
 */
export function createTechDebtFactProvider(options: {
  client: TechDebtApi;
  logger: LoggerService;
  now?: () => Date;
}): FactProvider {
  const { client } = options;
  const now = options.now ?? (() => new Date());
  const budgets = new Map<
    string,
    { at: number; budget: Promise<DebtBudget | null> }
  >();

  const budgetOf = (groupRef: string): Promise<DebtBudget | null> => {
    const quarter = quarterOf(now());
    const key = `${groupRef}@${quarter}`;
    const cached = budgets.get(key);
    if (cached && Date.now() - cached.at < BUDGET_CACHE_MS)
      return cached.budget;
    const budget = client.getBudget(groupRef, quarter).catch(error => {
      options.logger.warn(
        `Could not read the debt budget of ${groupRef}: ${error}`,
      );
      return null;
    });
    budgets.set(key, { at: Date.now(), budget });
    return budget;
  };

  return {
    id: 'techDebt',
    batchSize: 500,
    facts: [
      {
        id: FACT_IDS.openCount,
        type: 'number',
        description: 'Unresolved debt items (open, planned, in progress)',
      },
      {
        id: FACT_IDS.highImpactOpenCount,
        type: 'number',
        description: `Unresolved debt items with impact ${HIGH_IMPACT} or 5`,
      },
      {
        id: FACT_IDS.openEffortDays,
        type: 'number',
        description: 'Estimated engineer-days of the unresolved items',
      },
      {
        id: FACT_IDS.budgetUsePercent,
        type: 'number',
        description:
          "Debt paid down this quarter by the entity's owner as a percent of the days the team reserved; no data when the team set no budget",
      },
    ],
    async getFacts({ entities, factIds }) {
      const facts = new Map<string, EntityFacts>();
      const refs = entities.map(e => entityRefOf(e));
      for (const ref of refs) facts.set(ref, {});

      const wantsItems = factIds.some(id => id !== FACT_IDS.budgetUsePercent);
      if (wantsItems) {
        for (const ref of refs) {
          Object.assign(facts.get(ref)!, {
            [FACT_IDS.openCount]: 0,
            [FACT_IDS.highImpactOpenCount]: 0,
            [FACT_IDS.openEffortDays]: 0,
          });
        }
        for (const batch of chunks(refs, ENTITIES_PER_REQUEST)) {
          for (let offset = 0; ; offset += PAGE) {
            const page = await client.listItems({
              entityRef: batch,
              status: [...UNRESOLVED_STATUSES],
              limit: PAGE,
              offset,
              orderBy: 'createdAt',
              order: 'asc',
            });
            for (const item of page.items) {
              const f = facts.get(
                normalizeEntityRef(item.entityRef) ?? item.entityRef,
              );
              if (!f) continue;
              f[FACT_IDS.openCount] = (f[FACT_IDS.openCount] as number) + 1;
              f[FACT_IDS.openEffortDays] =
                (f[FACT_IDS.openEffortDays] as number) + item.effortDays;
              if (item.impact >= HIGH_IMPACT) {
                f[FACT_IDS.highImpactOpenCount] =
                  (f[FACT_IDS.highImpactOpenCount] as number) + 1;
              }
            }
            if (page.items.length < PAGE || offset + PAGE >= page.totalCount)
              break;
          }
        }
      }

      if (factIds.includes(FACT_IDS.budgetUsePercent)) {
        await Promise.all(
          entities.map(async (entity: Entity) => {
            const owner = entity.spec?.owner;
            const ownerRef =
              typeof owner === 'string'
                ? normalizeEntityRef(owner, {
                    defaultKind: 'group',
                    defaultNamespace: entity.metadata.namespace,
                  })
                : undefined;
            const budget = ownerRef?.startsWith('group:')
              ? await budgetOf(ownerRef)
              : null;
            facts.get(entityRefOf(entity))![FACT_IDS.budgetUsePercent] =
              budget && budget.reservedDays
                ? Math.round(
                    (1000 * budget.paidDownDays) / budget.reservedDays,
                  ) / 10
                : null;
          }),
        );
      }
      return facts;
    },
  };
}
