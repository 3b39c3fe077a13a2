import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CampaignCheck,
  CampaignEntity,
  CampaignSelection,
  CampaignTeam,
  quarterOf,
  TeamCapacity,
} from '@vitals/plugin-goals-common';
import {
  EntityScorecardResult,
  MAX_ENTITY_RESULTS_BATCH,
  ScorecardsApi,
} from '@vitals/plugin-scorecards-common';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import { chunks } from '@vitals/backend-common';
import pLimit from 'p-limit';
import { capacityCheck } from '../database/DatabaseGoalsStore';
import { CampaignSnapshot } from '../database/GoalsStore';
import { describeAreaFailure } from './FigureReader';

/** What the evaluator needs of a campaign. */
export interface CampaignToEvaluate {
  checks: CampaignCheck[];
  selection: CampaignSelection;
  deadline: string;
  effortDaysPerEntity: number | null;
}

/** How many teams' debt budgets are read at once. */
const CONCURRENCY = 8;
/** How many batches of scorecard results are read at once. */
const BATCH_CONCURRENCY = 2;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const refOf = (entity: Entity) => lower(stringifyEntityRef(entity));
const checkKey = (c: CampaignCheck) => `${c.scorecardId}/${c.checkId}`;

/** The catalog filter of a selection: every criterion ANDed, values within one ORed. */
export function catalogFilterOf(
  selection: CampaignSelection,
): Record<string, string[]> {
  const filter: Record<string, string[]> = {};
  if (selection.kind) filter.kind = selection.kind;
  if (selection.type) filter['spec.type'] = selection.type;
  if (selection.tag) filter['metadata.tags'] = selection.tag;
  if (selection.owner) filter['relations.ownedBy'] = selection.owner;
  if (selection.system) filter['relations.partOf'] = selection.system;
  return filter;
}

/**
 * Works out where a campaign stands: resolves its entities through the catalog, reads each one's scorecard results
 * (an entity is done when it passes every check of the campaign, waived when it passes some only through waivers,
 * open otherwise), and each affected team's capacity against its debt budget for the deadline's quarter.
 */
export class CampaignEvaluator {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      scorecards: Pick<ScorecardsApi, 'getEntityResultsBatch'>;
      techDebt: Pick<TechDebtApi, 'getBudget'>;
      credentials: () => Promise<BackstageCredentials>;
    },
  ) {}

  async evaluate(campaign: CampaignToEvaluate): Promise<CampaignSnapshot> {
    const credentials = await this.deps.credentials();
    const filter = catalogFilterOf(campaign.selection);
    const { items } = await this.deps.catalog.getEntities(
      {
        ...(Object.keys(filter).length ? { filter } : {}),
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials },
    );
    const levelFilter = campaign.selection.scorecardLevel;
    const refs = items.map(refOf);
    const resultsOf = await this.readResults(refs);
    const unevaluatedRefs = new Set<string>();
    const evaluated = items.map((entity, i): CampaignEntity | undefined => {
      const entityRef = refs[i];
      const ownerRef =
        (entity.relations ?? [])
          .filter(r => r.type === RELATION_OWNED_BY)
          .map(r => lower(r.targetRef))
          .sort()[0] ?? null;
      // Not evaluated (or scorecards did not answer): every check counts as failing, the entity as open.
      const results = resultsOf.get(entityRef) ?? [];
      if (levelFilter) {
        const level =
          results.find(r => r.scorecardId === levelFilter.scorecardId)
            ?.levelId ?? null;
        if (!levelFilter.levelIds.includes(level)) return undefined;
      }
      const failingChecks: string[] = [];
      const waivedChecks: string[] = [];
      for (const check of campaign.checks) {
        const scorecard = results.find(
          r => r.scorecardId === check.scorecardId,
        );
        if (!scorecard) unevaluatedRefs.add(entityRef);
        const outcome = scorecard?.checks.find(
          c => c.checkId === check.checkId,
        );
        if (outcome?.passed) continue;
        if (outcome?.waiver) waivedChecks.push(checkKey(check));
        else failingChecks.push(checkKey(check));
      }
      let state: CampaignEntity['state'] = 'done';
      if (failingChecks.length) state = 'open';
      else if (waivedChecks.length) state = 'waived';
      return { entityRef, ownerRef, state, failingChecks, waivedChecks };
    });
    const entities = evaluated
      .filter((e): e is CampaignEntity => !!e)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    return {
      entities,
      teams: await this.teamsOf(campaign, entities),
      unevaluated: entities.filter(e => unevaluatedRefs.has(e.entityRef))
        .length,
    };
  }

  /**
   * The stored scorecard results of the entities, read in batches of {@link MAX_ENTITY_RESULTS_BATCH} (a campaign over
   * 10,000 entities is ten calls), a few batches at a time. A batch that fails leaves its entities without results.
   */
  private async readResults(
    refs: string[],
  ): Promise<Map<string, EntityScorecardResult[]>> {
    const byRef = new Map<string, EntityScorecardResult[]>();
    const limit = pLimit(BATCH_CONCURRENCY);
    await Promise.all(
      chunks(refs, MAX_ENTITY_RESULTS_BATCH).map(batch =>
        limit(async () => {
          try {
            const { entities } =
              await this.deps.scorecards.getEntityResultsBatch(batch);
            for (const { entityRef, results } of entities)
              byRef.set(lower(entityRef), results);
          } catch {
            // Scorecards did not answer: these entities count as open.
          }
        }),
      ),
    );
    return byRef;
  }

  private async teamsOf(
    campaign: CampaignToEvaluate,
    entities: CampaignEntity[],
  ): Promise<CampaignTeam[]> {
    const quarter = quarterOf(new Date(`${campaign.deadline}T00:00:00Z`));
    const byOwner = new Map<string | null, CampaignEntity[]>();
    for (const e of entities) {
      byOwner.set(e.ownerRef, [...(byOwner.get(e.ownerRef) ?? []), e]);
    }
    const limit = pLimit(CONCURRENCY);
    const teams = await Promise.all(
      [...byOwner.entries()].map(([ownerRef, members]) =>
        limit(async (): Promise<CampaignTeam> => {
          const done = members.filter(m => m.state !== 'open').length;
          const waived = members.filter(m => m.state === 'waived').length;
          const remainingEffortDays =
            campaign.effortDaysPerEntity === null
              ? null
              : Math.round(
                  (members.length - done) * campaign.effortDaysPerEntity * 10,
                ) / 10;
          return {
            ownerRef,
            entities: members.length,
            done,
            waived,
            remainingEffortDays,
            capacity: await this.capacityOf(
              ownerRef,
              quarter,
              remainingEffortDays,
            ),
          };
        }),
      ),
    );
    return teams.sort((a, b) =>
      (a.ownerRef ?? '').localeCompare(b.ownerRef ?? ''),
    );
  }

  private async capacityOf(
    ownerRef: string | null,
    quarter: string,
    remainingEffortDays: number | null,
  ): Promise<TeamCapacity> {
    const none = {
      quarter,
      reservedDays: null,
      paidDownDays: null,
      availableDays: null,
      sharePercent: null,
      feasible: null,
    };
    if (!ownerRef || !ownerRef.startsWith('group:')) {
      return {
        ...none,
        available: false,
        reason: 'Only a team (a Group) has a debt budget',
      };
    }
    try {
      const budget = await this.deps.techDebt.getBudget(ownerRef, quarter);
      return {
        quarter,
        reservedDays: budget.reservedDays,
        paidDownDays: budget.paidDownDays,
        ...capacityCheck(
          remainingEffortDays,
          budget.reservedDays,
          budget.paidDownDays,
        ),
        available: true,
        reason:
          budget.reservedDays === null
            ? `${ownerRef} has set no debt budget for ${quarter}`
            : null,
      };
    } catch (error) {
      return {
        ...none,
        available: false,
        reason: describeAreaFailure('tech-debt', error),
      };
    }
  }
}
