import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { chunks } from '@vitals/backend-common';
import { describeApiError, normalizeEntityRef } from '@vitals/common';
import type { OnboardingApi } from '@vitals/plugin-onboarding-common';
import type {
  OwnershipApi,
  OwnershipReportRow,
} from '@vitals/plugin-ownership-common';
import { createServiceOnboardingClient } from '../providers/onboardingFactProvider';
import { createServiceOwnershipClient } from '../providers/ownershipFactProvider';
import { createServiceTechDebtClient } from '../providers/techDebtFactProvider';
import {
  NEXT_ACTION_SOURCES,
  NextActionSource,
  NextActionSourceStatus,
  NextActionsResponse,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import {
  DebtItem,
  TechDebtApi,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { WaiverStore } from '../database/WaiverStore';
import {
  NextActionCandidate,
  onboardingCandidates,
  ownershipCandidates,
  rankNextActions,
  scorecardCandidates,
  techDebtCandidates,
} from './nextActionsRanking';

/** Most nested group levels followed, against cycles in a broken org chart (as DORA and onboarding do). */
const MAX_GROUP_DEPTH = 20;
/** Entity refs per tech-debt items request (the API takes at most 100). */
const ENTITIES_PER_REQUEST = 100;
const PAGE = 1000;
/** Most items or rows read from one area for one list: a team with more sees its first ones by the area's own order. */
const MAX_ROWS_PER_SOURCE = 5000;
/** How long one area may take before the list is returned without it. */
const DEFAULT_SOURCE_TIMEOUT_MS = 10_000;

const lowerRef = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The other areas' APIs the list reads; a missing one is reported as not installed. */
export interface NextActionsSources {
  techDebt?: Pick<TechDebtApi, 'listItems'>;
  ownership?: Pick<OwnershipApi, 'listProblems'>;
  onboarding?: Pick<OnboardingApi, 'getTeamReport'>;
}

/** What a team pools: the group and its child groups (the catalog's `parentOf`), and the entities they own. */
export interface TeamScope {
  team: string;
  groups: string[];
  entities: string[];
}

/**
 * The entities a team's figures pool, as DORA and onboarding do: the group, every group below it, and every entity
 * any of them owns (`relations.ownedBy`), read with the caller's credentials. A group the caller cannot see, or that
 * the catalog does not have, is a 404.
 */
export async function resolveTeamScope(
  catalog: CatalogService,
  team: string,
  credentials: BackstageCredentials,
): Promise<TeamScope> {
  const root = await catalog.getEntityByRef(team, { credentials });
  if (!root || lowerRef(root.kind) !== 'group') {
    throw new NotFoundError(`No group '${team}' in the catalog`);
  }
  const childRefs = (group: Entity) =>
    (group.relations ?? [])
      .filter(r => r.type === RELATION_PARENT_OF)
      .map(r => lowerRef(r.targetRef));
  const groups = new Set<string>([lowerRef(stringifyEntityRef(root))]);
  let level: Entity[] = [root];
  for (let depth = 0; level.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
    const next = [...new Set(level.flatMap(childRefs))].filter(
      ref => !groups.has(ref),
    );
    if (next.length === 0) break;
    next.forEach(ref => groups.add(ref));
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: next,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials },
    );
    level = items.filter((e): e is Entity => !!e);
  }
  const { items } = await catalog.getEntities(
    {
      filter: [...groups].map(ref => ({ 'relations.ownedBy': ref })),
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  const entities = [
    ...new Set(items.map(e => lowerRef(stringifyEntityRef(e)))),
  ].sort();
  return { team, groups: [...groups].sort(), entities };
}

/** Rejects after `ms` with a message naming the area, so that one slow area cannot hold the list. */
function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  source: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${source} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A team's next best actions: failing checks and waivers ending soon (this plugin's store), open debt items, ownership
 * problems and stalled onboarding (the other areas' APIs, called as this plugin). Each area is read on its own: one
 * that fails or is slow is left out and named in `sources`, and the others are still ranked.
 */
export class NextActionsService {
  private readonly timeoutMs: number;

  constructor(
    private readonly options: {
      store: Pick<ScorecardsStore, 'listEntityResults'>;
      waivers: Pick<WaiverStore, 'listActiveWaivers'>;
      catalog: CatalogService;
      definitions: () => ScorecardDefinition[];
      sources: NextActionsSources;
      logger: LoggerService;
      now?: () => Date;
      sourceTimeoutMs?: number;
    },
  ) {
    this.timeoutMs = options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  }

  async list(request: {
    team: string;
    limit: number;
    credentials: BackstageCredentials;
  }): Promise<NextActionsResponse> {
    const now = this.options.now?.() ?? new Date();
    const scope = await resolveTeamScope(
      this.options.catalog,
      request.team,
      request.credentials,
    );

    const readers: Record<
      NextActionSource,
      (() => Promise<NextActionCandidate[]>) | undefined
    > = {
      scorecards: () => this.fromScorecards(scope, now),
      'tech-debt': this.options.sources.techDebt
        ? () => this.fromTechDebt(scope)
        : undefined,
      ownership: this.options.sources.ownership
        ? () => this.fromOwnership(scope)
        : undefined,
      onboarding: this.options.sources.onboarding
        ? () => this.fromOnboarding(scope, now)
        : undefined,
    };

    const outcomes = await Promise.all(
      NEXT_ACTION_SOURCES.map(
        async (
          source,
        ): Promise<{
          status: NextActionSourceStatus;
          candidates: NextActionCandidate[];
        }> => {
          const read = readers[source];
          if (!read) {
            return {
              status: {
                source,
                available: false,
                message: `The ${source} plugin is not installed in this backend`,
              },
              candidates: [],
            };
          }
          try {
            const candidates = await withTimeout(
              read(),
              this.timeoutMs,
              `The ${source} plugin`,
            );
            return {
              status: { source, available: true, message: null },
              candidates,
            };
          } catch (error) {
            this.options.logger.warn(
              `Next actions of ${scope.team}: ${source} unavailable: ${error}`,
            );
            return {
              status: {
                source,
                available: false,
                message: `Could not read ${source}: ${describeApiError(
                  error,
                ).slice(0, 300)}`,
              },
              candidates: [],
            };
          }
        },
      ),
    );

    const ranked = rankNextActions(outcomes.flatMap(o => o.candidates));
    return {
      team: scope.team,
      entities: scope.entities.length,
      actions: ranked.slice(0, request.limit),
      totalCount: ranked.length,
      sources: outcomes.map(o => o.status),
      generatedAt: now.toISOString(),
    };
  }

  private async fromScorecards(
    scope: TeamScope,
    now: Date,
  ): Promise<NextActionCandidate[]> {
    if (scope.entities.length === 0) return [];
    const [results, waivers] = await Promise.all([
      this.options.store.listEntityResults(scope.entities),
      this.options.waivers.listActiveWaivers(scope.entities, now),
    ]);
    return scorecardCandidates({
      results,
      waivers,
      definitions: this.options.definitions(),
      now,
    });
  }

  private async fromTechDebt(scope: TeamScope): Promise<NextActionCandidate[]> {
    const client = this.options.sources.techDebt!;
    const items: DebtItem[] = [];
    for (const batch of chunks(scope.entities, ENTITIES_PER_REQUEST)) {
      for (let offset = 0; items.length < MAX_ROWS_PER_SOURCE; ) {
        const page = await client.listItems({
          entityRef: batch,
          status: [...UNRESOLVED_STATUSES],
          orderBy: 'priority',
          order: 'desc',
          limit: PAGE,
          offset,
        });
        items.push(...page.items);
        offset += page.items.length;
        if (page.items.length < PAGE || offset >= page.totalCount) break;
      }
    }
    const inScope = new Set(scope.entities);
    return techDebtCandidates(
      items.filter(i => inScope.has(normalizeEntityRef(i.entityRef) ?? '')),
    );
  }

  private async fromOwnership(
    scope: TeamScope,
  ): Promise<NextActionCandidate[]> {
    const client = this.options.sources.ownership!;
    // The ownership report pools a team and its child teams itself, from its latest catalog snapshot.
    const rows: OwnershipReportRow[] = [];
    for (let offset = 0; rows.length < MAX_ROWS_PER_SOURCE; ) {
      const page = await client.listProblems({
        team: scope.team,
        limit: PAGE,
        offset,
      });
      rows.push(...page.rows);
      offset += page.rows.length;
      if (page.rows.length < PAGE || offset >= page.totalCount) break;
    }
    return ownershipCandidates(rows);
  }

  private async fromOnboarding(
    scope: TeamScope,
    now: Date,
  ): Promise<NextActionCandidate[]> {
    // The team report pools the group and its descendants, as this list does.
    const report = await this.options.sources.onboarding!.getTeamReport({
      groupRef: scope.team,
    });
    return onboardingCandidates(report.members, now);
  }
}

/**
 * The service the plugin serves `GET /v1/next-actions` with: this plugin's store, and the tech-debt, ownership and
 * onboarding APIs called with the scorecards plugin's service credentials (an area not installed in the backend
 * answers 404 and is reported as unavailable).
 */
export function createNextActionsService(options: {
  store: ScorecardsStore;
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /** The definitions now (the configured ones with the promotions in force). */
  definitions: () => ScorecardDefinition[];
}): NextActionsService {
  const { discovery, auth } = options;
  return new NextActionsService({
    store: options.store,
    waivers: options.store,
    catalog: options.catalog,
    definitions: options.definitions,
    logger: options.logger,
    sources: {
      techDebt: createServiceTechDebtClient({ discovery, auth }),
      ownership: createServiceOwnershipClient({ discovery, auth }),
      onboarding: createServiceOnboardingClient({ discovery, auth }),
    },
  });
}
