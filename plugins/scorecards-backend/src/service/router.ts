import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CustomErrorBase,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  actorOf,
  AnyRequest,
  createRouteGuards,
  hideInternalErrors,
  keepRawQuery,
  nameUnknownBodyFields,
  rawQueryOf,
} from '@vitals/backend-common';
import { parseInput, toCsv } from '@vitals/common';
import {
  createWaiverRequestSchema,
  DefinitionsResponse,
  deleteWaiverQuerySchema,
  entityResultsBatchRequestSchema,
  entityResultsQuerySchema,
  EntityScorecardResult,
  groupRollupQuerySchema,
  historyQuerySchema,
  listPromotionsQuerySchema,
  listWaiversQuerySchema,
  nextActionsQuerySchema,
  promoteChecksRequestSchema,
  promotionIdSchema,
  refreshRequestSchema,
  ScorecardDefinition,
  scorecardIdSchema,
  scorecardsDefinitionUpdatePermission,
  scorecardsEntityRefreshPermission,
  scorecardsWaiverCreatePermission,
  scorecardsWaiverDeletePermission,
  scorecardsWaiverUpdatePermission,
  summaryQuerySchema,
  updateWaiverRequestSchema,
  Waiver,
  waiverIdSchema,
  withdrawPromotionQuerySchema,
} from '@vitals/plugin-scorecards-common';
import { FactProvider } from '@vitals/plugin-scorecards-node';
import express from 'express';
import { refKey } from '../database/helpers';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { WaiverStore } from '../database/WaiverStore';
import { PromotionStore, StoredPromotion } from '../database/PromotionStore';
import { promotionApplies } from '../definitions/mergePromotions';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { NextActionsService } from './NextActions';

/** What the router needs from the evaluator: the definitions, the providers and an on-demand refresh. */
export interface RouterEvaluator {
  /** The definitions as last loaded. */
  readonly definitions: ScorecardDefinition[];
  /** The configured definitions with the promotions in force, read now. */
  loadDefinitions(): Promise<ScorecardDefinition[]>;
  /** The configured definitions alone (what a promotion must name). */
  readonly configuredDefinitions: ScorecardDefinition[];
  readonly factProviders: FactProvider[];
  evaluateEntity(
    target: string | Entity,
    credentials?: BackstageCredentials,
  ): Promise<boolean>;
}

/** A 429: the request is refused for now, and may be repeated later. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}

/** Default shortest time between two on-demand refreshes of one entity. */
export const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;

export interface RouterOptions {
  store: ScorecardsStore;
  /** Where waivers are kept; `store` by default. */
  waivers?: WaiverStore;
  /** Where promoted checks are kept; `store.promotions` by default (the routes answer 503 without one). */
  promotions?: PromotionStore;
  /**
   * Called after a promotion or a withdrawal changed the definitions, to evaluate soon (the plugin starts the
   * scheduled evaluation); the next scheduled run would apply it anyway.
   */
  onDefinitionsChanged?: () => Promise<void>;
  evaluator: RouterEvaluator;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Shortest time between two on-demand refreshes of one entity, across replicas; 30 seconds by default. */
  refreshIntervalSeconds?: number;
  /**
   * A team's next best actions; by default from this plugin's store alone (the other areas reported as not
   * installed). The plugin passes one that reads the tech-debt, ownership and onboarding APIs.
   */
  nextActions?: NextActionsService;
  /**
   * For tests: also check every response against the spec (a response that breaks it becomes a 500), so that the
   * spec's exact response schemas are held to what the handlers really send.
   */
  validateResponses?: boolean;
}

/** Most rows one CSV export returns. */
export const CSV_EXPORT_MAX_ROWS = 100_000;
/** Longest history one request returns. */
const MAX_HISTORY_DAYS = 400;
const DAY_MS = 24 * 3600 * 1000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, evaluator, httpAuth, permissions, catalog, auditor, logger } =
    options;
  const waivers: WaiverStore = options.waivers ?? store;
  const router = await createOpenApiRouter({
    // zod parses the query as sent (`rawQueryOf`): the validator hands on `version=1e0` as 1, and splits lists.
    middleware: [express.json({ limit: '100kb' }), keepRawQuery()],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });

  const refreshIntervalMs =
    1000 * (options.refreshIntervalSeconds ?? DEFAULT_REFRESH_INTERVAL_SECONDS);
  // Reads serve people and other plugins (`readerOf`); writes are people's decisions (a waiver, a refresh on demand),
  // so a service token — the CI token included — gets a 403 there (`personOf`).
  const { readerOf, personOf, authorize, authorizeOnEntity, audited } =
    createRouteGuards({
      httpAuth,
      permissions,
      auditor,
    });
  const promotions: PromotionStore | undefined =
    options.promotions ??
    (store as Partial<{ promotions: PromotionStore }>).promotions;
  // Promotions move checks between levels only: scorecard ids, titles, levels and check ids are the configured ones.
  const definitionOf = (id: string) =>
    evaluator.definitions.find(d => d.id === id);
  const waiverRefusal = (action: string, entityRef: string) =>
    `You may not ${action} of ${entityRef}: only its owners may waive its checks`;

  /** Re-evaluates after a waiver change so that reads show it; the next scheduled run would catch up anyway. */
  async function reevaluate(entityRef: string) {
    try {
      await evaluator.evaluateEntity(entityRef);
    } catch (error) {
      logger.warn(
        `Could not re-evaluate ${entityRef} after a waiver change: ${error}`,
      );
    }
  }

  router.get('/v1/definitions', async (req, res) => {
    await readerOf(req);
    const body: DefinitionsResponse = {
      scorecards: await evaluator.loadDefinitions(),
      // Exactly the documented fields, whatever else a provider's fact definitions carry.
      facts: evaluator.factProviders.flatMap(p =>
        p.facts.map(f => ({
          id: f.id,
          description: f.description,
          type: f.type,
          provider: p.id,
        })),
      ),
    };
    res.json(body);
  });

  router.get('/v1/definitions/:id', async (req, res) => {
    await readerOf(req);
    const id = parseInput(scorecardIdSchema, req.params.id, 'scorecard id');
    const definition = (await evaluator.loadDefinitions()).find(
      d => d.id === id,
    );
    if (!definition) throw new NotFoundError(`No scorecard with id '${id}'`);
    res.json(definition);
  });

  router.get('/v1/entities/results', async (req, res) => {
    await readerOf(req);
    const { entityRef } = parseInput(
      entityResultsQuerySchema,
      rawQueryOf(req),
      'query',
    );
    res.json({ entityRef, results: await store.getEntityResults(entityRef) });
  });

  router.post('/v1/entities/results/batch', async (req, res) => {
    await readerOf(req);
    const { entityRefs } = parseInput(
      entityResultsBatchRequestSchema,
      req.body,
      'batch',
    );
    const asked = [...new Map(entityRefs.map(r => [refKey(r), r])).entries()];
    const byRef = new Map<string, EntityScorecardResult[]>(
      asked.map(([key]) => [key, []]),
    );
    for (const result of await store.listEntityResults(entityRefs)) {
      byRef.get(refKey(result.entityRef))?.push(result);
    }
    res.json({
      entities: asked.map(([key, entityRef]) => ({
        entityRef,
        results: byRef.get(key) ?? [],
      })),
    });
  });

  router.post('/v1/entities/refresh', async (req, res) => {
    const credentials = await personOf(req);
    const { entityRef } = parseInput(
      refreshRequestSchema,
      req.body,
      'refresh request',
    );
    // With the caller's credentials: an entity the caller cannot see is not found.
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity)
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    await authorizeOnEntity(
      scorecardsEntityRefreshPermission,
      entityRef,
      credentials,
      `You may not refresh the scorecards of ${entityRef}: only its owners may`,
    );
    // Every provider is called for a refresh: at most one per entity per interval, across replicas.
    const claim = await store.claimRefresh(
      entityRef,
      actorOf(credentials),
      new Date(),
      refreshIntervalMs,
    );
    if (!claim.claimed) {
      const waitMs = Math.max(
        1000,
        Date.parse(claim.lastRefreshedAt) + refreshIntervalMs - Date.now(),
      );
      const seconds = Math.ceil(waitMs / 1000);
      res.set('Retry-After', String(seconds));
      throw new TooManyRequestsError(
        `${entityRef} was refreshed at ${claim.lastRefreshedAt}; it can be refreshed again in ${seconds} seconds`,
      );
    }
    await evaluator.evaluateEntity(entity);
    res.json({ entityRef, results: await store.getEntityResults(entityRef) });
  });

  router.get('/v1/groups/rollup', async (req, res) => {
    await readerOf(req);
    const { groupRef } = parseInput(
      groupRollupQuerySchema,
      rawQueryOf(req),
      'query',
    );
    res.json(await store.getGroupRollup(groupRef));
  });

  const summaryFilter = (req: AnyRequest) => {
    const q = parseInput(summaryQuerySchema, rawQueryOf(req), 'query');
    const unknown = (q.scorecardId ?? []).filter(id => !definitionOf(id));
    if (unknown.length)
      throw new InputError(
        `Invalid query: scorecardId: no scorecard '${unknown.join("', '")}'`,
      );
    return {
      scorecardIds: q.scorecardId,
      ownerRefs: q.owner,
      systemRefs: q.system,
    };
  };

  const nextActions =
    options.nextActions ??
    new NextActionsService({
      store,
      waivers,
      catalog,
      definitions: () => evaluator.definitions,
      sources: {},
      logger,
    });

  router.get('/v1/next-actions', async (req, res) => {
    const credentials = await readerOf(req);
    const { team, limit } = parseInput(
      nextActionsQuerySchema,
      rawQueryOf(req),
      'query',
    );
    await evaluator.loadDefinitions();
    res.json(await nextActions.list({ team, limit, credentials }));
  });

  router.get('/v1/summary', async (req, res) => {
    await readerOf(req);
    const filter = summaryFilter(req);
    const [summary, updatedAt] = await Promise.all([
      store.getOrgSummary(filter),
      store.lastFinishedRunAt(),
    ]);
    res.json({ ...summary, updatedAt });
  });

  router.get('/v1/history', async (req, res) => {
    await readerOf(req);
    const q = parseInput(historyQuerySchema, rawQueryOf(req), 'query');
    if (q.scorecardId && !definitionOf(q.scorecardId)) {
      throw new NotFoundError(`No scorecard with id '${q.scorecardId}'`);
    }
    const to = q.to ?? dayOf(Date.now());
    const from = q.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 90 * DAY_MS);
    if (Date.parse(to) - Date.parse(from) > MAX_HISTORY_DAYS * DAY_MS) {
      throw new InputError(
        `Invalid query: from: at most ${MAX_HISTORY_DAYS} days before to`,
      );
    }
    if (q.entityRef) {
      res.json({
        entityRef: q.entityRef,
        points: await store.getEntityHistory({
          entityRef: q.entityRef,
          scorecardId: q.scorecardId,
          from,
          to,
        }),
      });
    } else {
      res.json({
        ownerRef: q.owner ?? null,
        points: await store.getTrend({
          ownerRef: q.owner,
          scorecardId: q.scorecardId,
          from,
          to,
        }),
      });
    }
  });

  router.get('/v1/export.csv', async (req, res) => {
    await readerOf(req);
    const filter = summaryFilter(req);
    const rows = await store.listResults({
      ...filter,
      limit: CSV_EXPORT_MAX_ROWS,
    });
    const titleOf = (r: EntityScorecardResult) =>
      definitionOf(r.scorecardId)?.title ?? r.scorecardId;
    const levelOf = (r: EntityScorecardResult) =>
      r.levelId === null
        ? ''
        : definitionOf(r.scorecardId)?.levels.find(l => l.id === r.levelId)
            ?.title ?? r.levelId;
    res
      .type('text/csv')
      .attachment('scorecards.csv')
      .send(
        toCsv(rows, [
          { header: 'Entity', value: r => r.entityRef },
          { header: 'Owner', value: r => r.ownerRef },
          { header: 'System', value: r => r.systemRef },
          { header: 'Scorecard', value: titleOf },
          { header: 'Level', value: levelOf },
          { header: 'Score', value: r => r.score },
          {
            header: 'Failing checks',
            value: r =>
              r.checks
                .filter(c => !c.passed && !c.waiver)
                .map(c => c.checkId)
                .join(' '),
          },
          {
            header: 'Waived checks',
            value: r =>
              r.checks
                .filter(c => c.waiver)
                .map(c => c.checkId)
                .join(' '),
          },
          { header: 'Evaluated', value: r => r.evaluatedAt },
        ]),
      );
  });

  router.get('/v1/waivers', async (req, res) => {
    await readerOf(req);
    const q = parseInput(listWaiversQuerySchema, rawQueryOf(req), 'query');
    res.json({
      waivers: await waivers.listWaivers({
        entityRef: q.entityRef,
        activeAt: q.includeInactive === 'true' ? undefined : new Date(),
        limit: 1000,
      }),
    });
  });

  const existingWaiver = async (req: AnyRequest): Promise<Waiver> => {
    const id = parseInput(waiverIdSchema, req.params.id, 'waiver id');
    const waiver = await waivers.getWaiver(id);
    if (!waiver) throw new NotFoundError(`No waiver with id '${id}'`);
    return waiver;
  };

  router.get('/v1/waivers/:id', async (req, res) => {
    await readerOf(req);
    res.json(await existingWaiver(req));
  });

  router.post('/v1/waivers', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(createWaiverRequestSchema, req.body, 'waiver');
    const definition = definitionOf(body.scorecardId);
    if (!definition)
      throw new InputError(
        `Invalid waiver: scorecardId: no scorecard '${body.scorecardId}'`,
      );
    if (!definition.checks.some(c => c.id === body.checkId)) {
      throw new InputError(
        `Invalid waiver: checkId: scorecard '${body.scorecardId}' has no check '${body.checkId}'`,
      );
    }
    const entity = await catalog.getEntityByRef(body.entityRef, {
      credentials,
    });
    if (!entity)
      throw new InputError(
        `Invalid waiver: entityRef: no entity '${body.entityRef}' in the catalog`,
      );
    await authorizeOnEntity(
      scorecardsWaiverCreatePermission,
      body.entityRef,
      credentials,
      waiverRefusal('waive checks', body.entityRef),
    );
    const waiver = await audited(
      req,
      'scorecards-waiver-create',
      {
        entityRef: body.entityRef,
        scorecardId: body.scorecardId,
        checkId: body.checkId,
        expiresAt: body.expiresAt,
      },
      () => waivers.createWaiver(body, actorOf(credentials)),
    );
    await reevaluate(waiver.entityRef);
    res.status(201).json(waiver);
  });

  router.patch('/v1/waivers/:id', async (req, res) => {
    const credentials = await personOf(req);
    const existing = await existingWaiver(req);
    const { version, ...patch } = parseInput(
      updateWaiverRequestSchema,
      req.body,
      'waiver update',
    );
    await authorizeOnEntity(
      scorecardsWaiverUpdatePermission,
      existing.entityRef,
      credentials,
      waiverRefusal('change the waivers', existing.entityRef),
    );
    const waiver = await audited(
      req,
      'scorecards-waiver-update',
      {
        waiverId: existing.id,
        entityRef: existing.entityRef,
        fields: Object.keys(patch).join(','),
      },
      () =>
        waivers.updateWaiver(existing.id, patch, version, actorOf(credentials)),
    );
    await reevaluate(waiver.entityRef);
    res.json(waiver);
  });

  router.delete('/v1/waivers/:id', async (req, res) => {
    const credentials = await personOf(req);
    const { version } = parseInput(
      deleteWaiverQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const existing = await existingWaiver(req);
    await authorizeOnEntity(
      scorecardsWaiverDeletePermission,
      existing.entityRef,
      credentials,
      waiverRefusal('withdraw the waivers', existing.entityRef),
    );
    await audited(
      req,
      'scorecards-waiver-delete',
      {
        waiverId: existing.id,
        entityRef: existing.entityRef,
        checkId: existing.checkId,
      },
      () => waivers.revokeWaiver(existing.id, version, actorOf(credentials)),
    );
    await reevaluate(existing.entityRef);
    res.status(204).end();
  });

  // ------------------------------------------------------------ promotions

  const promotionStore = () => {
    if (!promotions)
      throw new ServiceUnavailableError('Promoted checks are not set up');
    return promotions;
  };
  const withApplied = (p: StoredPromotion) => ({
    ...p,
    applied:
      p.withdrawnAt === null &&
      promotionApplies(evaluator.configuredDefinitions, p),
  });
  async function definitionsChanged() {
    try {
      await options.onDefinitionsChanged?.();
    } catch (error) {
      logger.warn(`Could not start an evaluation after a promotion: ${error}`);
    }
  }

  router.get('/v1/promotions', async (req, res) => {
    await readerOf(req);
    const q = parseInput(listPromotionsQuerySchema, rawQueryOf(req), 'query');
    const list = await promotionStore().listPromotions({
      includeWithdrawn: q.includeWithdrawn === 'true',
    });
    res.json({ promotions: list.map(withApplied) });
  });

  router.post('/v1/promotions', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(promoteChecksRequestSchema, req.body, 'promotion');
    await authorize(
      scorecardsDefinitionUpdatePermission,
      credentials,
      'change the scorecard definitions',
    );
    // A promotion names a check of the configured definitions; the level is one of its scorecard's.
    const checks = body.checks.map((c, i) => {
      const card = evaluator.configuredDefinitions.find(
        d => d.id === c.scorecardId,
      );
      if (!card)
        throw new NotFoundError(`No scorecard with id '${c.scorecardId}'`);
      const check = card.checks.find(k => k.id === c.checkId);
      if (!check)
        throw new NotFoundError(
          `Scorecard '${card.id}' has no check '${c.checkId}'`,
        );
      const levelId = c.levelId ?? card.levels[0].id;
      if (!card.levels.some(l => l.id === levelId)) {
        throw new InputError(
          `Invalid promotion: checks.${i}.levelId: '${levelId}' is not a level of '${
            card.id
          }' (levels: ${card.levels.map(l => l.id).join(', ')})`,
        );
      }
      return {
        scorecardId: card.id,
        checkId: check.id,
        levelId,
        configuredLevel: check.level,
      };
    });
    const keys = checks.map(c => `${c.scorecardId}/${c.checkId}`);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice)
      throw new InputError(
        `Invalid promotion: checks: '${twice}' is listed twice`,
      );
    const origin = {
      kind: body.origin?.kind ?? ('manual' as const),
      id: body.origin?.id ?? null,
      title: body.origin?.title ?? null,
    };
    const promoted = await audited(
      req,
      'scorecards-check-promote',
      {
        checks: keys.join(','),
        originKind: origin.kind,
        ...(origin.id ? { originId: origin.id } : {}),
      },
      () =>
        promotionStore().promote(
          checks,
          origin,
          actorOf(credentials),
          new Date(),
        ),
    );
    const created = promoted.some(p => p.created);
    if (created) await definitionsChanged();
    res.status(created ? 201 : 200).json({
      promotions: promoted.map(({ created: _, ...p }) => withApplied(p)),
    });
  });

  router.delete('/v1/promotions/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = parseInput(promotionIdSchema, req.params.id, 'promotion id');
    const { version } = parseInput(
      withdrawPromotionQuerySchema,
      rawQueryOf(req),
      'query',
    );
    await authorize(
      scorecardsDefinitionUpdatePermission,
      credentials,
      'change the scorecard definitions',
    );
    const existing = await promotionStore().getPromotion(id);
    if (!existing) throw new NotFoundError(`No promotion with id '${id}'`);
    await audited(
      req,
      'scorecards-check-withdraw',
      {
        promotionId: id,
        check: `${existing.scorecardId}/${existing.checkId}`,
      },
      () =>
        promotionStore().withdraw(
          id,
          version,
          actorOf(credentials),
          new Date(),
        ),
    );
    await definitionsChanged();
    res.status(204).end();
  });

  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(logger, 'scorecards'));
  return router;
}
