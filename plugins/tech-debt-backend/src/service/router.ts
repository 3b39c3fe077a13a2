import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { toCsv } from '@vitals/common';
import {
  budgetQuerySchema,
  createItemRequestSchema,
  DebtItem,
  deleteItemQuerySchema,
  listItemsQuerySchema,
  putBudgetRequestSchema,
  quarterSchema,
  STATUS_LABELS,
  summaryQuerySchema,
  techDebtBudgetUpdatePermission,
  techDebtItemCreatePermission,
  techDebtItemDeletePermission,
  techDebtItemUpdatePermission,
  updateItemRequestSchema,
} from '@vitals/plugin-tech-debt-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ListItemsOptions, TechDebtStore } from '../database/TechDebtStore';
import { requireCatalogEntity } from './catalogPlacement';
import { hideInternalErrors } from '@vitals/backend-common';
import { parseInput } from './validation';

export interface RouterOptions {
  store: TechDebtStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
}

/** Most rows one CSV export returns; the UI says so when a filter matches more. */
export const CSV_EXPORT_MAX_ROWS = 50_000;

const itemIdSchema = z.string().uuid({ message: 'must be an item id (UUID)' });

/** Who made a change: writes are for people only, so always a user entity ref. */
function actorOf(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
): string {
  return credentials.principal.userEntityRef;
}

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
  { header: 'Created', value: (i: DebtItem) => i.createdAt },
  { header: 'Updated', value: (i: DebtItem) => i.updatedAt },
];

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth, permissions, catalog, auditor, logger } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  /** Readers: people and services (CI, other plugins). */
  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  /**
   * Writers: people only. Backstage lets a service principal through every permission check without asking the
   * policy, so a CI token could otherwise change any team's register; a service token gets 403 here.
   */
  const writerOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  async function authorizeOnEntity(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
    action: string,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${action} of ${entityRef}: only its owners may edit its tech-debt data`,
      );
    }
  }

  /** Runs a mutation as an audit event: success with its result, or failure with the error. */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: Record<string, string | number | null>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const result = await fn();
      await event.success({ meta });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      throw error;
    }
  }

  function toListOptions(query: unknown): ListItemsOptions {
    const q = parseInput(listItemsQuerySchema, query, 'query');
    return {
      entityRefs: q.entityRef,
      ownerRefs: q.owner,
      systemRefs: q.system,
      statuses: q.status,
      categories: q.category,
      tag: q.tag,
      search: q.search,
      orderBy: q.orderBy,
      order: q.order ?? (['title'].includes(q.orderBy) ? 'asc' : 'desc'),
      limit: q.limit,
      offset: q.offset,
    };
  }

  router.get('/v1/items', async (req, res) => {
    await credentialsOf(req);
    res.json(await store.listItems(toListOptions(req.query)));
  });

  router.get('/v1/items/export.csv', async (req, res) => {
    await credentialsOf(req);
    const base = toListOptions({
      ...req.query,
      limit: undefined,
      offset: undefined,
    });
    const items: DebtItem[] = [];
    for (let offset = 0; offset < CSV_EXPORT_MAX_ROWS; offset += 1000) {
      const page = await store.listItems({ ...base, limit: 1000, offset });
      items.push(...page.items);
      if (page.items.length < 1000) break;
    }
    res
      .type('text/csv')
      .attachment('tech-debt.csv')
      .send(toCsv(items, CSV_COLUMNS));
  });

  router.get('/v1/items/:id', async (req, res) => {
    await credentialsOf(req);
    const id = parseInput(itemIdSchema, req.params.id, 'item id');
    const item = await store.getItem(id);
    if (!item) throw new NotFoundError(`No debt item with id '${id}'`);
    res.json(item);
  });

  router.get('/v1/items/:id/events', async (req, res) => {
    await credentialsOf(req);
    const id = parseInput(itemIdSchema, req.params.id, 'item id');
    const events = await store.listItemEvents(id);
    if (events.length === 0)
      throw new NotFoundError(`No debt item with id '${id}'`);
    res.json({ events });
  });

  router.post('/v1/items', async (req, res) => {
    const credentials = await writerOf(req);
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
      'add debt items to the register',
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
    const credentials = await writerOf(req);
    const id = parseInput(itemIdSchema, req.params.id, 'item id');
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
      'edit the debt items',
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
    const credentials = await writerOf(req);
    const id = parseInput(itemIdSchema, req.params.id, 'item id');
    const { version } = parseInput(deleteItemQuerySchema, req.query, 'query');
    const existing = await store.getItem(id);
    if (!existing) throw new NotFoundError(`No debt item with id '${id}'`);
    await authorizeOnEntity(
      techDebtItemDeletePermission,
      existing.entityRef,
      credentials,
      'delete the debt items',
    );
    await audited(
      req,
      'tech-debt-item-delete',
      { itemId: id, entityRef: existing.entityRef, title: existing.title },
      () => store.deleteItem(id, version, actorOf(credentials)),
    );
    res.status(204).end();
  });

  router.get('/v1/summary', async (req, res) => {
    await credentialsOf(req);
    const { entityRef } = parseInput(summaryQuerySchema, req.query, 'query');
    res.json(await store.getSummary(entityRef));
  });

  router.get('/v1/facets', async (req, res) => {
    await credentialsOf(req);
    res.json(await store.getFacets());
  });

  const budgetParams = (req: Request) => {
    const quarter = parseInput(quarterSchema, req.params.quarter, 'quarter');
    const { groupRef } = parseInput(budgetQuerySchema, req.query, 'query');
    return { quarter, groupRef };
  };

  router.get('/v1/budgets/:quarter', async (req, res) => {
    await credentialsOf(req);
    const { quarter, groupRef } = budgetParams(req);
    res.json(await store.getBudget(groupRef, quarter));
  });

  router.put('/v1/budgets/:quarter', async (req, res) => {
    const credentials = await writerOf(req);
    const { quarter, groupRef } = budgetParams(req);
    const body = parseInput(putBudgetRequestSchema, req.body, 'budget');
    await requireCatalogEntity(catalog, groupRef, credentials, 'groupRef');
    await authorizeOnEntity(
      techDebtBudgetUpdatePermission,
      groupRef,
      credentials,
      'set the debt budget',
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

  router.use(hideInternalErrors(logger, 'tech-debt'));
  return router;
}
