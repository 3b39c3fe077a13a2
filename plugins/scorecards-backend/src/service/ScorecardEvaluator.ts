import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { normalizeEntityRef } from '@vitals/common';
import {
  CheckStaleness,
  EntityScorecardResult,
  evaluateScorecard,
  FactValue,
  normalizeSystemRef,
  reachedLevelIndex,
  ScorecardDefinition,
  scorecardAppliesTo,
} from '@vitals/plugin-scorecards-common';
import { EntityFacts, FactProvider } from '@vitals/plugin-scorecards-node';
import {
  ResultToSave,
  SavedResultChange,
  ScorecardsStore,
} from '../database/ScorecardsStore';
import { entityRefOf } from '@vitals/backend-common';
import {
  mergePromotions,
  PromotionToMerge,
} from '../definitions/mergePromotions';

/** Entities per catalog page, and so per batch of provider calls and per store transaction. */
const PAGE_SIZE = 500;
const DEFAULT_BATCH_SIZE = 500;

export interface EvaluationRunSummary {
  entities: number;
  results: number;
  levelDrops: number;
  /** Results with at least one check kept from before because its fact provider failed. */
  staleResults: number;
  durationMs: number;
}

/** Facts of a batch, and which providers failed for which entities (by provider id). */
interface CollectedFacts {
  facts: Map<string, EntityFacts>;
  failures: Map<string, Set<string>>;
}

/** Owner and system of an entity as full refs, for roll-ups. */
export function placementOf(entity: Entity): {
  ownerRef: string | null;
  systemRef: string | null;
} {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  const ownerRef =
    typeof spec.owner === 'string'
      ? normalizeEntityRef(spec.owner, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }) ?? null
      : null;
  const systemRef =
    typeof spec.system === 'string' && spec.system.trim()
      ? normalizeSystemRef(spec.system, namespace)
      : null;
  return { ownerRef, systemRef };
}

/**
 * Evaluates scorecards: pulls facts from the providers in batches, applies waivers, stores results with history and
 * roll-ups, and notifies owners when an entity drops a level. Reads of the API never come here.
 */
export class ScorecardEvaluator {
  private readonly providerOfFact = new Map<string, FactProvider>();
  private readonly kinds: string[] | undefined;
  /** The definitions as last loaded: the configured ones with the promotions in force applied. */
  private current: ScorecardDefinition[];

  constructor(
    private readonly options: {
      store: ScorecardsStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** The configured definitions (app-config and definition files). */
      definitions: ScorecardDefinition[];
      providers: FactProvider[];
      notifications?: NotificationService;
      /** The promoted checks in force, merged with the configured definitions before every evaluation. */
      promotions?: { listPromotions(): Promise<PromotionToMerge[]> };
    },
  ) {
    const { providers, definitions, logger } = options;
    this.current = definitions;
    const providerIds = new Set<string>();
    for (const provider of providers) {
      if (providerIds.has(provider.id))
        throw new Error(
          `Two scorecard fact providers have the id '${provider.id}'`,
        );
      providerIds.add(provider.id);
      for (const fact of provider.facts) {
        const other = this.providerOfFact.get(fact.id);
        if (other) {
          throw new Error(
            `Fact '${fact.id}' is provided by both '${other.id}' and '${provider.id}'`,
          );
        }
        this.providerOfFact.set(fact.id, provider);
      }
    }
    for (const card of definitions) {
      for (const check of card.checks) {
        if (!this.providerOfFact.has(check.fact)) {
          // Not fatal: a provider may come later (e.g. DORA); until then the check fails with "no data".
          logger.warn(
            `Scorecard '${card.id}', check '${check.id}': no fact provider yields '${check.fact}'; the check fails with "no data"`,
          );
        }
      }
    }
    // Ask the catalog only for the kinds some scorecard applies to; one scorecard without a kind filter means all.
    const all = definitions.some(d => !d.appliesTo?.kind?.length);
    this.kinds = all
      ? undefined
      : [...new Set(definitions.flatMap(d => d.appliesTo!.kind!))];
  }

  /** The configured definitions, without promotions. */
  get configuredDefinitions(): ScorecardDefinition[] {
    return this.options.definitions;
  }

  /** The definitions as last loaded (see {@link ScorecardEvaluator.loadDefinitions}). */
  get definitions(): ScorecardDefinition[] {
    return this.current;
  }

  /**
   * Reads the promotions in force (one small query) and merges them with the configured definitions. Every evaluation
   * starts here, so a promotion made on any replica applies from the next evaluation on. A promotion only moves a check
   * to another level of its scorecard: which entities and facts the scorecards need does not change.
   */
  async loadDefinitions(): Promise<ScorecardDefinition[]> {
    const { promotions, definitions } = this.options;
    if (promotions)
      this.current = mergePromotions(
        definitions,
        await promotions.listPromotions(),
      );
    return this.current;
  }

  get factProviders(): FactProvider[] {
    return this.options.providers;
  }

  /** Evaluates every applicable entity of the catalog, page by page; then cleans up, rebuilds roll-ups and snapshots. */
  async evaluateAll(): Promise<EvaluationRunSummary> {
    const { store, catalog, auth, logger } = this.options;
    const definitions = await this.loadDefinitions();
    const started = new Date();
    const runId = await store.startRun(started);
    try {
      const credentials = await auth.getOwnServiceCredentials();
      let cursor: string | undefined;
      let more = definitions.length > 0;
      let entities = 0;
      let results = 0;
      let levelDrops = 0;
      let staleResults = 0;
      while (more) {
        const page = await catalog.queryEntities(
          cursor
            ? { cursor, limit: PAGE_SIZE }
            : {
                limit: PAGE_SIZE,
                ...(this.kinds ? { filter: { kind: this.kinds } } : {}),
              },
          { credentials },
        );
        entities += page.items.length;
        const outcome = await this.evaluateEntities(page.items, new Date());
        results += outcome.results.length;
        levelDrops += outcome.levelDrops;
        staleResults += outcome.staleResults;
        cursor = page.pageInfo.nextCursor;
        more = cursor !== undefined;
      }

      // Entities that left the catalog (or every scorecard) were not evaluated in this run.
      const removed = await store.deleteResultsEvaluatedBefore(started);
      await store.rebuildRollups();
      await store.writeDailySummary(new Date().toISOString().slice(0, 10));
      await store.finishRun(runId, { entities, results });
      const durationMs = Date.now() - started.getTime();
      logger.info(
        `Evaluated ${results} scorecard results for ${entities} entities in ${durationMs} ms` +
          `${
            removed
              ? `; removed ${removed} results of entities no longer evaluated`
              : ''
          }` +
          `${levelDrops ? `; ${levelDrops} level drops` : ''}` +
          `${
            staleResults
              ? `; ${staleResults} results kept stale because a fact provider failed`
              : ''
          }`,
      );
      return { entities, results, levelDrops, staleResults, durationMs };
    } catch (error) {
      await store.finishRun(runId, { error: String(error) });
      throw error;
    }
  }

  /**
   * Evaluates the applicable entities of the catalog that have no current result for some scorecard that applies to
   * them (the start-up catch-up: a fresh database, or entities the catalog ingested since), page by page, then
   * rebuilds the roll-ups and today's snapshot when it evaluated any. Returns how many applicable entities the catalog
   * has and how many of them it evaluated; entities already evaluated are left to the scheduled run.
   */
  async evaluateUnevaluated(): Promise<{
    entities: number;
    evaluated: number;
  }> {
    const { store, catalog, auth } = this.options;
    const definitions = await this.loadDefinitions();
    if (definitions.length === 0) return { entities: 0, evaluated: 0 };
    const credentials = await auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    let entities = 0;
    let evaluated = 0;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              limit: PAGE_SIZE,
              ...(this.kinds ? { filter: { kind: this.kinds } } : {}),
            },
        { credentials },
      );
      const applicable = page.items
        .map(entity => ({
          entity,
          ref: entityRefOf(entity),
          cards: definitions.filter(d =>
            scorecardAppliesTo(d.appliesTo, entity),
          ),
        }))
        .filter(w => w.cards.length > 0);
      entities += applicable.length;
      const stored = new Set(
        (await store.listEntityResults(applicable.map(w => w.ref))).map(
          r => `${r.entityRef}\u0000${r.scorecardId}`,
        ),
      );
      const missing = applicable.filter(w =>
        w.cards.some(card => !stored.has(`${w.ref}\u0000${card.id}`)),
      );
      if (missing.length) {
        await this.evaluateEntities(
          missing.map(w => w.entity),
          new Date(),
        );
        evaluated += missing.length;
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor !== undefined);
    if (evaluated > 0) {
      await store.rebuildRollups();
      await store.writeDailySummary(new Date().toISOString().slice(0, 10));
    }
    return { entities, evaluated };
  }

  /**
   * Evaluates one entity now (on-demand refresh) and updates the roll-ups of its owner. Takes the entity, or its ref to
   * look up in the catalog; returns false when the catalog does not have the entity (or the caller may not see it).
   */
  async evaluateEntity(
    target: string | Entity,
    credentials?: BackstageCredentials,
  ): Promise<boolean> {
    const { store, catalog, auth } = this.options;
    const entity =
      typeof target === 'string'
        ? await catalog.getEntityByRef(parseEntityRef(target), {
            credentials: credentials ?? (await auth.getOwnServiceCredentials()),
          })
        : target;
    if (!entity) return false;
    await this.loadDefinitions();
    const ref = entityRefOf(entity);
    const previous = await store.getEntityResults(ref);
    const { results } = await this.evaluateEntities([entity], new Date());
    const current = new Set(results.map(r => r.scorecardId));
    await store.deleteEntityResults(
      ref,
      previous.filter(r => !current.has(r.scorecardId)).map(r => r.scorecardId),
    );
    // Roll-ups of the owner now and of the owner before (the entity may have changed teams).
    const owners = [...new Set([...results, ...previous].map(r => r.ownerRef))];
    const scorecardIds = [
      ...new Set([...results, ...previous].map(r => r.scorecardId)),
    ];
    if (scorecardIds.length)
      await store.rebuildRollups({ scorecardIds, ownerRefs: owners });
    return true;
  }

  /**
   * Facts for a batch: each provider called once per `batchSize` entities with only the facts some check needs. A
   * provider that throws fails its whole batch; one that calls `reportFailure` fails those entities. Failed entities
   * get none of that provider's facts: their checks keep the last known outcome.
   */
  private async collectFacts(
    work: Array<{ entity: Entity; ref: string; cards: ScorecardDefinition[] }>,
  ): Promise<CollectedFacts> {
    const { logger } = this.options;
    const facts = new Map<string, EntityFacts>(work.map(w => [w.ref, {}]));
    const failures = new Map<string, Set<string>>();
    const fail = (ref: string, provider: FactProvider) => {
      const set = failures.get(ref) ?? new Set<string>();
      set.add(provider.id);
      failures.set(ref, set);
    };
    const requests = new Map<
      FactProvider,
      { entities: Entity[]; factIds: Set<string> }
    >();
    for (const { entity, cards } of work) {
      const seen = new Set<FactProvider>();
      for (const card of cards) {
        for (const check of card.checks) {
          const provider = this.providerOfFact.get(check.fact);
          if (!provider) continue;
          let request = requests.get(provider);
          if (!request) {
            request = { entities: [], factIds: new Set() };
            requests.set(provider, request);
          }
          request.factIds.add(check.fact);
          if (!seen.has(provider)) {
            seen.add(provider);
            request.entities.push(entity);
          }
        }
      }
    }
    await Promise.all(
      [...requests].map(async ([provider, request]) => {
        const size = provider.batchSize ?? DEFAULT_BATCH_SIZE;
        for (let i = 0; i < request.entities.length; i += size) {
          const batch = request.entities.slice(i, i + size);
          const inBatch = new Set(batch.map(entityRefOf));
          const failed = new Set<string>();
          try {
            const answer = await provider.getFacts({
              entities: batch,
              factIds: [...request.factIds],
              reportFailure: ref => {
                const key = normalizeEntityRef(ref);
                if (key && inBatch.has(key)) failed.add(key);
              },
            });
            for (const [ref, values] of answer) {
              // Providers key by any spelling of the full ref; the scorecards keep one.
              const key = normalizeEntityRef(ref);
              const target =
                key && !failed.has(key) ? facts.get(key) : undefined;
              if (!target) continue;
              // Only the provider's own facts: a provider cannot overwrite another's.
              for (const [id, value] of Object.entries(values)) {
                if (this.providerOfFact.get(id) === provider)
                  target[id] = value as FactValue;
              }
            }
          } catch (error) {
            logger.warn(
              `Fact provider '${provider.id}' failed for ${batch.length} entities; their checks on its facts keep their last known outcome, marked stale: ${error}`,
            );
            for (const ref of inBatch) failed.add(ref);
          }
          for (const ref of failed) fail(ref, provider);
        }
      }),
    );
    return { facts, failures };
  }

  /**
   * The facts to evaluate a scorecard with when some of its providers failed for the entity: the last known value of
   * each of their checks (null, "no data", when there is none), and the staleness to mark those checks with.
   */
  private lastKnownFacts(
    card: ScorecardDefinition,
    failedProviders: Set<string>,
    before: EntityScorecardResult | undefined,
    now: Date,
  ): { facts: Record<string, FactValue>; stale: Map<string, CheckStaleness> } {
    const lastOf = new Map((before?.checks ?? []).map(c => [c.checkId, c]));
    const facts: Record<string, FactValue> = {};
    const stale = new Map<string, CheckStaleness>();
    for (const check of card.checks) {
      const provider = this.providerOfFact.get(check.fact);
      if (!provider || !failedProviders.has(provider.id)) continue;
      const last = lastOf.get(check.id);
      if (last) facts[check.fact] = last.value;
      else if (!(check.fact in facts)) facts[check.fact] = null;
      stale.set(check.id, {
        since: last?.stale?.since ?? now.toISOString(),
        providerId: provider.id,
      });
    }
    return { facts, stale };
  }

  private async evaluateEntities(
    entities: Entity[],
    now: Date,
  ): Promise<{
    results: ResultToSave[];
    levelDrops: number;
    staleResults: number;
  }> {
    const { store } = this.options;
    const definitions = this.current;
    const work = entities
      .map(entity => ({
        entity,
        ref: entityRefOf(entity),
        cards: definitions.filter(d => scorecardAppliesTo(d.appliesTo, entity)),
      }))
      .filter(w => w.cards.length > 0);
    if (work.length === 0)
      return { results: [], levelDrops: 0, staleResults: 0 };

    const [{ facts, failures }, waivers] = await Promise.all([
      this.collectFacts(work),
      store.listActiveWaivers(
        work.map(w => w.ref),
        now,
      ),
    ]);
    const waiversOf = new Map<string, typeof waivers>();
    for (const w of waivers) {
      const key = `${w.entityRef}\u0000${w.scorecardId}`;
      waiversOf.set(key, [...(waiversOf.get(key) ?? []), w]);
    }
    // The last known results, only of entities a provider failed for.
    const previous = new Map(
      (failures.size
        ? await store.listEntityResults([...failures.keys()])
        : []
      ).map(r => [`${r.entityRef}\u0000${r.scorecardId}`, r]),
    );

    const results: ResultToSave[] = [];
    const staleChecksOf = new Map<string, Set<string>>();
    for (const { entity, ref, cards } of work) {
      const placement = placementOf(entity);
      const failed = failures.get(ref);
      for (const card of cards) {
        const key = `${ref}\u0000${card.id}`;
        let cardFacts: Record<string, FactValue | undefined> =
          facts.get(ref) ?? {};
        let stale = new Map<string, CheckStaleness>();
        if (failed) {
          const lastKnown = this.lastKnownFacts(
            card,
            failed,
            previous.get(key),
            now,
          );
          cardFacts = { ...cardFacts, ...lastKnown.facts };
          stale = lastKnown.stale;
        }
        const evaluation = evaluateScorecard(card, cardFacts, {
          waivers: waiversOf.get(key),
          now,
        });
        if (stale.size) {
          evaluation.checks = evaluation.checks.map(c => {
            const staleness = stale.get(c.checkId);
            return staleness ? { ...c, stale: staleness } : c;
          });
          staleChecksOf.set(key, new Set(stale.keys()));
        }
        results.push({ ...evaluation, entityRef: ref, ...placement });
      }
    }
    const changes = await store.saveResults(results, now);
    const drops = changes.filter(c => {
      if (
        c.previousLevelIndex === undefined ||
        c.levelIndex >= c.previousLevelIndex
      )
        return false;
      const staleChecks = staleChecksOf.get(
        `${c.entityRef}\u0000${c.scorecardId}`,
      );
      if (!staleChecks) return true;
      // A drop the failed provider could have caused is not notified: count its checks as passing, and notify only
      // when the entity still lands below its previous level.
      const card = definitions.find(d => d.id === c.scorecardId);
      const result = results.find(
        r => r.entityRef === c.entityRef && r.scorecardId === c.scorecardId,
      );
      if (!card || !result) return false;
      const ok = new Map(
        result.checks.map(r => [r.checkId, r.passed || r.waiver !== null]),
      );
      return (
        reachedLevelIndex(
          card,
          id => staleChecks.has(id) || ok.get(id) === true,
        ) < c.previousLevelIndex
      );
    });
    await this.notifyDrops(drops, entities);
    return {
      results,
      levelDrops: drops.length,
      staleResults: staleChecksOf.size,
    };
  }

  private async notifyDrops(drops: SavedResultChange[], entities: Entity[]) {
    const { notifications, logger } = this.options;
    const definitions = this.current;
    if (!notifications || drops.length === 0) return;
    const byRef = new Map(entities.map(e => [entityRefOf(e), e]));
    for (const drop of drops) {
      const card = definitions.find(d => d.id === drop.scorecardId);
      const entity = byRef.get(drop.entityRef);
      if (!card || !entity) continue;
      const name = entity.metadata.title ?? entity.metadata.name;
      const from = card.levels[drop.previousLevelIndex!]?.title ?? 'a level';
      const to =
        drop.levelIndex >= 0 ? card.levels[drop.levelIndex].title : 'no level';
      const {
        kind,
        namespace,
        name: entityName,
      } = parseEntityRef(drop.entityRef);
      try {
        await notifications.send({
          // The notifications backend resolves a component to its owners (and a group to its members).
          recipients: { type: 'entity', entityRef: drop.entityRef },
          payload: {
            title: `${name} dropped from ${from} to ${to} on "${card.title}"`,
            description: `A check of ${card.title} started failing. Open the scorecard to see what to fix.`,
            link: `/catalog/${namespace}/${kind}/${entityName}`,
            severity: 'normal',
            topic: 'scorecards',
            scope: `scorecards:${drop.entityRef}:${card.id}`,
          },
        });
      } catch (error) {
        logger.warn(
          `Could not notify the owners of ${drop.entityRef} about a level drop: ${error}`,
        );
      }
    }
  }
}
