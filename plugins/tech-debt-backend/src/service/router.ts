import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
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
  budgetQuerySchema,
  createItemRequestSchema,
  DebtItem,
  defaultSortOrder,
  deleteItemQuerySchema,
  incidentIdSchema,
  linkIncidentRequestSchema,
  listItemsQuerySchema,
  putBudgetRequestSchema,
  quarterSchema,
  repeatIncidentsQuerySchema,
  STATUS_LABELS,
  summaryQuerySchema,
  techDebtBudgetUpdatePermission,
  techDebtItemCreatePermission,
  techDebtItemDeletePermission,
  techDebtItemUpdatePermission,
  updateItemRequestSchema,
} from '@vitals/plugin-tech-debt-common';
import express from 'express';
import { z } from 'zod';
import { ListItemsOptions, TechDebtStore } from '../database/TechDebtStore';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { requireCatalogEntity } from './catalogPlacement';

export interface RouterOptions {
  store: TechDebtStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /**
   * Plugins whose own service credentials may refresh the snapshot of an incident link that a person made (config
   * `techDebt.incidentLinks.refreshingPlugins`); `['postmortems']` unless given.
   */
  incidentLinkRefreshers?: string[];
  /**
   * For tests: also check every response against the spec (a response that breaks it becomes a 500), so that the
   * spec's exact response schemas are held to what the handlers really send.
   */
  validateResponses?: boolean;
}

/** Most rows one CSV export returns; the UI says so when a filter matches more. */
export const CSV_EXPORT_MAX_ROWS = 50_000;
/** Rows read from the store per query while exporting. */
const CSV_EXPORT_PAGE = 1000;

const itemIdSchema = z.string().uuid({ message: 'must be an item id (UUID)' });

/** The 403 message when the policy refuses a change: only an entity's owners may edit its tech-debt data. */
const refusal = (action: string, entityRef: string) =>
  `You may not ${action} of ${entityRef}: only its owners may edit its tech-debt data`;

const CSV_COLUMNS = [
  { header: 'Priority', value: (i: DebtItem) => i.priority },
  { header: 'Title', value: (i: DebtItem) => i.title },
  { header: 'Entity', value: (i: DebtItem) => i.entityRef },
  { header: 'Owner', value: (i: DebtItem) => i.ownerRef },
  { header: 'System', value: (i: DebtItem) => i.systemRef },
  { header: 'Category', value: (i: DebtItem) => i.category },
  { header: 'Status', value: (i: DebtItem) => STATUS_LABELS[i.status] },
  { header: 'Impact', value: (i: DebtItem) => i.impact },
  { header: 'Effort (days)', value: (i: DebtItem) => i.effortDays },
  {
    header: 'Interest (h/month)',
    value: (i: DebtItem) => i.interestHoursPerMonth,
  },
  { header: 'Assignee', value: (i: DebtItem) => i.assignee },
  { header: 'Tracker', value: (i: DebtItem) => i.trackerUrl },
  { header: 'Tags', value: (i: DebtItem) => i.tags.join(' ') },
  {
    header: 'Incidents (90 days)',
    value: (i: DebtItem) => i.measuredInterest.incidents,
  },
  {
    header: 'Restore minutes (90 days)',
    value: (i: DebtItem) => i.measuredInterest.restoreMinutes,
  },
  { header: 'Created', value: (i: DebtItem) => i.createdAt },
  { header: 'Updated', value: (i: DebtItem) => i.updatedAt },
];

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth, permissions, catalog, auditor, logger } = options;
  const router = await createOpenApiRouter({
    // zod parses the query as sent (`rawQueryOf`): the validator hands on `version=1e2` as 100.
    middleware: [express.json({ limit: '1mb' }), keepRawQuery()],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });
  // Reads: people and services (CI, other plugins). Writes are for people only (`personOf`): Backstage lets a service
  // principal through every permission check without asking the policy, so a CI token could otherwise change any
  // team's register; a service token gets 403.
  const { readerOf, personOf, authorizeOnEntity, audited } = createRouteGuards({
    httpAuth,
    permissions,
    auditor,
  });
  const refreshers = new Set(
    (options.incidentLinkRefreshers ?? ['postmortems']).map(
      pluginId => `plugin:${pluginId}`,
    ),
  );

  /**
   * Whether a service principal is a plugin allowed to refresh incident links: its own plugin-to-plugin credentials
   * (which never carry access restrictions, unlike a static or JWKS external-access token, even one configured with
   * the same subject).
   */
  const isLinkRefresher = (credentials: BackstageCredentials) => {
    const principal = credentials.principal as BackstageServicePrincipal;
    return (
      principal.type === 'service' &&
      refreshers.has(principal.subject) &&
      principal.accessRestrictions === undefined
    );
  };

  /** The filter, order and page of a list or export, from the query as sent. */
  function listOptionsOf(req: AnyRequest): ListItemsOptions {
    const q = parseInput(listItemsQuerySchema, rawQueryOf(req), 'query');
    return {
      ids: q.ids,
      entityRefs: q.entityRef,
      ownerRefs: q.owner,
      systemRefs: q.system,
      statuses: q.status,
      categories: q.category,
      tag: q.tag,
      search: q.search,
      orderBy: q.orderBy,
      order: q.order ?? defaultSortOrder(q.orderBy),
      limit: q.limit,
      offset: q.offset,
    };
  }

  const itemIdOf = (req: AnyRequest) =>
    parseInput(itemIdSchema, req.params.id, 'item id');

  /** The quarter and team of a budget route. */
  const budgetParamsOf = (req: AnyRequest) => {
    const quarter = parseInput(quarterSchema, req.params.quarter, 'quarter');
    const { groupRef } = parseInput(
      budgetQuerySchema,
      rawQueryOf(req),
      'query',
    );
    return { quarter, groupRef };
  };

  router.get('/v1/items', async (req, res) => {
    await readerOf(req);
    res.json(await store.listItems(listOptionsOf(req)));
  });

  router.get('/v1/items/export.csv', async (req, res) => {
    await readerOf(req);
    // The spec refuses paging here: the export is every matching item, up to CSV_EXPORT_MAX_ROWS.
    const base = listOptionsOf(req);
    const items: DebtItem[] = [];
    for (
      let offset = 0;
      offset < CSV_EXPORT_MAX_ROWS;
      offset += CSV_EXPORT_PAGE
    ) {
      const page = await store.listItems({
        ...base,
        limit: CSV_EXPORT_PAGE,
        offset,
      });
      items.push(...page.items);
      if (page.items.length < CSV_EXPORT_PAGE) break;
    }
    res
      .type('text/csv')
      .attachment('tech-debt.csv')
      .send(toCsv(items, CSV_COLUMNS));
  });

  router.get('/v1/items/:id', async (req, res) => {
    await readerOf(req);
    const id = itemIdOf(req);
    const item = await store.getItem(id);
    if (!item) throw new NotFoundError(`No debt item with id '${id}'`);
    res.json(item);
  });

  router.get('/v1/items/:id/events', async (req, res) => {
    await readerOf(req);
    const id = itemIdOf(req);
    const events = await store.listItemEvents(id);
    if (events.length === 0)
      throw new NotFoundError(`No debt item with id '${id}'`);
    res.json({ events });
  });

  router.post('/v1/items', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(createItemRequestSchema, req.body, 'debt item');
    const { placement } = await requireCatalogEntity(
      catalog,
      body.entityRef,
      credentials,
    );
    await authorizeOnEntity(
      techDebtItemCreatePermission,
      placement.entityRef,
      credentials,
      refusal('add debt items to the register', placement.entityRef),
    );
    const item = await audited(
      req,
      'tech-debt-item-create',
      { entityRef: placement.entityRef, title: body.title },
      () =>
        store.createItem(
          {
            ...placement,
            title: body.title,
            description: body.description,
            category: body.category,
            impact: body.impact,
            effortDays: body.effortDays,
            interestHoursPerMonth: body.interestHoursPerMonth ?? null,
            status: body.status,
            assignee: body.assignee ?? null,
            trackerUrl: body.trackerUrl ?? null,
            tags: body.tags,
          },
          actorOf(credentials),
        ),
    );
    res.status(201).json(item);
  });

  router.patch('/v1/items/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = itemIdOf(req);
    const { version, ...patch } = parseInput(
      updateItemRequestSchema,
      req.body,
      'debt item update',
    );
    const existing = await store.getItem(id);
    if (!existing) throw new NotFoundError(`No debt item with id '${id}'`);
    await authorizeOnEntity(
      techDebtItemUpdatePermission,
      existing.entityRef,
      credentials,
      refusal('edit the debt items', existing.entityRef),
    );
    const item = await audited(
      req,
      'tech-debt-item-update',
      {
        itemId: id,
        entityRef: existing.entityRef,
        fields: Object.keys(patch).join(','),
      },
      () => store.updateItem(id, patch, version, actorOf(credentials)),
    );
    res.json(item);
  });

  router.delete('/v1/items/:id', async (req, res) => {
    const credentials = await personOf(req);
    const id = itemIdOf(req);
    const { version } = parseInput(
      deleteItemQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const existing = await store.getItem(id);
    if (!existing) throw new NotFoundError(`No debt item with id '${id}'`);
    await authorizeOnEntity(
      techDebtItemDeletePermission,
      existing.entityRef,
      credentials,
      refusal('delete the debt items', existing.entityRef),
    );
    await audited(
      req,
      'tech-debt-item-delete',
      { itemId: id, entityRef: existing.entityRef, title: existing.title },
      () => store.deleteItem(id, version, actorOf(credentials)),
    );
    res.status(204).end();
  });

  const incidentIdOf = (req: AnyRequest) =>
    parseInput(incidentIdSchema, req.params.incidentId, 'incident id');

  router.put('/v1/items/:id/incidents/:incidentId', async (req, res) => {
    // People link; the postmortems plugin's own service may only refresh a link a person made (see the README).
    const credentials = await readerOf(req);
    const service =
      (credentials.principal as { type: string }).type === 'service';
    if (service && !isLinkRefresher(credentials)) {
      throw new NotAllowedError(
        'Linking incidents to debt items is for people; a service may only refresh a link, and only the services of the configured plugins may do that',
      );
    }
    const id = itemIdOf(req);
    const incidentId = incidentIdOf(req);
    const body = parseInput(
      linkIncidentRequestSchema,
      req.body,
      'incident link',
    );
    const existing = await store.getItem(id);
    if (!existing) throw new NotFoundError(`No debt item with id '${id}'`);
    if (service) {
      if (!(await store.getIncidentLink(id, incidentId))) {
        throw new NotAllowedError(
          `A service may only refresh a link a person made, and incident '${incidentId}' is not linked to debt item '${id}'`,
        );
      }
    } else {
      await authorizeOnEntity(
        techDebtItemUpdatePermission,
        existing.entityRef,
        credentials,
        refusal('link incidents to the debt items', existing.entityRef),
      );
    }
    const result = await audited(
      req,
      'tech-debt-item-incident-link',
      {
        itemId: id,
        entityRef: existing.entityRef,
        incidentId,
        postmortemId: body.postmortemId,
      },
      () =>
        store.linkIncident(id, incidentId, body, actorOf(credentials), {
          refreshOnly: service,
        }),
    );
    res.json(result);
  });

  router.delete('/v1/items/:id/incidents/:incidentId', async (req, res) => {
    const credentials = await personOf(req);
    const id = itemIdOf(req);
    const incidentId = incidentIdOf(req);
    const existing = await store.getItem(id);
    if (!existing) throw new NotFoundError(`No debt item with id '${id}'`);
    await authorizeOnEntity(
      techDebtItemUpdatePermission,
      existing.entityRef,
      credentials,
      refusal('unlink incidents from the debt items', existing.entityRef),
    );
    await audited(
      req,
      'tech-debt-item-incident-unlink',
      { itemId: id, entityRef: existing.entityRef, incidentId },
      () => store.unlinkIncident(id, incidentId, actorOf(credentials)),
    );
    res.status(204).end();
  });

  router.get('/v1/reports/repeat-incidents', async (req, res) => {
    await readerOf(req);
    const q = parseInput(repeatIncidentsQuerySchema, rawQueryOf(req), 'query');
    res.json(
      await store.getRepeatIncidents({
        ownerRefs: q.owner,
        days: q.days,
        minIncidents: q.minIncidents,
      }),
    );
  });

  router.get('/v1/summary', async (req, res) => {
    await readerOf(req);
    const { entityRef } = parseInput(
      summaryQuerySchema,
      rawQueryOf(req),
      'query',
    );
    res.json(await store.getSummary(entityRef));
  });

  router.get('/v1/facets', async (req, res) => {
    await readerOf(req);
    res.json(await store.getFacets());
  });

  router.get('/v1/budgets/:quarter', async (req, res) => {
    await readerOf(req);
    const { quarter, groupRef } = budgetParamsOf(req);
    res.json(await store.getBudget(groupRef, quarter));
  });

  router.put('/v1/budgets/:quarter', async (req, res) => {
    const credentials = await personOf(req);
    const { quarter, groupRef } = budgetParamsOf(req);
    const body = parseInput(putBudgetRequestSchema, req.body, 'budget');
    await requireCatalogEntity(catalog, groupRef, credentials, 'groupRef');
    await authorizeOnEntity(
      techDebtBudgetUpdatePermission,
      groupRef,
      credentials,
      refusal('set the debt budget', groupRef),
    );
    const budget = await audited(
      req,
      'tech-debt-budget-update',
      {
        groupRef,
        quarter,
        capacityDays: body.capacityDays,
        sharePercent: body.sharePercent,
      },
      () =>
        store.putBudget(
          {
            groupRef,
            quarter,
            capacityDays: body.capacityDays,
            sharePercent: body.sharePercent,
          },
          body.version,
          actorOf(credentials),
        ),
    );
    res.json(budget);
  });

  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(logger, 'tech-debt'));
  return router;
}
