import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
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
import { normalizeEntityRef, parseInput, toCsv } from '@vitals/common';
import {
  confirmRequestSchema,
  entityPathSegmentSchema,
  exportProblemsQuerySchema,
  facetsQuerySchema,
  listGroupsQuerySchema,
  OWNERSHIP_PROBLEM_LABELS,
  ownershipConfirmPermission,
  OwnershipReportRow,
  reportProblemsQuerySchema,
  reportSummaryQuerySchema,
} from '@vitals/plugin-ownership-common';
import express from 'express';
import { z } from 'zod';
import {
  ConfirmationWindow,
  OwnershipStore,
  ReportFilter,
} from '../database/OwnershipStore';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { getEntityOwnership } from './entityOwnership';
import { confirmationCutoff, HealthRules } from './healthRules';

export interface RouterOptions {
  store: OwnershipStore;
  rules: HealthRules;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /** The clock, for tests. */
  now?: () => Date;
  /**
   * For tests: also check every response against the spec (a response that breaks it becomes a 500), so that the
   * spec's exact response schemas are held to what the handlers really send.
   */
  validateResponses?: boolean;
}

/** Most rows one CSV export returns. */
export const CSV_EXPORT_MAX_ROWS = 50_000;
/** Rows read from the store per query while exporting. */
const CSV_EXPORT_PAGE = 1000;

const entityParamsSchema = z.object({
  kind: entityPathSegmentSchema,
  namespace: entityPathSegmentSchema,
  name: entityPathSegmentSchema,
});

const groupParamsSchema = z.object({
  namespace: entityPathSegmentSchema,
  name: entityPathSegmentSchema,
});

const CSV_COLUMNS = [
  { header: 'Entity', value: (r: OwnershipReportRow) => r.entityRef },
  { header: 'Title', value: (r: OwnershipReportRow) => r.title },
  { header: 'Kind', value: (r: OwnershipReportRow) => r.kind },
  { header: 'System', value: (r: OwnershipReportRow) => r.systemRef },
  { header: 'Owner', value: (r: OwnershipReportRow) => r.ownerRef },
  {
    header: 'Problems',
    value: (r: OwnershipReportRow) =>
      r.problems.map(p => OWNERSHIP_PROBLEM_LABELS[p.kind]).join('; '),
  },
  {
    header: 'Details',
    value: (r: OwnershipReportRow) => r.problems.map(p => p.message).join(' '),
  },
  {
    header: 'Last confirmed',
    value: (r: OwnershipReportRow) => r.lastConfirmedAt,
  },
  {
    header: 'Confirmed by',
    value: (r: OwnershipReportRow) => r.lastConfirmedBy,
  },
];

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, rules, httpAuth, permissions, catalog, auditor, logger } =
    options;
  const now = options.now ?? (() => new Date());
  const router = await createOpenApiRouter({
    // zod parses the query as sent (`rawQueryOf`): the validator would hand on `limit=1e2` as 100.
    middleware: [express.json({ limit: '64kb' }), keepRawQuery()],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });
  // Reads: people and services (other plugins, scripts). A confirmation is for people only (`personOf`): it says "we,
  // the owners, still own this", which a service cannot say, and Backstage lets service principals through every
  // permission check without asking the policy, so a service token gets 403.
  const { readerOf, personOf, authorizeOnEntity, audited } = createRouteGuards({
    httpAuth,
    permissions,
    auditor,
  });

  const window = (): ConfirmationWindow => ({
    cutoff: confirmationCutoff(rules, now()),
    periodDays: rules.confirmationPeriodDays,
  });

  /** The normalised ref of the entity a path names (the spec has checked each segment already). */
  function entityRefOf(req: AnyRequest): string {
    const { kind, namespace, name } = parseInput(
      entityParamsSchema,
      req.params,
      'entity',
    );
    return normalizeEntityRef(`${kind}:${namespace}/${name}`)!;
  }

  function filterOf(q: {
    kind?: string[];
    system?: string[];
    team?: string;
  }): ReportFilter {
    return { kinds: q.kind, systemRefs: q.system, teamRef: q.team };
  }

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await readerOf(req);
    const entityRef = entityRefOf(req);
    const ownership = await getEntityOwnership({
      entityRef,
      catalog,
      credentials,
      store,
      rules,
      now: now(),
    });
    if (!ownership)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    res.json(ownership);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const credentials = await readerOf(req);
      const entityRef = entityRefOf(req);
      const events = await store.listHistory(entityRef);
      // History outlives the entity; with no history, an entity the catalog does not know is a 404.
      if (
        events.length === 0 &&
        !(await catalog.getEntityByRef(entityRef, { credentials }))
      ) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      res.json({ events });
    },
  );

  router.post(
    '/v1/entities/:kind/:namespace/:name/confirmations',
    async (req, res) => {
      const credentials = await personOf(req);
      const entityRef = entityRefOf(req);
      const body = parseInput(confirmRequestSchema, req.body, 'confirmation');
      const ownership = await getEntityOwnership({
        entityRef,
        catalog,
        credentials,
        store,
        rules,
        now: now(),
      });
      if (!ownership)
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);

      await authorizeOnEntity(
        ownershipConfirmPermission,
        ownership.entityRef,
        credentials,
        `You may not confirm ownership of ${
          ownership.entityRef
        }: only members of its owner${
          ownership.ownerRef ? ` ${ownership.ownerRef}` : ''
        } may`,
      );
      if (!ownership.ownerRef || !ownership.owner?.exists) {
        throw new ConflictError(
          ownership.ownerRef
            ? `Cannot confirm ownership of ${ownership.entityRef}: its owner ${ownership.ownerRef} is not in the catalog; fix spec.owner first`
            : `Cannot confirm ownership of ${ownership.entityRef}: it names no owner; set spec.owner first`,
        );
      }
      const ownerRef = ownership.ownerRef;

      const confirmation = await audited(
        req,
        'ownership-confirm',
        { entityRef: ownership.entityRef, ownerRef },
        () =>
          store.recordConfirmation({
            entityRef: ownership.entityRef,
            ownerRef,
            actor: actorOf(credentials),
            comment: body.comment || null,
            at: now(),
          }),
      );
      res.status(201).json(confirmation);
    },
  );

  router.get('/v1/report', async (req, res) => {
    await readerOf(req);
    const q = parseInput(reportSummaryQuerySchema, rawQueryOf(req), 'query');
    res.json(await store.getReportSummary(filterOf(q), window()));
  });

  router.get('/v1/report/problems', async (req, res) => {
    await readerOf(req);
    const q = parseInput(reportProblemsQuerySchema, rawQueryOf(req), 'query');
    res.json(
      await store.listProblems(
        {
          ...filterOf(q),
          problem: q.problem,
          limit: q.limit,
          offset: q.offset,
        },
        window(),
      ),
    );
  });

  router.get('/v1/report/problems.csv', async (req, res) => {
    await readerOf(req);
    const q = parseInput(exportProblemsQuerySchema, rawQueryOf(req), 'query');
    const w = window();
    const rows: OwnershipReportRow[] = [];
    for (
      let offset = 0;
      offset < CSV_EXPORT_MAX_ROWS;
      offset += CSV_EXPORT_PAGE
    ) {
      const page = await store.listProblems(
        { ...filterOf(q), problem: q.problem, limit: CSV_EXPORT_PAGE, offset },
        w,
      );
      rows.push(...page.rows);
      if (page.rows.length < CSV_EXPORT_PAGE) break;
    }
    res
      .type('text/csv')
      .attachment(
        q.problem ? `ownership-${q.problem}.csv` : 'ownership-problems.csv',
      )
      .send(toCsv(rows, CSV_COLUMNS));
  });

  router.get('/v1/facets', async (req, res) => {
    await readerOf(req);
    parseInput(facetsQuerySchema, rawQueryOf(req), 'query');
    res.json(await store.getFacets());
  });

  router.get('/v1/groups', async (req, res) => {
    await readerOf(req);
    const q = parseInput(listGroupsQuerySchema, rawQueryOf(req), 'query');
    res.json(await store.listGroups(q, window()));
  });

  router.get('/v1/groups/:namespace/:name', async (req, res) => {
    await readerOf(req);
    const { namespace, name } = parseInput(
      groupParamsSchema,
      req.params,
      'group',
    );
    const groupRef = normalizeEntityRef(`group:${namespace}/${name}`)!;
    const figures = await store.getGroup(groupRef, window());
    if (!figures)
      throw new NotFoundError(
        `No group ${groupRef} in the latest ownership snapshot`,
      );
    res.json(figures);
  });

  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(logger, 'ownership'));
  return router;
}
