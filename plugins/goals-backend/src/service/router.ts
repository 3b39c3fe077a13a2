import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  actorOf,
  AnyRequest,
  createRouteGuards,
  errorForStatus,
  hideInternalErrors,
  keepRawQuery,
  nameUnknownBodyFields,
  rawQueryOf,
} from '@vitals/backend-common';
import { parseInput } from '@vitals/common';
import {
  CampaignDetail,
  createCampaignRequestSchema,
  createGoalRequestSchema,
  deleteQuerySchema,
  FIGURE_CATALOGUE,
  FigurePreview,
  figurePreviewRequestSchema,
  findFigureSpec,
  getCampaignQuerySchema,
  goalsCampaignCreatePermission,
  goalsCampaignUpdatePermission,
  goalsOrgGoalManagePermission,
  goalsTeamGoalManagePermission,
  listCampaignEntitiesQuerySchema,
  listCampaignsQuerySchema,
  listGoalsQuerySchema,
  manualValueRequestSchema,
  periodRange,
  promoteCampaignRequestSchema,
  quarterOf,
  stakeholderReportQuerySchema,
  unitOf,
  updateCampaignRequestSchema,
  updateGoalRequestSchema,
} from '@vitals/plugin-goals-common';
import type { ScorecardsApi } from '@vitals/plugin-scorecards-common';
import express from 'express';
import { z } from 'zod';
import {
  GoalsStore,
  KeyResultToWrite,
  StoredCampaign,
  StoredGoal,
} from '../database/GoalsStore';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { CampaignEvaluator } from './CampaignEvaluator';
import { FigureReader } from './FigureReader';
import { goalDetailView, goalView } from './goalView';
import { Snapshotter } from './Snapshotter';
import { StakeholderReporter } from '../report/StakeholderReporter';
import { renderCsv, renderMarkdown, reportFileName } from '../report/render';

export interface RouterOptions {
  store: GoalsStore;
  reader: FigureReader;
  evaluator: CampaignEvaluator;
  snapshotter: Snapshotter;
  /** Builds the stakeholder report; without it the report route answers 503. */
  reporter?: StakeholderReporter;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /**
   * The scorecards API called with the caller's own token, so that scorecards' permission policy decides a promotion
   * for the person asking; without it the promote route answers 503.
   */
  scorecardsAs?: (
    credentials: BackstageCredentials,
  ) => Pick<ScorecardsApi, 'promoteChecks'>;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** For tests: also check every response against the spec. */
  validateResponses?: boolean;
}

const idSchema = z.uuid({ message: 'must be a UUID' });
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    store,
    reader,
    evaluator,
    snapshotter,
    httpAuth,
    permissions,
    catalog,
    auditor,
    logger,
  } = options;
  const now = options.now ?? (() => new Date());
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' }), keepRawQuery()],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });
  // Reads: people and services. Writes are people's decisions (`personOf`): Backstage lets a service principal through
  // every permission check without asking the policy, so a service token gets 403 on every write.
  const { readerOf, personOf, authorizeOnEntity, authorize, audited } =
    createRouteGuards({ httpAuth, permissions, auditor });

  const idOf = (req: AnyRequest, name = 'id', what = 'goal id') =>
    parseInput(idSchema, req.params[name], what);

  /** A team goal is decided on the team's Group; an org goal by a permission admins hold. */
  async function authorizeGoal(
    ownerRef: string | null,
    credentials: BackstageCredentials,
  ) {
    if (ownerRef === null) {
      await authorize(
        goalsOrgGoalManagePermission,
        credentials,
        'manage org goals',
      );
      return;
    }
    await authorizeOnEntity(
      goalsTeamGoalManagePermission,
      ownerRef,
      credentials,
      `You may not manage the goals of ${ownerRef}: only its members and admins may`,
    );
  }

  async function requireGroup(
    ref: string,
    credentials: BackstageCredentials,
    field: string,
  ) {
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new InputError(
        `Invalid goal: ${field}: no group '${ref}' in the catalog`,
      );
    }
  }

  /** Reads each new key result's figure now; the baseline is that value when the period has started. */
  async function keyResultsToWrite(
    inputs: z.output<typeof createGoalRequestSchema>['keyResults'],
    period: string,
  ): Promise<KeyResultToWrite[]> {
    const at = now();
    const started = at >= periodRange(period).start;
    return Promise.all(
      inputs.map(async kr => {
        const manualDirection = kr.target >= (kr.baseline ?? 0) ? 'up' : 'down';
        const direction =
          kr.direction ??
          (kr.figure.source === 'manual'
            ? manualDirection
            : findFigureSpec(kr.figure.source, kr.figure.metric)!.better);
        if (kr.figure.source === 'manual') {
          return {
            id: kr.id,
            title: kr.title,
            figure: kr.figure,
            direction,
            target: kr.target,
            baseline: kr.baseline ?? null,
            reading: {
              value: kr.current ?? kr.baseline ?? null,
              available: true,
              reason: null,
              at,
            },
          };
        }
        const reading = await reader.read(kr.figure, { now: at, period });
        return {
          id: kr.id,
          title: kr.title,
          figure: kr.figure,
          direction,
          target: kr.target,
          baseline: started && reading.available ? reading.value : null,
          reading,
        };
      }),
    );
  }

  async function goalDetail(goal: StoredGoal) {
    const trends = await store.getTrends(goal.keyResults.map(k => k.id));
    return goalDetailView(goal, trends, now());
  }

  router.get('/v1/figures', async (req, res) => {
    await readerOf(req);
    res.json({ figures: [...FIGURE_CATALOGUE] });
  });

  router.post('/v1/figures/preview', async (req, res) => {
    await readerOf(req);
    const body = parseInput(figurePreviewRequestSchema, req.body, 'preview');
    const at = now();
    const period = body.period ?? quarterOf(at);
    const start = periodRange(period).start;
    const figureSpec = findFigureSpec(body.figure.source, body.figure.metric)!;
    const manual = body.figure.source === 'manual';
    const reading = manual
      ? { value: null, available: true, reason: null, at }
      : await reader.read(body.figure, { now: at, period });
    const preview: FigurePreview = {
      figure: body.figure,
      label: figureSpec.label,
      better: figureSpec.better,
      value: reading.value,
      unit: unitOf(body.figure),
      available: reading.available,
      reason: manual ? 'A manual key result is typed in' : reading.reason,
      manual,
      readAt: at.toISOString(),
      baseline: at >= start ? reading.value : null,
      baselineAt: (at >= start ? at : start).toISOString(),
    };
    res.json(preview);
  });

  router.get('/v1/goals', async (req, res) => {
    await readerOf(req);
    const q = parseInput(listGoalsQuerySchema, rawQueryOf(req), 'query');
    const page = await store.listGoals({
      owners: q.owner,
      periods: q.period,
      limit: q.limit,
      offset: q.offset,
    });
    const at = now();
    res.json({
      goals: page.goals.map(g => goalView(g, at)),
      totalCount: page.totalCount,
    });
  });

  router.post('/v1/goals', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(createGoalRequestSchema, req.body, 'goal');
    const ownerRef = body.ownerRef ?? null;
    if (ownerRef) await requireGroup(ownerRef, credentials, 'ownerRef');
    await authorizeGoal(ownerRef, credentials);
    const period = body.period ?? quarterOf(now());
    const range = periodRange(period);
    const keyResults = await keyResultsToWrite(body.keyResults, period);
    const goal = await audited(
      req,
      'goals-goal-create',
      { ownerRef, period, objective: body.objective },
      () =>
        store.createGoal(
          {
            objective: body.objective,
            description: body.description,
            ownerRef,
            period,
            periodStart: range.start,
            periodEnd: range.end,
            keyResults,
          },
          actorOf(credentials),
          now(),
        ),
    );
    res.status(201).json(await goalDetail(goal));
  });

  async function existingGoal(id: string) {
    const goal = await store.getGoal(id);
    if (!goal) throw new NotFoundError(`No goal with id '${id}'`);
    return goal;
  }

  router.get('/v1/goals/:id', async (req, res) => {
    await readerOf(req);
    res.json(await goalDetail(await existingGoal(idOf(req))));
  });

  router.get('/v1/goals/:id/events', async (req, res) => {
    await readerOf(req);
    const id = idOf(req);
    const events = await store.listGoalEvents(id);
    if (!events.length) throw new NotFoundError(`No goal with id '${id}'`);
    res.json({ events });
  });

  router.patch('/v1/goals/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = idOf(req);
    const { version, keyResults, ...fields } = parseInput(
      updateGoalRequestSchema,
      req.body,
      'goal update',
    );
    const existing = await existingGoal(id);
    await authorizeGoal(existing.ownerRef, credentials);
    const toWrite = keyResults
      ? await keyResultsToWrite(keyResults, existing.period)
      : undefined;
    const goal = await audited(
      req,
      'goals-goal-update',
      {
        goalId: id,
        ownerRef: existing.ownerRef,
        fields: [
          ...Object.keys(fields),
          ...(keyResults ? ['keyResults'] : []),
        ].join(','),
      },
      () =>
        store.updateGoal(
          id,
          { ...fields, keyResults: toWrite },
          version,
          actorOf(credentials),
          now(),
        ),
    );
    res.json(await goalDetail(goal));
  });

  router.put(
    '/v1/goals/:id/key-results/:keyResultId/value',
    async (req, res) => {
      const credentials = await personOf(req);
      const id = idOf(req);
      const keyResultId = idOf(req, 'keyResultId', 'key result id');
      const body = parseInput(manualValueRequestSchema, req.body, 'value');
      const existing = await existingGoal(id);
      await authorizeGoal(existing.ownerRef, credentials);
      const goal = await audited(
        req,
        'goals-key-result-value',
        { goalId: id, keyResultId, value: body.value },
        () =>
          store.setManualValue(
            id,
            keyResultId,
            body.value,
            body.version,
            actorOf(credentials),
            now(),
          ),
      );
      res.json(await goalDetail(goal));
    },
  );

  router.delete('/v1/goals/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = idOf(req);
    const { version } = parseInput(deleteQuerySchema, rawQueryOf(req), 'query');
    const existing = await existingGoal(id);
    await authorizeGoal(existing.ownerRef, credentials);
    await audited(
      req,
      'goals-goal-delete',
      {
        goalId: id,
        ownerRef: existing.ownerRef,
        objective: existing.objective,
      },
      () => store.deleteGoal(id, version, actorOf(credentials)),
    );
    res.status(204).end();
  });

  // ------------------------------------------------------------ campaigns

  const campaignView = (c: StoredCampaign, today: string) => ({
    ...c,
    status: c.deadline >= today ? ('running' as const) : ('ended' as const),
  });

  /** A campaign with its teams, burn-up and entity states: all of them, or the first `entityLimit` in page order. */
  async function campaignDetail(
    campaign: StoredCampaign | Promise<StoredCampaign>,
    id: string,
    entityLimit?: number,
  ): Promise<CampaignDetail> {
    const entities = async () => {
      if (entityLimit === undefined) return store.getCampaignEntities(id);
      if (entityLimit === 0) return [];
      const page = await store.listCampaignEntities(id, {
        limit: entityLimit,
        offset: 0,
        count: false,
      });
      return page.entities;
    };
    // The campaign and its parts at once: one round trip's wait (a missing campaign still answers 404).
    const [c, teams, entityStates, burnUp] = await Promise.all([
      campaign,
      store.getCampaignTeams(id),
      entities(),
      store.getBurnUp(id),
    ]);
    return { ...campaignView(c, dayOf(now())), teams, entityStates, burnUp };
  }

  /** A new snapshot after a change, so the page shows it at once; the daily task would catch up anyway. */
  async function snapshotNow(campaign: StoredCampaign) {
    try {
      await snapshotter.snapshotCampaign(campaign, now());
    } catch (error) {
      logger.warn(`Could not snapshot campaign ${campaign.id}: ${error}`);
    }
    return (await store.getCampaign(campaign.id)) ?? campaign;
  }

  const campaignIdOf = (req: AnyRequest) => idOf(req, 'id', 'campaign id');

  async function existingCampaign(id: string) {
    const campaign = await store.getCampaign(id);
    if (!campaign) throw new NotFoundError(`No campaign with id '${id}'`);
    return campaign;
  }

  router.get('/v1/campaigns', async (req, res) => {
    await readerOf(req);
    const q = parseInput(listCampaignsQuerySchema, rawQueryOf(req), 'query');
    const today = dayOf(now());
    const page = await store.listCampaigns({
      today,
      status: q.status,
      owners: q.owner,
      entityRef: q.entityRef,
      limit: q.limit,
      offset: q.offset,
    });
    res.json({
      campaigns: page.campaigns.map(c => campaignView(c, today)),
      totalCount: page.totalCount,
    });
  });

  router.post('/v1/campaigns/preview', async (req, res) => {
    await readerOf(req);
    const body = parseInput(createCampaignRequestSchema, req.body, 'campaign');
    const snapshot = await evaluator.evaluate(body);
    const done = snapshot.entities.filter(e => e.state !== 'open').length;
    res.json({
      entities: snapshot.entities.length,
      done,
      waived: snapshot.entities.filter(e => e.state === 'waived').length,
      teams: snapshot.teams,
      entityStates: snapshot.entities,
    });
  });

  router.post('/v1/campaigns', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(createCampaignRequestSchema, req.body, 'campaign');
    await authorize(
      goalsCampaignCreatePermission,
      credentials,
      'create campaigns',
    );
    if (body.deadline < dayOf(now())) {
      throw new InputError(
        'Invalid campaign: deadline: must not be in the past',
      );
    }
    const campaign = await audited(
      req,
      'goals-campaign-create',
      { name: body.name, deadline: body.deadline },
      () => store.createCampaign(body, actorOf(credentials), now()),
    );
    const snapshotted = await snapshotNow(campaign);
    res.status(201).json(await campaignDetail(snapshotted, snapshotted.id));
  });

  router.get('/v1/campaigns/:id', async (req, res) => {
    await readerOf(req);
    const id = campaignIdOf(req);
    const q = parseInput(getCampaignQuerySchema, rawQueryOf(req), 'query');
    res.json(await campaignDetail(existingCampaign(id), id, q.entityLimit));
  });

  router.get('/v1/campaigns/:id/entities', async (req, res) => {
    await readerOf(req);
    const id = campaignIdOf(req);
    const q = parseInput(
      listCampaignEntitiesQuerySchema,
      rawQueryOf(req),
      'query',
    );
    // The page and the campaign's existence at once; no campaign is a 404 whatever the page says.
    const [, page] = await Promise.all([
      existingCampaign(id),
      store.listCampaignEntities(id, {
        states: q.state,
        owners: q.owner,
        search: q.search,
        limit: q.limit,
        offset: q.offset,
      }),
    ]);
    res.json(page);
  });

  router.get('/v1/campaigns/:id/events', async (req, res) => {
    await readerOf(req);
    const id = campaignIdOf(req);
    const events = await store.listCampaignEvents(id);
    if (!events.length) throw new NotFoundError(`No campaign with id '${id}'`);
    res.json({ events });
  });

  router.patch('/v1/campaigns/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = campaignIdOf(req);
    const { version, ...patch } = parseInput(
      updateCampaignRequestSchema,
      req.body,
      'campaign update',
    );
    await existingCampaign(id);
    await authorize(
      goalsCampaignUpdatePermission,
      credentials,
      'edit campaigns',
    );
    const campaign = await audited(
      req,
      'goals-campaign-update',
      { campaignId: id, fields: Object.keys(patch).join(',') },
      () =>
        store.updateCampaign(id, patch, version, actorOf(credentials), now()),
    );
    const snapshotted = await snapshotNow(campaign);
    res.json(await campaignDetail(snapshotted, snapshotted.id));
  });

  /** The scorecards' answer as this plugin's own: the same status and message, and 503 when they did not answer. */
  function scorecardsError(error: unknown): Error {
    if (!(error instanceof ResponseError)) {
      return new ServiceUnavailableError(
        `The scorecards backend did not answer: ${String(error)}`,
      );
    }
    const message = `Scorecards: ${
      error.body?.error?.message ?? error.message
    }`;
    return (
      errorForStatus(error.response.status, message) ??
      new ServiceUnavailableError(
        `The scorecards backend answered ${error.response.status}: ${message}`,
      )
    );
  }

  router.post('/v1/campaigns/:id/promote', async (req, res) => {
    const credentials = await personOf(req);
    const id = campaignIdOf(req);
    const { version, levelId } = parseInput(
      promoteCampaignRequestSchema,
      req.body,
      'promotion',
    );
    const campaign = await existingCampaign(id);
    await authorize(
      goalsCampaignUpdatePermission,
      credentials,
      'make campaigns permanent',
    );
    if (campaign.deadline >= dayOf(now())) {
      throw new ConflictError(
        `Campaign '${campaign.name}' runs until ${campaign.deadline}: its checks can be made permanent once it has ended`,
      );
    }
    if (campaign.promotedAt) {
      throw new ConflictError(
        `Campaign '${campaign.name}' was already made permanent by ${
          campaign.promotedBy
        } on ${campaign.promotedAt.slice(0, 10)}`,
      );
    }
    if (campaign.version !== version) {
      throw new ConflictError(
        `Campaign '${id}' was changed by ${campaign.updatedBy} since you loaded it (your version ${version}, current ${campaign.version}); reload and try again`,
      );
    }
    if (!options.scorecardsAs) {
      throw new ServiceUnavailableError(
        'Promotion to scorecards is not set up',
      );
    }
    const promoted = await audited(
      req,
      'goals-campaign-promote',
      {
        campaignId: id,
        checks: campaign.checks
          .map(c => `${c.scorecardId}/${c.checkId}`)
          .join(','),
      },
      async () => {
        // As the caller: scorecards decides `scorecards.definition.update` for this person, not for the goals plugin.
        let promotions;
        try {
          promotions = await options.scorecardsAs!(credentials).promoteChecks({
            checks: campaign.checks.map(c => ({
              scorecardId: c.scorecardId,
              checkId: c.checkId,
              ...(levelId ? { levelId } : {}),
            })),
            origin: {
              kind: 'campaign',
              id,
              title: campaign.name.slice(0, 200),
            },
          });
        } catch (error) {
          throw scorecardsError(error);
        }
        // Promoting again is idempotent in scorecards, so a failure here can be repeated safely.
        return store.promoteCampaign(
          id,
          version,
          promotions.map(p => ({
            scorecardId: p.scorecardId,
            checkId: p.checkId,
            levelId: p.levelId,
            promotionId: p.id,
          })),
          actorOf(credentials),
          now(),
        );
      },
    );
    res.json(await campaignDetail(promoted, id));
  });

  router.delete('/v1/campaigns/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = campaignIdOf(req);
    const { version } = parseInput(deleteQuerySchema, rawQueryOf(req), 'query');
    const existing = await existingCampaign(id);
    await authorize(
      goalsCampaignUpdatePermission,
      credentials,
      'delete campaigns',
    );
    await audited(
      req,
      'goals-campaign-delete',
      { campaignId: id, name: existing.name },
      () => store.deleteCampaign(id, version, actorOf(credentials)),
    );
    res.status(204).end();
  });

  // ------------------------------------------------------------ reports

  router.get('/v1/reports/stakeholder', async (req, res) => {
    const credentials = await readerOf(req);
    const q = parseInput(
      stakeholderReportQuerySchema,
      rawQueryOf(req),
      'query',
    );
    let title = 'The org';
    if (q.team !== 'org') {
      // With the caller's credentials: a group the caller cannot see is not found.
      const entity = await catalog.getEntityByRef(q.team, { credentials });
      if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'group') {
        throw new NotFoundError(`No group '${q.team}' in the catalog`);
      }
      const profile = (entity.spec as { profile?: { displayName?: string } })
        ?.profile;
      title =
        profile?.displayName ?? entity.metadata.title ?? entity.metadata.name;
    }
    if (!options.reporter) {
      throw new ServiceUnavailableError('The stakeholder report is not set up');
    }
    const report = await options.reporter.build(
      q.team,
      title,
      q.quarter,
      now(),
    );
    // The typed response is the JSON one; the exports are text.
    const text = res as unknown as express.Response;
    if (q.format === 'markdown') {
      text
        .type('text/markdown; charset=utf-8')
        .attachment(reportFileName(report, 'md'))
        .send(renderMarkdown(report));
      return;
    }
    if (q.format === 'csv') {
      text
        .type('text/csv; charset=utf-8')
        .attachment(reportFileName(report, 'csv'))
        .send(renderCsv(report));
      return;
    }
    res.json(report);
  });

  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(logger, 'goals'));
  return router;
}
