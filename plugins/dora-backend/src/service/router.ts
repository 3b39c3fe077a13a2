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
} from '@backstage/errors';
import { hideInternalErrors } from '@vitals/backend-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  activityQuerySchema,
  changesQuerySchema,
  deploymentsQuerySchema,
  doraEventCreatePermission,
  DoraActivity,
  DoraDataHealth,
  healthQuerySchema,
  incidentsQuerySchema,
  metricsQuerySchema,
  seriesQuerySchema,
  teamsQuerySchema,
} from '@vitals/plugin-dora-common';
import express, { Request } from 'express';
import { z } from 'zod';
import Router from 'express-promise-router';
import { DoraStore } from '../database/DoraStore';
import { DoraIngestService } from '../ingest/DoraIngestService';
import { resolveEntityScope } from './entityScope';
import { computeMetrics, computeSeries } from './metrics';
import { computeTeamMetrics } from './teams';
import { parseEventsRequest, parseInput } from './validation';
import { verifyPagerDutySignature } from '../webhooks/pagerduty';
import { WebhookIngestor } from '../webhooks/WebhookIngestor';

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
}

/** Refs per catalog lookup when checking that the entities of a batch exist. */
const CATALOG_PAGE = 500;
const HEALTH_SAMPLE = 20;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth, auth, permissions, catalog, auditor } = options;
  const router = Router();

  if (options.pagerDuty) {
    const { secret, ingestor } = options.pagerDuty;
    // PagerDuty signs the raw body, so this route reads it unparsed (before the JSON parser below). It has no Backstage
    // principal; the signature is its authentication.
    router.post(
      '/v1/webhooks/pagerduty',
      express.raw({ type: () => true, limit: '1mb' }),
      async (req, res) => {
        const body: Buffer = Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.alloc(0);
        if (
          !verifyPagerDutySignature(
            body,
            req.headers['x-pagerduty-signature'],
            secret,
          )
        ) {
          throw new AuthenticationError(
            'Missing or invalid X-PagerDuty-Signature',
          );
        }
        let payload: unknown;
        try {
          payload = JSON.parse(body.toString('utf8'));
        } catch {
          throw new InputError('The body is not JSON');
        }
        const accepted = await ingestor.ingestPagerDuty(payload, req);
        res.json({ accepted });
      },
    );
  }

  // 5,000 events with their commit lists.
  router.use(express.json({ limit: '20mb' }));

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /**
   * What the read routes of one entity share: the caller, the validated query, the entities it pools (the entity, or
   * what a group owns) and the window in epoch milliseconds.
   */
  async function scopedQuery<
    T extends z.ZodType<{ entityRef: string; from: string; to: string }>,
  >(req: Request, schema: T) {
    const credentials = await credentialsOf(req);
    const query: z.output<T> = parseInput(schema, req.query, 'query');
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

  /** The refs of these that the catalog does not have. */
  async function missingFromCatalog(entityRefs: string[]): Promise<string[]> {
    // Existence is checked as the plugin itself: a CI token may be restricted to the dora plugin.
    const credentials = await auth.getOwnServiceCredentials();
    const missing: string[] = [];
    for (let i = 0; i < entityRefs.length; i += CATALOG_PAGE) {
      const refs = entityRefs.slice(i, i + CATALOG_PAGE);
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      items.forEach((entity, index) => {
        if (!entity) missing.push(refs[index]);
      });
    }
    return missing;
  }

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

  router.post('/v1/events', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { events } = await parseEventsRequest(req.body);
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
    const meta = { events: events.length, entities: entityRefs.length };
    const audit = await auditor.createEvent({
      eventId: 'dora-events-ingest',
      severityLevel: 'low',
      request: req,
      meta,
    });
    try {
      const accepted = await options.ingest.ingest(events);
      await audit.success({ meta: { ...meta, accepted } });
      res.json({ accepted });
    } catch (error) {
      await audit.fail({ error: error as Error, meta });
      throw error;
    }
  });

  router.get('/v1/metrics', async (req, res) => {
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

  router.get('/v1/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(teamsQuerySchema, req.query, 'query');
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

  router.get('/v1/series', async (req, res) => {
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

  router.get('/v1/deployments', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      deploymentsQuerySchema,
    );
    const { failed, limit, offset } = query;
    res.json(
      await store.listDeployments({
        entityRefs,
        from,
        to,
        failed,
        limit,
        offset,
      }),
    );
  });

  router.get('/v1/changes', async (req, res) => {
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

  router.get('/v1/incidents', async (req, res) => {
    const { query, entityRefs, from, to } = await scopedQuery(
      req,
      incidentsQuerySchema,
    );
    const { deploymentId, limit, offset } = query;
    res.json(
      await store.listIncidents({
        entityRefs,
        from,
        to,
        deploymentId,
        limit,
        offset,
      }),
    );
  });

  router.get('/v1/activity', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(activityQuerySchema, req.query, 'query');
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

  router.get('/v1/health', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(healthQuerySchema, req.query, 'query');
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
