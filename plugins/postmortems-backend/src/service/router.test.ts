import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  createPostmortemConditionalDecision,
  postmortemConditions,
  postmortemReadPermission,
} from '@vitals/plugin-postmortems-common';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import express from 'express';
import request from 'supertest';
import { readPostmortemsSettings } from '../config';
import { DatabasePostmortemsStore } from '../database/DatabasePostmortemsStore';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { DebtRegister } from './debtRegister';
import { IncidentMirror, syncedIncidentOf } from './incidents';
import { PeopleDirectory } from './people';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const API = 'component:default/payments-api';
const SHOP = 'component:default/storefront-web';
const PAYMENTS = 'group:default/payments';
const STOREFRONT = 'group:default/storefront';
const GUEST = 'user:default/guest';
const LI = 'user:default/li.wei';
const OWNERS: Record<string, string> = { [API]: PAYMENTS, [SHOP]: STOREFRONT };
const CLAIMS: Record<string, string[]> = {
  [GUEST]: [GUEST, PAYMENTS],
  [LI]: [LI, STOREFRONT],
  'user:default/maria.santos': ['user:default/maria.santos', STOREFRONT],
};
const as = (userRef: string) => mockCredentials.user.header(userRef);
const SERVICE = mockCredentials.service.header();

/** The incidents DORA has, by id. */
const DORA = new Map(
  [
    { id: 'pd-1', entityRef: API, daysAgo: 20, severity: 'SEV2' },
    { id: 'pd-2', entityRef: API, daysAgo: 2, severity: 'SEV1' },
    { id: 'pd-3', entityRef: API, daysAgo: 40, severity: 'SEV4' },
    { id: 'pd-shop', entityRef: SHOP, daysAgo: 10, severity: 'SEV2' },
  ].map(i => [
    i.id,
    {
      id: i.id,
      entityRef: i.entityRef,
      createdAt: new Date(NOW - i.daysAgo * DAY).toISOString(),
      resolvedAt: new Date(NOW - i.daysAgo * DAY + 3_600_000).toISOString(),
      severity: i.severity,
      url: `https://incidents.example.com/${i.id}`,
      deploymentId: null,
      linkedDeploymentId: `deploy-${i.id}`,
      restoreMinutes: 60,
    },
  ]),
);

/** The policy of the portal, as far as these routes ask it. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(r => {
      const principal = options?.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user') return { result: AuthorizeResult.ALLOW };
      const claims = CLAIMS[principal.userEntityRef!] ?? [];
      const owner = OWNERS[(r as { resourceRef: string }).resourceRef];
      return {
        result: claims.includes(owner)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }),
  authorizeConditional: async (requests, options) =>
    requests.map(() => {
      const principal = options?.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user') return { result: AuthorizeResult.ALLOW };
      const claims = CLAIMS[principal.userEntityRef!] ?? [];
      return createPostmortemConditionalDecision(postmortemReadPermission, {
        anyOf: [
          postmortemConditions.isPublished(),
          postmortemConditions.isAuthor({ claims }),
          postmortemConditions.isOwnedBy({ claims }),
        ],
      }) as any;
    }),
});

/** A register in memory, checking what the real one checks: only owners of an item's entity change it. */
class FakeRegister {
  items = new Map<string, DebtItem>();
  links = new Map<string, Set<string>>();
  failLinks = false;
  private next = 0;

  private checkOwner(credentials: BackstageCredentials, entityRef: string) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    if (user && !(CLAIMS[user] ?? []).includes(OWNERS[entityRef])) {
      throw Object.assign(new Error('not an owner'), {
        name: 'ResponseError',
        response: { status: 403 },
        body: { error: { message: `You may not edit ${entityRef}` } },
      });
    }
  }

  add(entityRef: string, title: string, status: DebtItem['status'] = 'open') {
    this.next += 1;
    const id = `6f1c1d9e-1f0a-4d47-9a8e-${String(this.next).padStart(12, '0')}`;
    this.items.set(id, {
      id,
      entityRef,
      ownerRef: OWNERS[entityRef] ?? null,
      title,
      status,
      assignee: null,
    } as DebtItem);
    return id;
  }

  async createItem(credentials: BackstageCredentials, req: any) {
    this.checkOwner(credentials, req.entityRef);
    return this.items.get(this.add(req.entityRef, req.title))!;
  }
  async getItem(_c: BackstageCredentials, id: string) {
    return this.items.get(id);
  }
  async getItems(_c: BackstageCredentials, ids: string[]) {
    return new Map(
      ids.filter(id => this.items.has(id)).map(id => [id, this.items.get(id)!]),
    );
  }
  async listOpenItems() {
    return [];
  }
  async linkIncident(
    credentials: BackstageCredentials,
    itemId: string,
    incidentId: string,
  ) {
    if (this.failLinks) throw new Error('register down');
    this.checkOwner(credentials, this.items.get(itemId)!.entityRef);
    this.links.set(
      itemId,
      (this.links.get(itemId) ?? new Set()).add(incidentId),
    );
  }
  async unlinkIncident(
    _c: BackstageCredentials,
    itemId: string,
    incidentId: string,
  ) {
    this.links.get(itemId)?.delete(incidentId);
  }
  async repeatIncidents() {
    return [
      {
        ownerRef: PAYMENTS,
        items: [
          {
            id: 'x',
            title: 'Retry storm',
            entityRef: API,
            status: 'open',
            incidents: 3,
            restoreMinutes: 200,
          },
        ],
      },
    ];
  }
}

describe.each(databases.eachSupportedId())(
  'the postmortems router on %s',
  databaseId => {
    let app: express.Express;
    let store: DatabasePostmortemsStore;
    let register: FakeRegister;

    beforeEach(async () => {
      const knex = await databases.init(databaseId);
      store = await DatabasePostmortemsStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      register = new FakeRegister();
      const incidents = {
        async ensure(id: string, entityRef: string) {
          const incident = DORA.get(id);
          if (!incident || incident.entityRef !== entityRef)
            throw new NotFoundError(
              `DORA has no incident '${id}' of ${entityRef}`,
            );
          await store.upsertIncidents([syncedIncidentOf(incident)], NOW);
          await store.setOwners(new Map([[entityRef, OWNERS[entityRef]]]));
          return (await store.getIncident(id))!;
        },
        async changesOf() {
          return [
            {
              id: 'pr-1',
              sha: 'abc',
              url: 'https://github.com/example/pr/1',
              author: 'user:default/jonas.berg',
              mergedAt: null,
              deployedAt: null,
            },
          ];
        },
      } as unknown as IncidentMirror;
      const settings = readPostmortemsSettings(mockServices.rootConfig());
      app = routerTestApp(
        await createRouter({
          store,
          templates: await TemplateRegistry.create({
            targets: [],
            defaultTemplateId: 'blameless',
          }),
          incidents,
          register: register as unknown as DebtRegister,
          people: {
            peopleOf: async () => [
              { name: 'jonas.berg', displayName: 'Jonas Berg' },
            ],
          } as unknown as PeopleDirectory,
          settings,
          httpAuth: mockServices.httpAuth(),
          permissions,
          auditor: mockServices.auditor.mock(),
          logger: mockServices.logger.mock(),
          appBaseUrl: 'http://portal.test',
          now: () => NOW,
          validateResponses: true,
        }),
      );
    });

    const start = (incidentId: string, entityRef: string, who = GUEST) =>
      request(app)
        .post('/v1/postmortems')
        .set('Authorization', as(who))
        .send({ incidentId, entityRef });

    const COMPLETE = {
      summary: 'Card payments failed.',
      customerImpact: '6% of payments failed.',
      timeline: [{ at: '2026-11-11T12:00:00Z', text: 'Alert fires.' }],
      contributingFactors: 'The pool size is fixed in code.',
      lessons: 'Alert on pool saturation.',
    };

    it('starts a draft for a DORA incident of an entity its owners own, and only for them', async () => {
      const created = await start('pd-1', API);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        incidentId: 'pd-1',
        entityRef: API,
        ownerRef: PAYMENTS,
        status: 'draft',
        version: 1,
        title: 'SEV2 on payments-api, 2026-11-11',
        authors: [GUEST],
        templateId: 'blameless',
        warnings: [],
        incident: {
          qualifying: true,
          severity: 'SEV2',
          deploymentId: 'deploy-pd-1',
          postmortemDueAt: '2026-11-16T12:00:00.000Z',
        },
      });
      expect((await start('pd-1', API)).status).toBe(409);
      const refused = await start('pd-2', API, LI);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        `You may not start postmortems of ${API}: only its owners may`,
      );
      // Another entity's incident id is not found for this entity.
      expect((await start('pd-shop', API)).status).toBe(404);
      const service = await request(app)
        .post('/v1/postmortems')
        .set('Authorization', SERVICE)
        .send({ incidentId: 'pd-2', entityRef: API });
      expect(service.status).toBe(403);
      const badTemplate = await request(app)
        .post('/v1/postmortems')
        .set('Authorization', as(GUEST))
        .send({ incidentId: 'pd-2', entityRef: API, templateId: 'nope' });
      expect(badTemplate.status).toBe(400);
      expect(badTemplate.body.error.message).toMatch(
        /templateId: no template 'nope'/,
      );
    });

    it('moves draft → in review → published only with the required sections written, and refuses other moves', async () => {
      const { id } = (await start('pd-1', API)).body;
      const patch = (body: object) =>
        request(app)
          .patch(`/v1/postmortems/${id}`)
          .set('Authorization', as(GUEST))
          .send(body);

      const skip = await patch({ version: 1, status: 'published' });
      expect(skip.status).toBe(400);
      expect(skip.body.error.message).toMatch(
        /status: a postmortem in draft cannot go to published; send it to review first/,
      );
      const incomplete = await patch({
        version: 1,
        status: 'in_review',
        summary: 'x',
      });
      expect(incomplete.status).toBe(400);
      expect(incomplete.body.error.message).toBe(
        'Invalid postmortem update: customerImpact, timeline, contributingFactors, lessons: must be written before the postmortem is sent to review (the template "blameless" requires them)',
      );
      const review = await patch({
        version: 1,
        status: 'in_review',
        ...COMPLETE,
      });
      expect(review.status).toBe(200);
      expect(review.body).toMatchObject({ status: 'in_review', version: 2 });
      const back = await patch({ version: 2, status: 'draft' });
      expect(back.body).toMatchObject({ status: 'draft', version: 3 });
      await patch({ version: 3, status: 'in_review' });
      const published = await patch({ version: 4, status: 'published' });
      expect(published.body).toMatchObject({
        status: 'published',
        version: 5,
        publishedAt: '2026-12-01T12:00:00.000Z',
      });
      const reopen = await patch({ version: 5, status: 'draft' });
      expect(reopen.status).toBe(400);
      expect(reopen.body.error.message).toMatch(/stays published/);
      // A published postmortem may be corrected, not emptied.
      expect((await patch({ version: 5, lessons: '' })).status).toBe(400);
      expect(
        (await patch({ version: 5, lessons: 'Alert on saturation.' })).body
          .version,
      ).toBe(6);

      const history = await request(app)
        .get(`/v1/postmortems/${id}/history`)
        .set('Authorization', as(GUEST));
      expect(
        history.body.entries.map((e: { version: number; changes: object }) => [
          e.version,
          Object.keys(e.changes).sort(),
        ]),
      ).toEqual([
        [6, ['lessons']],
        [5, ['status']],
        [4, ['status']],
        [3, ['status']],
        [2, ['status', ...Object.keys(COMPLETE)].sort()],
        [1, ['authors', 'incidentId', 'status', 'templateId', 'title']],
      ]);
    });

    it('answers a stale edit with 409, and a non-owner with 403', async () => {
      const { id } = (await start('pd-1', API)).body;
      const first = await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 1, summary: 'First.' });
      expect(first.status).toBe(200);
      const stale = await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 1, summary: 'Second.' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/your version 1, current 2/);
      // Li (Storefront) is not told the draft exists; once published, she may read it but not edit it.
      const hidden = await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(LI))
        .send({ version: 2, summary: 'By Li.' });
      expect(hidden.status).toBe(404);
      await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 2, status: 'in_review', ...COMPLETE });
      await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 3, status: 'published' });
      const refused = await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(LI))
        .send({ version: 4, summary: 'By Li.' });
      expect(refused.status).toBe(403);
    });

    it('shows drafts to the owning team and the authors only; published ones to everyone', async () => {
      const draft = (await start('pd-1', API)).body;
      const shopDraft = (await start('pd-shop', SHOP, LI)).body;
      await request(app)
        .patch(`/v1/postmortems/${shopDraft.id}`)
        .set('Authorization', as(LI))
        .send({ version: 1, authors: [LI, GUEST] });
      const ids = async (who: string) =>
        (
          await request(app).get('/v1/postmortems').set('Authorization', who)
        ).body.items.map((p: { id: string }) => p.id);
      // The guest is an author of Storefront's draft, so reads both; Maria (Storefront) reads Storefront's only.
      expect(await ids(as(GUEST))).toEqual([shopDraft.id, draft.id]);
      expect(await ids(as('user:default/maria.santos'))).toEqual([
        shopDraft.id,
      ]);
      expect(await ids(SERVICE)).toEqual([shopDraft.id, draft.id]);
      expect(
        (
          await request(app)
            .get(`/v1/postmortems/${draft.id}`)
            .set('Authorization', as('user:default/maria.santos'))
        ).status,
      ).toBe(404);
      // The incident list says a postmortem exists, without its title, to someone who may not read it.
      const incidents = await request(app)
        .get(`/v1/incidents?entityRef=${API}`)
        .set('Authorization', as('user:default/maria.santos'));
      expect(incidents.body.items[0]).toMatchObject({
        incident: { id: 'pd-1' },
        postmortem: { id: draft.id, status: 'draft', title: null },
      });
    });

    it('turns action items into debt items on the affected entity, links them both ways, and reads their live status', async () => {
      const { id } = (await start('pd-1', API)).body;
      const created = await request(app)
        .post(`/v1/postmortems/${id}/action-items`)
        .set('Authorization', as(GUEST))
        .send({
          title: 'Alert on pool saturation',
          category: 'infrastructure',
          impact: 4,
          effortDays: 2,
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        origin: 'created',
        // actionItemDueDays (30) after now.
        dueDate: '2026-12-31',
        debt: {
          title: 'Alert on pool saturation',
          status: 'open',
          entityRef: API,
        },
        open: true,
        overdue: false,
      });
      const debtItemId = created.body.debtItemId;
      expect([...register.links.get(debtItemId)!]).toEqual(['pd-1']);

      // An existing item of the register, linked with a due date in the past.
      const existing = register.add(API, 'Load-test connection use');
      const linked = await request(app)
        .put(`/v1/postmortems/${id}/action-items/${existing}`)
        .set('Authorization', as(GUEST))
        .send({ dueDate: '2026-11-20' });
      expect(linked.status).toBe(200);
      expect(linked.body).toMatchObject({ origin: 'linked', overdue: true });

      // The register moves on: the first item is resolved. Publishing the postmortem does not touch the items.
      register.items.get(debtItemId)!.status = 'resolved';
      const detail = await request(app)
        .get(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST));
      expect(detail.status).toBe(200);
      expect(
        detail.body.actionItems.map((a: any) => [
          a.debt.status,
          a.open,
          a.overdue,
        ]),
      ).toEqual([
        ['resolved', false, false],
        ['open', true, true],
      ]);
      expect(detail.body).toMatchObject({
        canEdit: true,
        changes: [{ id: 'pr-1' }],
        postmortem: { actionItemCount: 2 },
      });

      // Not an owner: refused, and nothing is recorded.
      const refused = await request(app)
        .post(`/v1/postmortems/${id}/action-items`)
        .set('Authorization', as(LI))
        .send({ title: 'x', category: 'code', impact: 1, effortDays: 1 });
      expect(refused.status).toBe(404);

      // Unknown debt item; bad input names the field.
      expect(
        (
          await request(app)
            .put(
              `/v1/postmortems/${id}/action-items/6f1c1d9e-1f0a-4d47-9a8e-999999999999`,
            )
            .set('Authorization', as(GUEST))
            .send({})
        ).status,
      ).toBe(404);
      const bad = await request(app)
        .post(`/v1/postmortems/${id}/action-items`)
        .set('Authorization', as(GUEST))
        .send({ title: 'x', category: 'code', effortDays: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/impact/);

      const unlinked = await request(app)
        .delete(`/v1/postmortems/${id}/action-items/${existing}`)
        .set('Authorization', as(GUEST));
      expect(unlinked.status).toBe(204);
      expect([...register.links.get(existing)!]).toEqual([]);
      // The debt item stays in the register.
      expect(register.items.has(existing)).toBe(true);
      expect(
        (
          await request(app)
            .delete(`/v1/postmortems/${id}/action-items/${existing}`)
            .set('Authorization', as(GUEST))
        ).status,
      ).toBe(404);
    });

    it('keeps an action item whose incident the register would not link, and says how to link it again', async () => {
      const { id } = (await start('pd-1', API)).body;
      register.failLinks = true;
      const res = await request(app)
        .post(`/v1/postmortems/${id}/action-items`)
        .set('Authorization', as(GUEST))
        .send({ title: 'Alert', category: 'code', impact: 2, effortDays: 1 });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /was created and recorded as an action item/,
      );
      expect(await store.listActionItems(id)).toHaveLength(1);
    });

    it('flags blameful wording in the contributing factors as warnings, and saves the text', async () => {
      const { id } = (await start('pd-1', API)).body;
      const res = await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({
          version: 1,
          contributingFactors:
            'Jonas Berg deployed late; he should have waited.',
        });
      expect(res.status).toBe(200);
      expect(res.body.contributingFactors).toBe(
        'Jonas Berg deployed late; he should have waited.',
      );
      expect(
        res.body.warnings.map((w: any) => [w.section, w.kind, w.match]),
      ).toEqual([
        ['contributingFactors', 'person', 'Jonas Berg'],
        ['contributingFactors', 'pronoun', 'he'],
        ['contributingFactors', 'blame', 'should have'],
      ]);
    });

    it('counts coverage, overdue postmortems and action items per team, and per entity for scorecards', async () => {
      // pd-1 (20 days) is due and gets a published postmortem; pd-shop (10 days) is due and has none; pd-2 (2 days)
      // is not due yet; pd-3 (SEV4) does not qualify.
      const { id } = (await start('pd-1', API)).body;
      await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 1, status: 'in_review', ...COMPLETE });
      await request(app)
        .patch(`/v1/postmortems/${id}`)
        .set('Authorization', as(GUEST))
        .send({ version: 2, status: 'published' });
      await start('pd-2', API);
      await start('pd-3', API);
      await store.upsertIncidents(
        [syncedIncidentOf(DORA.get('pd-shop')!)],
        NOW,
      );
      await store.setOwners(new Map([[SHOP, STOREFRONT]]));
      const item = register.add(API, 'Old debt');
      await request(app)
        .put(`/v1/postmortems/${id}/action-items/${item}`)
        .set('Authorization', as(GUEST))
        .send({ dueDate: '2026-11-01' });

      const coverage = await request(app)
        .get('/v1/coverage')
        .set('Authorization', as(LI));
      expect(coverage.status).toBe(200);
      expect(coverage.body.teams).toEqual([
        {
          teamRef: STOREFRONT,
          incidents: 1,
          due: 1,
          published: 0,
          coverage: 0,
          missing: 1,
          openActionItems: 0,
          overdueActionItems: 0,
        },
        {
          teamRef: PAYMENTS,
          incidents: 2,
          due: 1,
          published: 1,
          coverage: 1,
          missing: 0,
          openActionItems: 1,
          overdueActionItems: 1,
        },
      ]);
      expect(coverage.body.total).toMatchObject({
        due: 2,
        published: 1,
        coverage: 0.5,
      });
      expect(coverage.body.overdue).toMatchObject({
        postmortemCount: 1,
        postmortems: [
          { incident: { id: 'pd-shop' }, postmortem: null, daysOverdue: 5 },
        ],
        actionItemCount: 1,
        actionItems: [
          { debtItemId: item, dueDate: '2026-11-01', daysOverdue: 29 },
        ],
      });
      expect(coverage.body.repeatIncidents).toEqual([
        {
          ownerRef: PAYMENTS,
          items: [
            {
              itemId: 'x',
              title: 'Retry storm',
              entityRef: API,
              status: 'open',
              incidents: 3,
              restoreMinutes: 200,
            },
          ],
        },
      ]);

      const followThrough = await request(app)
        .get(`/v1/follow-through?team=${PAYMENTS}`)
        .set('Authorization', SERVICE);
      expect(followThrough.body.teams).toEqual([
        expect.objectContaining({
          teamRef: PAYMENTS,
          missingPostmortems: [],
          overdueActionItems: [expect.objectContaining({ debtItemId: item })],
        }),
      ]);

      const figures = await request(app)
        .get(
          `/v1/entity-figures?entityRef=${API},${SHOP},component:default/none`,
        )
        .set('Authorization', SERVICE);
      expect(figures.body.entities).toEqual([
        {
          entityRef: API,
          incidents: 2,
          due: 1,
          published: 1,
          coverage: 1,
          openActionItems: 1,
          overdueActionItems: 1,
        },
        {
          entityRef: SHOP,
          incidents: 1,
          due: 1,
          published: 0,
          coverage: 0,
          openActionItems: 0,
          overdueActionItems: 0,
        },
        {
          entityRef: 'component:default/none',
          incidents: 0,
          due: 0,
          published: 0,
          coverage: null,
          openActionItems: 0,
          overdueActionItems: 0,
        },
      ]);
      const bad = await request(app)
        .get('/v1/coverage?from=2026-12-01&to=2026-11-01')
        .set('Authorization', SERVICE);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/from: must be before to/);
    });

    it('serves the templates and refuses a query the spec does not take', async () => {
      const templates = await request(app)
        .get('/v1/templates')
        .set('Authorization', SERVICE);
      expect(templates.body).toMatchObject({
        defaultTemplateId: 'blameless',
        problems: [],
        templates: [{ id: 'blameless', source: 'built-in' }],
      });
      expect(
        templates.body.templates[0].sections.map((s: any) => s.id),
      ).toEqual([
        'summary',
        'customerImpact',
        'timeline',
        'contributingFactors',
        'whatWentWell',
        'whatWasHard',
        'lessons',
      ]);
      const res = await request(app)
        .get('/v1/postmortems?limit=5000')
        .set('Authorization', SERVICE);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/limit/);
      expect(
        (
          await request(app)
            .get('/v1/postmortems/not-a-uuid')
            .set('Authorization', SERVICE)
        ).status,
      ).toBe(400);
    });
  },
);
