import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { normalizeEntityRef, parseInput, toCsv } from '@vitals/common';
import {
  confirmRequestSchema,
  entityPathSegmentSchema,
  listGroupsQuerySchema,
  OWNERSHIP_PROBLEM_LABELS,
  ownershipConfirmPermission,
  OwnershipReportRow,
  reportProblemsQuerySchema,
  reportSummaryQuerySchema,
} from '@vitals/plugin-ownership-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ConfirmationWindow,
  OwnershipStore,
  ReportFilter,
} from '../database/OwnershipStore';
import { getEntityOwnership } from './entityOwnership';
import { hideInternalErrors } from '@vitals/backend-common';
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
}

/** Most rows one CSV export returns. */
export const CSV_EXPORT_MAX_ROWS = 50_000;

/** Who confirmed: confirmations are for people only, so always a user entity ref. */
function actorOf(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
): string {
  return credentials.principal.userEntityRef;
}

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
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  /** Readers: people and services (other plugins, scripts). */
  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  /**
   * Writers: people only. A confirmation says "we, the owners, still own this"; a service cannot say that, and
   * Backstage lets service principals through every permission check without asking the policy. A service gets 403.
   */
  const writerOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  const window = (): ConfirmationWindow => ({
    cutoff: confirmationCutoff(rules, now()),
    periodDays: rules.confirmationPeriodDays,
  });

  function entityRefOf(req: Request): string {
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
    const credentials = await credentialsOf(req);
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
      const credentials = await credentialsOf(req);
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
      const credentials = await writerOf(req);
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

      const [decision] = await permissions.authorize(
        [
          {
            permission: ownershipConfirmPermission,
            resourceRef: ownership.entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not confirm ownership of ${
            ownership.entityRef
          }: only members of its owner${
            ownership.ownerRef ? ` ${ownership.ownerRef}` : ''
          } may`,
        );
      }
      if (!ownership.ownerRef || !ownership.owner?.exists) {
        throw new ConflictError(
          ownership.ownerRef
            ? `Cannot confirm ownership of ${ownership.entityRef}: its owner ${ownership.ownerRef} is not in the catalog; fix spec.owner first`
            : `Cannot confirm ownership of ${ownership.entityRef}: it names no owner; set spec.owner first`,
        );
      }
      const ownerRef = ownership.ownerRef;

      const meta = { entityRef: ownership.entityRef, ownerRef };
      const event = await auditor.createEvent({
        eventId: 'ownership-confirm',
        severityLevel: 'medium',
        request: req,
        meta,
      });
      try {
        const confirmation = await store.recordConfirmation({
          entityRef: ownership.entityRef,
          ownerRef,
          actor: actorOf(credentials),
          comment: body.comment || null,
          at: now(),
        });
        await event.success({ meta });
        res.status(201).json(confirmation);
      } catch (error) {
        await event.fail({ error: error as Error, meta });
        throw error;
      }
    },
  );

  router.get('/v1/report', async (req, res) => {
    await credentialsOf(req);
    const q = parseInput(reportSummaryQuerySchema, req.query, 'query');
    res.json(await store.getReportSummary(filterOf(q), window()));
  });

  router.get('/v1/report/problems', async (req, res) => {
    await credentialsOf(req);
    const q = parseInput(reportProblemsQuerySchema, req.query, 'query');
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
    await credentialsOf(req);
    const q = parseInput(
      reportProblemsQuerySchema,
      { ...req.query, limit: undefined, offset: undefined },
      'query',
    );
    const w = window();
    const rows: OwnershipReportRow[] = [];
    for (let offset = 0; offset < CSV_EXPORT_MAX_ROWS; offset += 1000) {
      const page = await store.listProblems(
        { ...filterOf(q), problem: q.problem, limit: 1000, offset },
        w,
      );
      rows.push(...page.rows);
      if (page.rows.length < 1000) break;
    }
    res
      .type('text/csv')
      .attachment(
        q.problem ? `ownership-${q.problem}.csv` : 'ownership-problems.csv',
      )
      .send(toCsv(rows, CSV_COLUMNS));
  });

  router.get('/v1/facets', async (req, res) => {
    await credentialsOf(req);
    res.json(await store.getFacets());
  });

  router.get('/v1/groups', async (req, res) => {
    await credentialsOf(req);
    const q = parseInput(listGroupsQuerySchema, req.query, 'query');
    res.json(await store.listGroups(q, window()));
  });

  router.get('/v1/groups/:namespace/:name', async (req, res) => {
    await credentialsOf(req);
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

  router.use(hideInternalErrors(logger, 'ownership'));
  return router;
}
