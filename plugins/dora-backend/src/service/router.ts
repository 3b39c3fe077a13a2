import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AnyRequest,
  chunks,
  createRouteGuards,
  hideInternalErrors,
  keepRawQuery,
  rawQueryOf,
} from '@vitals/backend-common';
import { parseInput } from '@vitals/common';
import {
  activityQuerySchema,
  changesQuerySchema,
  DEFAULT_LARGE_PR_LINES,
  DEFAULT_REVIEW_OVERDUE_HOURS,
  deploymentsQuerySchema,
  doraEventCreatePermission,
  DoraActivity,
  DoraDataHealth,
  flowPullRequestsQuerySchema,
  flowQuerySchema,
  flowTeamsQuerySchema,
  flowWaitingQuerySchema,
  healthQuerySchema,
  incidentQuerySchema,
  incidentsQuerySchema,
  metricsQuerySchema,
  pipelineRunsQuerySchema,
  pipelinesQuerySchema,
  seriesQuerySchema,
  teamsQuerySchema,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import express, { RequestHandler } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DoraStore } from '../database/DoraStore';
import { DoraIngestService } from '../ingest/DoraIngestService';
import { createOpenApiRouter } from '../schema/openapi';
import { verifyPagerDutySignature } from '../webhooks/pagerduty';
import { WebhookIngestor } from '../webhooks/WebhookIngestor';
import { resolveEntityScope } from './entityScope';
import { computeFlow, computeWaiting, FlowSettings } from './flow';
import {
  computeFlowTeams,
  DEFAULT_TEAM_FIGURES_MAX_STALE_MINUTES,
  FlowTeamFiguresSettings,
} from './flowTeams';
import { computeMetrics, computeSeries } from './metrics';
import { KnownEntities } from './knownEntities';
import { servePipelines } from './pipelines';
import { computeTeamMetrics } from './teams';
import { parseEventsInUsualForm, parseEventsRequest } from './validation';

export interface RouterOptions {
  store: DoraStore;
  /** Every write goes through it: it stores and then tells other plugins. */
  ingest: DoraIngestService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /** PagerDuty v3 webhooks, when `dora.webhooks.pagerduty.secret` is configured. */
  pagerDuty?: { secret: string; ingestor: WebhookIngestor };
  /** The entity refs the catalog was seen to have (default: each trusted for a minute, at most 100,000). */
  knownEntities?: KnownEntities;
  /** `dora.flow.*`: the large-PR threshold and when a pull request waits too long for review (defaults 400 and 24). */
  flow?: Partial<FlowSettings>;
  /** How the flow org page serves its kept figures (default: at most 15 minutes old while the data changes). */
  flowTeamFigures?: Partial<FlowTeamFiguresSettings>;
  /** The clock the waits of open pull requests and the age of kept flow figures are measured with (tests set it). */
  now?: () => number;
}

const incidentIdSchema = z.string().trim().min(1, 'is required').max(200);

/** Refs per catalog lookup when checking that the entities of a batch exist. */
const CATALOG_PAGE = 500;
/** How long an entity the catalog was seen to have is trusted without asking again. */
const KNOWN_ENTITY_TTL_MS = 60_000;
const KNOWN_ENTITIES_MAX = 100_000;
const HEALTH_SAMPLE = 20;
/** 5,000 events with their commit lists. */
const EVENTS_BODY_LIMIT = '20mb';
const WEBHOOK_BODY_LIMIT = '1mb';
const PAGERDUTY_PATH = '/v1/webhooks/pagerduty';

/**
 * The body parsers, which run before the OpenAPI validator (on the outer router, so that their errors keep their
 * status): JSON up to 20 MB for every route, except the PagerDuty
 * webhook. PagerDuty signs the raw body, so that route reads it unparsed, answers 401 for a missing or wrong signature
 * before anything else looks at the body (the webhook has no Backstage principal; the signature is its
 * authentication), and only then parses the JSON for the validator and the handler.
 */
function bodyParsers(pagerDutySecret: string | undefined): RequestHandler {
  const json = express.json({ limit: EVENTS_BODY_LIMIT });
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  return (req, res, next) => {
    if (
      pagerDutySecret === undefined ||
      req.method !== 'POST' ||
      req.path !== PAGERDUTY_PATH
    ) {
      json(req, res, next);
      return;
    }
    raw(req, res, error => {
      if (error) {
        next(error);
        return;
      }
      const body: Buffer = Buffer.isBuffer(req.body)
        ? req.body
        : Buffer.alloc(0);
      const signature = req.headers['x-pagerduty-signature'];
      if (!verifyPagerDutySignature(body, signature, pagerDutySecret)) {
        next(
          new AuthenticationError('Missing or invalid X-PagerDuty-Signature'),
        );
        return;
      }
      try {
        req.body = JSON.parse(body.toString('utf8'));
      } catch {
        next(new InputError('The body is not JSON'));
        return;
      }
      next();
    });
  };
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, auth, permissions, catalog } = options;
  // Bodies are read first, on a plain router: an error there keeps its status (413 for a body too large, 401 for an
  // unsigned webhook), where the validating router would turn any error of its own middleware into a 400.
  const router = Router();
  router.use(bodyParsers(options.pagerDuty?.secret));
  // Every request (but `POST /v1/events` in the usual form, see there) is then checked against src/schema/openapi.yaml
  // before a handler runs (a violation is a 400 naming the field); the handlers' zod schemas give the typed values and
  // the messages of the rules the spec cannot say. They read the query as sent (`rawQueryOf`), not as the validator coerced it, so that `limit=1e2` is refused.
  const api = await createOpenApiRouter({
    middleware: [keepRawQuery()],
    validatorOptions: {
      // Backstage's defaults (no coercion of the body, unknown query parameters refused), plus AJV's discriminator:
      // each event is checked against the schema its `type` names only, so a bad field is named alone and 1,000
      // events cost about 1.7 ms instead of 2.3 ms (src/schema/openapi.yaml names the event schemas after `type`).
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: false,
        discriminator: true,
      },
    },
  });
  const guards = createRouteGuards(options);
  const knownEntities =
    options.knownEntities ??
    new KnownEntities({
      ttlMs: KNOWN_ENTITY_TTL_MS,
      maxEntries: KNOWN_ENTITIES_MAX,
    });

  if (options.pagerDuty) {
    const { ingestor } = options.pagerDuty;
    // The signature was checked and the body parsed by bodyParsers, before the validator.
    api.post(PAGERDUTY_PATH, async (req, res) => {
      const accepted = await ingestor.ingestPagerDuty(
        req.body,
        req as AnyRequest,
      );
      res.json({ accepted });
    });
  }

  /**
   * What the read routes of one entity share: the caller, the validated query, the entities it pools (the entity, or
   * what a group owns) and the window in epoch milliseconds.
   */
  async function scopedQuery<
    T extends z.ZodType<{ entityRef: string; from: string; to: string }>,
  >(req: AnyRequest, schema: T) {
    const credentials = await guards.readerOf(req);
    const query: z.output<T> = parseInput(schema, rawQueryOf(req), 'query');
    const entityRefs = await resolveEntityScope(
      catalog,
      query.entityRef,
      credentials,
    );
    return {
      query,
      entityRefs,
      from: Date.parse(query.from),
      to: Date.parse(query.to),
    };
  }

  /**
   * The refs of these that the catalog does not have. Refs it was seen to have in the last minute are not asked
   * again (see {@link KnownEntities}); an entity deleted from the catalog is refused at most a minute later.
   */
  async function missingFromCatalog(entityRefs: string[]): Promise<string[]> {
    const toAsk = knownEntities.unknown(entityRefs);
    if (toAsk.length === 0) return [];
    // Existence is checked as the plugin itself: a CI token may be restricted to the dora plugin.
    const credentials = await auth.getOwnServiceCredentials();
    const missing: string[] = [];
    for (const refs of chunks(toAsk, CATALOG_PAGE)) {
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      const found: string[] = [];
      items.forEach((entity, index) => {
        if (entity) found.push(refs[index]);
        else missing.push(refs[index]);
      });
      knownEntities.remember(found);
    }
    return missing;
  }

  /**
   * `dora.event.create` on every entity of a batch, asked for every caller (service principals too: Backstage decides
   * those by the token's access restrictions). One request to the permission framework for the whole batch, where
   * the shared `authorizeOnEntity` would make one per entity.
   */
  async function authorizeEvents(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ) {
    const decisions = await permissions.authorize(
      entityRefs.map(resourceRef => ({
        permission: doraEventCreatePermission,
        resourceRef,
      })),
      { credentials },
    );
    const denied = entityRefs.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied.length) {
      throw new NotAllowedError(
        `You may not send delivery events for ${denied.slice(0, 5).join(', ')}${
          denied.length > 5 ? ', ...' : ''
        }: only their owners and CI may`,
      );
    }
  }

  /** `POST /v1/events` once its events are parsed. */
  async function ingestEvents(
    req: AnyRequest,
    res: express.Response,
    events: ParsedDoraEvent[],
  ) {
    const credentials = await guards.readerOf(req);
    const entityRefs = [...new Set(events.map(e => e.entityRef))];
    const missing = new Set(await missingFromCatalog(entityRefs));
    if (missing.size) {
      const index = events.findIndex(e => missing.has(e.entityRef));
      const others =
        missing.size > 1
          ? ` (${missing.size} unknown entities in this request)`
          : '';
      throw new InputError(
        `Invalid events: events[${index}].entityRef: '${events[index].entityRef}' is not an entity in the catalog${others}`,
      );
    }
    await authorizeEvents(entityRefs, credentials);
    const meta: { events: number; entities: number; accepted?: number } = {
      events: events.length,
      entities: entityRefs.length,
    };
    const accepted = await guards.audited(
      req,
      'dora-events-ingest',
      meta,
      async () => {
        const count = await options.ingest.ingest(events);
        // The success event carries the count: `audited` reports `meta` as it is when the write is done.
        meta.accepted = count;
        return count;
      },
      'low',
    );
    res.json({ accepted });
  }

  // What CI sends (every event in the usual form, which the spec accepts) is handled here, before the OpenAPI
  // validator, whose pass over every event would only repeat the checks; any other request goes on to the validator
  // and the route below, so that its 400s are the validator's.
  router.post('/v1/events', async (req, res) => {
    if (req.url.includes('?')) return 'next';
    const events = await parseEventsInUsualForm(req.body);
    if (!events) return 'next';
    await ingestEvents(req as AnyRequest, res, events);
    return undefined;
  });
  router.use(api);
  api.post('/v1/events', async (req, res) => {
    const { events } = await parseEventsRequest(req.body);
    await ingestEvents(req as AnyRequest, res, events);
  });

  api.get('/v1/metrics', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      metricsQuerySchema,
    );
    res.json(
      await computeMetrics(store, {
        entityRef: query.entityRef,
        entityRefs,
        from,
        to,
        benchmark: query.benchmark,
      }),
    );
  });

  api.get('/v1/teams', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(teamsQuerySchema, rawQueryOf(req), 'query');
    res.json(
      await computeTeamMetrics({
        store,
        catalog,
        credentials,
        from: Date.parse(query.from),
        to: Date.parse(query.to),
        benchmark: query.benchmark,
        type: query.type,
      }),
    );
  });

  api.get('/v1/series', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      seriesQuerySchema,
    );
    res.json(
      await computeSeries(store, {
        entityRef: query.entityRef,
        entityRefs,
        from,
        to,
      }),
    );
  });

  api.get('/v1/deployments', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      deploymentsQuerySchema,
    );
    const { failed, rework, limit, offset } = query;
    res.json(
      await store.listDeployments({
        entityRefs,
        from,
        to,
        failed,
        rework,
        limit,
        offset,
      }),
    );
  });

  api.get('/v1/changes', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      changesQuerySchema,
    );
    const { deploymentId, limit, offset } = query;
    res.json(
      await store.listChanges({
        entityRefs,
        from,
        to,
        deploymentId,
        limit,
        offset,
      }),
    );
  });

  api.get('/v1/incidents', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(incidentsQuerySchema, rawQueryOf(req), 'query');
    // Without an entity: every entity's incidents, for a plugin that keeps its own copy (postmortems).
    const entityRefs = query.entityRef
      ? await resolveEntityScope(catalog, query.entityRef, credentials)
      : undefined;
    res.json(
      await store.listIncidents({
        entityRefs,
        from: Date.parse(query.from),
        to: Date.parse(query.to),
        window: query.window,
        deploymentId: query.deploymentId,
        limit: query.limit,
        offset: query.offset,
      }),
    );
  });

  api.get('/v1/incidents/:id', async (req, res) => {
    await guards.readerOf(req);
    const { entityRef } = parseInput(
      incidentQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const id = parseInput(incidentIdSchema, req.params.id, 'incident id');
    const incident = await store.getIncident(id);
    // Ids are scoped to their entity: another entity's incident is not found here.
    if (!incident || incident.entityRef !== entityRef) {
      throw new NotFoundError(`${entityRef} has no incident '${id}'`);
    }
    res.json(incident);
  });

  const flowSettings: FlowSettings = {
    largePrLines: options.flow?.largePrLines ?? DEFAULT_LARGE_PR_LINES,
    reviewOverdueHours:
      options.flow?.reviewOverdueHours ?? DEFAULT_REVIEW_OVERDUE_HOURS,
  };

  const teamFigures: FlowTeamFiguresSettings = {
    maxStaleMs:
      options.flowTeamFigures?.maxStaleMs ??
      DEFAULT_TEAM_FIGURES_MAX_STALE_MINUTES * 60_000,
  };

  api.get('/v1/flow', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      flowQuerySchema,
    );
    res.json(
      await computeFlow(store.flow, {
        entityRef: query.entityRef,
        entityRefs,
        from,
        to,
        settings: flowSettings,
      }),
    );
  });

  api.get('/v1/flow/pull-requests', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      flowPullRequestsQuerySchema,
    );
    const { part, unreviewed, large, limit, offset } = query;
    res.json(
      await store.flow.listPullRequests({
        entityRefs,
        from,
        to,
        part,
        unreviewed,
        large,
        largePrLines: flowSettings.largePrLines,
        limit,
        offset,
      }),
    );
  });

  api.get('/v1/flow/waiting', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(flowWaitingQuerySchema, rawQueryOf(req), 'query');
    const entityRefs = await resolveEntityScope(
      catalog,
      query.entityRef,
      credentials,
    );
    res.json(
      await computeWaiting(store.flow, {
        entityRef: query.entityRef,
        entityRefs,
        now: options.now?.() ?? Date.now(),
        limit: query.limit,
        offset: query.offset,
        settings: flowSettings,
      }),
    );
  });

  api.get('/v1/flow/teams', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(flowTeamsQuerySchema, rawQueryOf(req), 'query');
    res.json(
      await computeFlowTeams({
        stores: { flow: store.flow, figures: store.flowFigures },
        catalog,
        credentials,
        from: Date.parse(query.from),
        to: Date.parse(query.to),
        now: options.now?.() ?? Date.now(),
        type: query.type,
        settings: flowSettings,
        teamFigures,
      }),
    );
  });

  api.get('/v1/pipelines', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      pipelinesQuerySchema,
    );
    res.json(
      await servePipelines(
        { runs: store, figures: store.pipelineFigures },
        {
          entityRef: query.entityRef,
          entityRefs,
          from,
          to,
          now: options.now?.() ?? Date.now(),
        },
      ),
    );
  });

  api.get('/v1/pipelines/runs', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      pipelineRunsQuerySchema,
    );
    const { pipeline, status, defaultBranch, flaky, limit, offset } = query;
    res.json(
      await store.listPipelineRuns({
        entityRefs,
        from,
        to,
        pipeline,
        status,
        defaultBranch,
        flaky,
        limit,
        offset,
      }),
    );
  });

  api.get('/v1/activity', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(activityQuerySchema, rawQueryOf(req), 'query');
    const entityRefs = await resolveEntityScope(
      catalog,
      query.entityRef,
      credentials,
    );
    const { firstEventAt, lastEventAt } = await store.activity(entityRefs);
    const iso = (ms: number | null) =>
      ms === null ? null : new Date(ms).toISOString();
    const body: DoraActivity = {
      entityRef: query.entityRef,
      entityRefs,
      hasEvents: firstEventAt !== null,
      firstEventAt: iso(firstEventAt),
      lastEventAt: iso(lastEventAt),
    };
    res.json(body);
  });

  api.get('/v1/health', async (req, res) => {
    const credentials = await guards.readerOf(req);
    const query = parseInput(healthQuerySchema, rawQueryOf(req), 'query');
    const scope = query.entityRef
      ? await resolveEntityScope(catalog, query.entityRef, credentials)
      : undefined;
    const counts = await store.dataHealth(scope, HEALTH_SAMPLE);
    const entitiesNotInCatalog: string[] = [];
    for (let after: string | undefined; ; ) {
      const refs = await store.listEntityRefs({
        entityRefs: scope,
        after,
        limit: CATALOG_PAGE,
      });
      if (refs.length === 0) break;
      entitiesNotInCatalog.push(...(await missingFromCatalog(refs)));
      after = refs[refs.length - 1];
      if (refs.length < CATALOG_PAGE) break;
    }
    const body: DoraDataHealth = {
      entityRef: query.entityRef ?? null,
      ...counts,
      entitiesNotInCatalog,
    };
    res.json(body);
  });

  router.use(hideInternalErrors(options.logger, 'dora'));

  return router;
}
