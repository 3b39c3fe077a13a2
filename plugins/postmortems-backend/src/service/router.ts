import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  actorOf,
  AnyRequest,
  createRouteGuards,
  hideInternalErrors,
  keepRawQuery,
  nameUnknownBodyFields,
  rawQueryOf,
} from '@vitals/backend-common';
import { describeApiError, parseInput } from '@vitals/common';
import {
  checkPostmortemWording,
  coverageQuerySchema,
  createActionItemRequestSchema,
  createPostmortemRequestSchema,
  debtItemIdSchema,
  entityFiguresQuerySchema,
  followThroughQuerySchema,
  linkActionItemRequestSchema,
  listIncidentsQuerySchema,
  listPostmortemsQuerySchema,
  PostmortemChange,
  postmortemCreatePermission,
  postmortemIdSchema,
  PostmortemStatus,
  postmortemUpdatePermission,
  TeamFollowThrough,
  TeamRepeatIncidents,
  updatePostmortemRequestSchema,
} from '@vitals/plugin-postmortems-common';
import express from 'express';
import crypto from 'node:crypto';
import { definitionsOf, PostmortemsSettings } from '../config';
import {
  ActionItemRecord,
  IncidentRecord,
  PostmortemRecord,
  PostmortemsStore,
  PostmortemSummaryRecord,
} from '../database/PostmortemsStore';
import { readAccessOf } from '../permissions/readAccess';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { otherPluginError } from './callAs';
import { DebtRegister, debtOf, incidentLinkSnapshot } from './debtRegister';
import { IncidentMirror } from './incidents';
import { PeopleDirectory } from './people';
import {
  coverageOf,
  dayOf,
  toActionItem,
  toIncident,
  toMissingPostmortem,
  toOverdueActionItem,
  toPostmortem,
  toSummary,
  toTeamCoverage,
} from './views';
import { checkRequiredSections, checkStatusChange } from './workflow';

export interface RouterOptions {
  store: PostmortemsStore;
  templates: TemplateRegistry;
  incidents: IncidentMirror;
  register: DebtRegister;
  people: PeopleDirectory;
  settings: PostmortemsSettings;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** `app.baseUrl`: the register links a debt item to `<app.baseUrl>/postmortems/<id>`. */
  appBaseUrl?: string;
  /** The clock (tests set it). */
  now?: () => number;
  /** For tests: also check every response against the spec. */
  validateResponses?: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
/** Most overdue postmortems and action items the org page lists. */
const ORG_PAGE_LIST = 100;
/** Most of each list per team in the follow-through lists. */
const TEAM_LIST = 200;

/** The 403 message when the policy refuses a change: only the owners of the affected entity may. */
const refusal = (action: string, entityRef: string) =>
  `You may not ${action} of ${entityRef}: only its owners may`;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    store,
    templates,
    incidents,
    register,
    people,
    settings,
    permissions,
    logger,
  } = options;
  const now = options.now ?? (() => Date.now());
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '2mb' }), keepRawQuery()],
    ...(options.validateResponses
      ? { validatorOptions: { validateResponses: true } }
      : {}),
  });
  // Reads: people and services (scorecards, other plugins). Writes are for people only (`personOf`): Backstage lets a
  // service principal through every permission check without asking the policy.
  const { readerOf, personOf, authorizeOnEntity, audited } =
    createRouteGuards(options);

  const postmortemIdOf = (req: AnyRequest) =>
    parseInput(postmortemIdSchema, req.params.id, 'postmortem id');

  /** A postmortem the caller may read; any other is not found (a draft of another team does not show it exists). */
  async function readable(
    req: AnyRequest,
    credentials: BackstageCredentials,
  ): Promise<PostmortemRecord> {
    const id = postmortemIdOf(req);
    const [record, access] = await Promise.all([
      store.getPostmortem(id),
      readAccessOf(permissions, credentials),
    ]);
    if (
      !record ||
      !access.canRead({
        status: record.status,
        authors: record.authors,
        ownerRef: record.incident.ownerRef,
      })
    ) {
      throw new NotFoundError(`No postmortem with id '${id}'`);
    }
    return record;
  }

  async function warningsOf(record: PostmortemRecord) {
    const template = templates.templateOf(record.templateId);
    const names = await people.peopleOf(
      record.incident.ownerRef,
      record.authors,
    );
    return checkPostmortemWording(record, template.sections, names);
  }

  const linkSnapshot = (
    postmortem: PostmortemSummaryRecord,
    incident: IncidentRecord,
  ) => incidentLinkSnapshot(postmortem, incident, options.appBaseUrl);

  /**
   * The action items with their debt items as the register has them now (read with the caller's credentials; the
   * snapshot is kept for the follow-through figures). When the register cannot be read, the last known state.
   */
  async function liveActionItems(
    postmortemId: string,
    credentials: BackstageCredentials,
  ): Promise<ActionItemRecord[]> {
    const items = await store.listActionItems(postmortemId);
    if (items.length === 0) return items;
    try {
      const found = await register.getItems(
        credentials,
        items.map(i => i.debtItemId),
      );
      const checkedAt = now();
      await store.saveDebtSnapshots(
        items.map(i => {
          const item = found.get(i.debtItemId);
          return { debtItemId: i.debtItemId, debt: item ? debtOf(item) : null };
        }),
        checkedAt,
      );
      return items.map(i => {
        const item = found.get(i.debtItemId);
        return {
          ...i,
          debt: item ? debtOf(item) : null,
          debtGone: !item,
          debtCheckedAt: checkedAt,
        };
      });
    } catch (error) {
      logger.warn(
        `Could not read the action items of postmortem ${postmortemId} from the tech-debt register: ${error}`,
      );
      return items;
    }
  }

  async function canEdit(
    record: PostmortemSummaryRecord,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    if ((credentials.principal as { type: string }).type !== 'user')
      return false;
    const [decision] = await permissions.authorize(
      [
        {
          permission: postmortemUpdatePermission,
          resourceRef: record.entityRef,
        },
      ],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  const defaultDueDate = () => dayOf(now() + settings.actionItemDueDays * DAY);
  /** The due date of a link: the one sent; else kept for an item linked before, the default for a new one. */
  const dueDateOfLink = (sent: string | null | undefined, linked: boolean) => {
    if (sent !== undefined) return sent;
    return linked ? undefined : defaultDueDate();
  };

  router.get('/v1/templates', async (req, res) => {
    await readerOf(req);
    res.json(templates.list());
  });

  router.get('/v1/incidents', async (req, res) => {
    const credentials = await readerOf(req);
    const query = parseInput(
      listIncidentsQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const [page, access] = await Promise.all([
      store.listEntityIncidents({
        entityRef: query.entityRef,
        qualifying:
          query.qualifying === undefined
            ? undefined
            : { value: query.qualifying, ...settings.qualifying },
        limit: query.limit,
        offset: query.offset,
      }),
      readAccessOf(permissions, credentials),
    ]);
    res.json({
      items: page.items.map(({ incident, postmortem }) => ({
        incident: toIncident(incident, settings),
        postmortem: postmortem
          ? {
              id: postmortem.id,
              status: postmortem.status,
              title: access.canRead({
                status: postmortem.status,
                authors: postmortem.authors,
                ownerRef: incident.ownerRef,
              })
                ? postmortem.title
                : null,
            }
          : null,
      })),
      totalCount: page.totalCount,
    });
  });

  router.get('/v1/postmortems', async (req, res) => {
    const credentials = await readerOf(req);
    const query = parseInput(
      listPostmortemsQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const access = await readAccessOf(permissions, credentials);
    if (access.none) {
      res.json({ items: [], totalCount: 0 });
      return;
    }
    const page = await store.listPostmortems({
      entityRefs: query.entityRef,
      ownerRefs: query.owner,
      statuses: query.status,
      incidentId: query.incidentId,
      readFilter: access.filter,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({
      items: page.items.map(p => toSummary(p, settings)),
      totalCount: page.totalCount,
    });
  });

  router.post('/v1/postmortems', async (req, res) => {
    const credentials = await personOf(req);
    const body = parseInput(
      createPostmortemRequestSchema,
      req.body,
      'postmortem',
    );
    const template = body.templateId
      ? templates.get(body.templateId)
      : templates.defaultTemplate();
    if (!template) {
      throw new InputError(
        `Invalid postmortem: templateId: no template '${
          body.templateId
        }' (there are ${templates
          .list()
          .templates.map(t => t.id)
          .join(', ')})`,
      );
    }
    await authorizeOnEntity(
      postmortemCreatePermission,
      body.entityRef,
      credentials,
      refusal('start postmortems', body.entityRef),
    );
    const incident = await incidents.ensure(
      body.incidentId,
      body.entityRef,
      credentials,
    );
    const { name } = parseEntityRef(incident.entityRef);
    const title =
      body.title ??
      `${incident.severity ?? 'Incident'} on ${name}, ${dayOf(
        incident.createdAt,
      )}`.slice(0, 200);
    const record = await audited(
      req,
      'postmortem-create',
      { incidentId: incident.id, entityRef: incident.entityRef },
      () =>
        store.createPostmortem(
          {
            id: crypto.randomUUID(),
            incidentId: incident.id,
            entityRef: incident.entityRef,
            title,
            templateId: template.id,
            authors: body.authors ?? [credentials.principal.userEntityRef],
            summary: '',
            customerImpact: '',
            timeline: [],
            contributingFactors: '',
            whatWentWell: '',
            whatWasHard: '',
            lessons: '',
            extraSections: {},
          },
          actorOf(credentials),
          now(),
        ),
    );
    res
      .status(201)
      .json(toPostmortem(record, settings, await warningsOf(record)));
  });

  router.get('/v1/postmortems/:id', async (req, res) => {
    const credentials = await readerOf(req);
    const record = await readable(req, credentials);
    const [actionItems, changes, mayEdit, warnings] = await Promise.all([
      liveActionItems(record.id, credentials),
      incidents.changesOf(record.incident, credentials),
      canEdit(record, credentials),
      warningsOf(record),
    ]);
    const today = dayOf(now());
    res.json({
      postmortem: toPostmortem(record, settings, warnings),
      actionItems: actionItems.map(i => toActionItem(i, today)),
      changes:
        changes?.map(
          (c): PostmortemChange => ({
            id: c.id,
            sha: c.sha,
            url: c.url,
            author: c.author,
            mergedAt: c.mergedAt,
            deployedAt: c.deployedAt,
          }),
        ) ?? null,
      canEdit: mayEdit,
    });
  });

  router.patch('/v1/postmortems/:id', async (req, res) => {
    const credentials = await personOf(req);
    const current = await readable(req, credentials);
    const { version, ...patch } = parseInput(
      updatePostmortemRequestSchema,
      req.body,
      'postmortem update',
    );
    await authorizeOnEntity(
      postmortemUpdatePermission,
      current.entityRef,
      credentials,
      refusal('edit the postmortems', current.entityRef),
    );
    const status: PostmortemStatus = patch.status ?? current.status;
    checkStatusChange(current.status, status);
    checkRequiredSections(status, templates.templateOf(current.templateId), {
      ...current,
      ...Object.fromEntries(
        Object.entries(patch).filter(([, v]) => v !== undefined),
      ),
    });
    const record = await audited(
      req,
      'postmortem-update',
      {
        postmortemId: current.id,
        entityRef: current.entityRef,
        fields: Object.keys(patch).join(','),
        ...(patch.status && patch.status !== current.status
          ? { status: patch.status }
          : {}),
      },
      () =>
        store.updatePostmortem(
          current.id,
          patch,
          version,
          actorOf(credentials),
          now(),
        ),
    );
    res.json(toPostmortem(record, settings, await warningsOf(record)));
  });

  router.get('/v1/postmortems/:id/history', async (req, res) => {
    const credentials = await readerOf(req);
    const record = await readable(req, credentials);
    res.json({ entries: await store.listHistory(record.id) });
  });

  router.get('/v1/postmortems/:id/action-items', async (req, res) => {
    const credentials = await readerOf(req);
    const record = await readable(req, credentials);
    const today = dayOf(now());
    res.json({
      items: (await liveActionItems(record.id, credentials)).map(i =>
        toActionItem(i, today),
      ),
    });
  });

  /** The postmortem of an action-item route, which the caller may edit. */
  async function editable(req: AnyRequest) {
    const credentials = await personOf(req);
    const postmortem = await readable(req, credentials);
    await authorizeOnEntity(
      postmortemUpdatePermission,
      postmortem.entityRef,
      credentials,
      refusal('change the action items of postmortems', postmortem.entityRef),
    );
    return { credentials, postmortem };
  }

  router.post('/v1/postmortems/:id/action-items', async (req, res) => {
    const { credentials, postmortem } = await editable(req);
    const { dueDate, ...item } = parseInput(
      createActionItemRequestSchema,
      req.body,
      'action item',
    );
    const recorded = await audited(
      req,
      'postmortem-action-item-create',
      {
        postmortemId: postmortem.id,
        entityRef: postmortem.entityRef,
        title: item.title,
      },
      async () => {
        // The debt item is created as the person, so the register's own permission decides for them.
        const debtItem = await register
          .createItem(credentials, { ...item, entityRef: postmortem.entityRef })
          .catch(error => {
            throw otherPluginError('tech-debt register', error);
          });
        const { item: actionItem } = await store.putActionItem(
          {
            postmortemId: postmortem.id,
            debtItemId: debtItem.id,
            origin: 'created',
            dueDate: dueDate === undefined ? defaultDueDate() : dueDate,
            debt: debtOf(debtItem),
          },
          actorOf(credentials),
          now(),
        );
        try {
          await register.linkIncident(
            credentials,
            debtItem.id,
            postmortem.incidentId,
            linkSnapshot(postmortem, postmortem.incident),
          );
        } catch (error) {
          throw new ServiceUnavailableError(
            `The debt item ${
              debtItem.id
            } was created and recorded as an action item, but the tech-debt register did not link the incident to it (${describeApiError(
              error,
            )}); link it again with PUT /v1/postmortems/${
              postmortem.id
            }/action-items/${debtItem.id}`,
          );
        }
        return actionItem;
      },
    );
    res.status(201).json(toActionItem(recorded, dayOf(now())));
  });

  router.put(
    '/v1/postmortems/:id/action-items/:debtItemId',
    async (req, res) => {
      const debtItemId = parseInput(
        debtItemIdSchema,
        req.params.debtItemId,
        'debt item id',
      );
      const { credentials, postmortem } = await editable(req);
      const { dueDate } = parseInput(
        linkActionItemRequestSchema,
        req.body,
        'action item link',
      );
      const recorded = await audited(
        req,
        'postmortem-action-item-link',
        {
          postmortemId: postmortem.id,
          entityRef: postmortem.entityRef,
          debtItemId,
        },
        async () => {
          const debtItem = await register
            .getItem(credentials, debtItemId)
            .catch(error => {
              throw otherPluginError('tech-debt register', error);
            });
          if (!debtItem) {
            throw new NotFoundError(
              `The tech-debt register has no item with id '${debtItemId}'`,
            );
          }
          // Linked in the register first, as the person: the register decides whether they may change that item.
          await register
            .linkIncident(
              credentials,
              debtItemId,
              postmortem.incidentId,
              linkSnapshot(postmortem, postmortem.incident),
            )
            .catch(error => {
              throw otherPluginError('tech-debt register', error);
            });
          const existing = (await store.listActionItems(postmortem.id)).some(
            i => i.debtItemId === debtItemId,
          );
          const { item } = await store.putActionItem(
            {
              postmortemId: postmortem.id,
              debtItemId,
              origin: 'linked',
              dueDate: dueDateOfLink(dueDate, existing),
              debt: debtOf(debtItem),
            },
            actorOf(credentials),
            now(),
          );
          return item;
        },
      );
      res.json(toActionItem(recorded, dayOf(now())));
    },
  );

  router.delete(
    '/v1/postmortems/:id/action-items/:debtItemId',
    async (req, res) => {
      const debtItemId = parseInput(
        debtItemIdSchema,
        req.params.debtItemId,
        'debt item id',
      );
      const { credentials, postmortem } = await editable(req);
      const items = await store.listActionItems(postmortem.id);
      if (!items.some(i => i.debtItemId === debtItemId)) {
        throw new NotFoundError(
          `The debt item '${debtItemId}' is not an action item of postmortem '${postmortem.id}'`,
        );
      }
      await audited(
        req,
        'postmortem-action-item-unlink',
        {
          postmortemId: postmortem.id,
          entityRef: postmortem.entityRef,
          debtItemId,
        },
        async () => {
          await register
            .unlinkIncident(credentials, debtItemId, postmortem.incidentId)
            .catch(error => {
              throw otherPluginError('tech-debt register', error);
            });
          await store.removeActionItem(
            postmortem.id,
            debtItemId,
            actorOf(credentials),
            now(),
          );
        },
      );
      res.status(204).end();
    },
  );

  router.get('/v1/follow-through', async (req, res) => {
    await readerOf(req);
    const { team } = parseInput(
      followThroughQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const at = now();
    const [missing, overdue] = await Promise.all([
      store.listMissingPostmortems({
        since: at - settings.followThroughLookbackDays * DAY,
        dueBefore: at - settings.postmortemDueDays * DAY,
        qualifying: settings.qualifying,
        team,
        limit: 50_000,
      }),
      store.listOverdueActionItems({
        today: dayOf(at),
        team,
        limit: 50_000,
      }),
    ]);
    const teams = new Map<string, TeamFollowThrough>();
    const teamOf = (teamRef: string) => {
      let t = teams.get(teamRef);
      if (!t) {
        t = { teamRef, missingPostmortems: [], overdueActionItems: [] };
        teams.set(teamRef, t);
      }
      return t;
    };
    // Most overdue first: the oldest incidents and the earliest due dates.
    for (const m of missing.items) {
      if (!m.incident.ownerRef) continue;
      const t = teamOf(m.incident.ownerRef);
      if (t.missingPostmortems.length < TEAM_LIST)
        t.missingPostmortems.push(toMissingPostmortem(m, settings, at));
    }
    for (const o of overdue.items) {
      if (!o.ownerRef) continue;
      const t = teamOf(o.ownerRef);
      if (t.overdueActionItems.length < TEAM_LIST)
        t.overdueActionItems.push(toOverdueActionItem(o, at));
    }
    const weight = (t: TeamFollowThrough) =>
      t.missingPostmortems.length + t.overdueActionItems.length;
    res.json({
      generatedAt: new Date(at).toISOString(),
      definitions: definitionsOf(settings),
      teams: [...teams.values()].sort(
        (a, b) => weight(b) - weight(a) || a.teamRef.localeCompare(b.teamRef),
      ),
    });
  });

  router.get('/v1/coverage', async (req, res) => {
    const credentials = await readerOf(req);
    const { team, from, to } = parseInput(
      coverageQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const at = now();
    const today = dayOf(at);
    const [counts, missing, overdue, repeat] = await Promise.all([
      store.coverageByTeam({
        from,
        to,
        dueBefore: at - settings.postmortemDueDays * DAY,
        qualifying: settings.qualifying,
        today,
        team,
      }),
      store.listMissingPostmortems({
        since: from,
        dueBefore: Math.min(to, at - settings.postmortemDueDays * DAY),
        qualifying: settings.qualifying,
        team,
        limit: ORG_PAGE_LIST,
      }),
      store.listOverdueActionItems({ today, team, limit: ORG_PAGE_LIST }),
      register
        .repeatIncidents(credentials, team)
        .then(teams => ({ teams, error: null }))
        .catch(error => ({
          teams: null,
          error: `The tech-debt register's repeat-incidents report could not be read: ${describeApiError(
            error,
          )}`,
        })),
    ]);
    const teams = counts
      .map(toTeamCoverage)
      .sort(
        (a, b) =>
          (a.coverage ?? 2) - (b.coverage ?? 2) ||
          b.missing - a.missing ||
          a.teamRef.localeCompare(b.teamRef),
      );
    const sum = (f: (c: (typeof counts)[number]) => number) =>
      counts.reduce((s, c) => s + f(c), 0);
    const due = sum(c => c.due);
    const published = sum(c => c.published);
    res.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      generatedAt: new Date(at).toISOString(),
      definitions: definitionsOf(settings),
      teams,
      total: {
        incidents: sum(c => c.incidents),
        due,
        published,
        coverage: coverageOf(published, due),
        missing: due - published,
        openActionItems: sum(c => c.openActionItems),
        overdueActionItems: sum(c => c.overdueActionItems),
      },
      overdue: {
        postmortems: missing.items.map(m =>
          toMissingPostmortem(m, settings, at),
        ),
        postmortemCount: missing.totalCount,
        actionItems: overdue.items.map(o => toOverdueActionItem(o, at)),
        actionItemCount: overdue.totalCount,
      },
      repeatIncidents:
        repeat.teams
          ?.filter(t => t.ownerRef)
          .map(
            (t): TeamRepeatIncidents => ({
              ownerRef: t.ownerRef!,
              items: t.items.map(i => ({
                itemId: i.id,
                title: i.title,
                entityRef: i.entityRef,
                status: i.status,
                incidents: i.incidents,
                restoreMinutes: i.restoreMinutes,
              })),
            }),
          ) ?? null,
      repeatIncidentsError: repeat.error,
    });
  });

  router.get('/v1/entity-figures', async (req, res) => {
    await readerOf(req);
    const { entityRef, from, to } = parseInput(
      entityFiguresQuerySchema,
      rawQueryOf(req),
      'query',
    );
    const at = now();
    const counts = new Map(
      (
        await store.coverageByEntity({
          from,
          to,
          dueBefore: at - settings.postmortemDueDays * DAY,
          qualifying: settings.qualifying,
          today: dayOf(at),
          entityRefs: entityRef,
        })
      ).map(c => [c.key, c]),
    );
    res.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      entities: [...new Set(entityRef)].map(ref => {
        const c = counts.get(ref);
        return {
          entityRef: ref,
          incidents: c?.incidents ?? 0,
          due: c?.due ?? 0,
          published: c?.published ?? 0,
          coverage: coverageOf(c?.published ?? 0, c?.due ?? 0),
          openActionItems: c?.openActionItems ?? 0,
          overdueActionItems: c?.overdueActionItems ?? 0,
        };
      }),
    });
  });

  router.use(nameUnknownBodyFields(spec));
  router.use(hideInternalErrors(logger, 'postmortems'));
  return router;
}
