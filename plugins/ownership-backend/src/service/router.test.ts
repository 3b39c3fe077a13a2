import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { loadExampleCatalog } from '@vitals/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseOwnershipStore } from '../database/DatabaseOwnershipStore';
import { createHealthRules } from './healthRules';
import { createRouter } from './router';
import { takeSnapshot } from './snapshot';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const GUEST = mockCredentials.user.header('user:default/guest');
/** A member of the admin group: the simplified policy below allows everything to her. */
const ADMIN = mockCredentials.user.header('user:default/priya.nair');
const SERVICE = mockCredentials.service.header();
const NOW = new Date('2026-11-26T12:00:00Z');
/** The attack under test: a contact link that runs script when followed. */
const SCRIPT_URL = 'javascript:alert(document.cookie)'; // eslint-disable-line no-script-url

/** The policy of the portal, simplified: the guest may confirm what Payments owns. */
const PAYMENTS_OWNED = new Set([
  'component:default/payments-api',
  'component:default/ledger-service',
  'component:default/fraud-detector',
  'system:default/payments',
]);

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let store: DatabaseOwnershipStore;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let permissions: ReturnType<typeof mockServices.permissions.mock>;

  /** The router over a fresh database and snapshot of `entities` (the example org unless given). */
  async function startApp(entities: Entity[] = loadExampleCatalog()) {
    knex = await databases.init('SQLITE_3');
    store = await DatabaseOwnershipStore.create({
      database: mockServices.database({ knex }),
    });
    const catalog = catalogServiceMock({ entities });
    const rules = createHealthRules();
    await takeSnapshot({
      catalog,
      credentials: mockCredentials.service(),
      store,
      rules,
      now: NOW,
    });
    auditor = mockServices.auditor.mock();
    permissions = mockServices.permissions.mock({
      authorize: jest.fn(
        async (requests: AuthorizePermissionRequest[], options) =>
          requests.map(r => ({
            result:
              (options?.credentials?.principal as { userEntityRef?: string })
                .userEntityRef === 'user:default/priya.nair' ||
              (r.resourceRef && PAYMENTS_OWNED.has(r.resourceRef))
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
      ) as any,
    });
    const router = await createRouter({
      store,
      rules,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auditor,
      logger: mockServices.logger.mock(),
      now: () => NOW,
      // Every answer of these tests is held to the spec's exact response schemas too.
      validateResponses: true,
    });
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    app = express().use(router).use(middleware.error());
  }

  beforeEach(async () => {
    await startApp();
  });

  afterEach(async () => {
    await knex.destroy();
  });

  describe('entity ownership', () => {
    it('shows the owning team with members, parent, contacts, on-call and the verdict', async () => {
      const res = await request(app)
        .get('/v1/entities/component/default/payments-api')
        .set('Authorization', GUEST);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        owner: {
          ref: 'group:default/payments',
          exists: true,
          title: 'Payments',
          memberCount: 3,
          parent: { ref: 'group:default/engineering', title: 'Engineering' },
        },
        healthy: false,
        problems: [
          {
            kind: 'confirmation-overdue',
            message:
              'Payments (group:default/payments) has never confirmed that it owns this.',
          },
        ],
        confirmation: {
          status: 'never',
          lastConfirmedAt: null,
          periodDays: 180,
        },
      });
      expect(
        res.body.owner.members.map(
          (m: { displayName: string }) => m.displayName,
        ),
      ).toEqual(['Amira Haddad', 'Guest', 'Jonas Berg']);
      expect(res.body.contacts).toEqual([
        { type: 'slack', label: '#payments-api', url: null, source: 'entity' },
        { type: 'slack', label: '#team-payments', url: null, source: 'owner' },
        {
          type: 'email',
          label: 'payments@example.com',
          url: 'mailto:payments@example.com',
          source: 'owner',
        },
      ]);
      expect(res.body.onCall).toEqual([
        {
          type: 'pagerduty',
          label: 'PagerDuty PPAYAPI',
          url: null,
          source: 'entity',
        },
        {
          type: 'link',
          label: 'Runbook',
          url: 'https://runbooks.example.com/payments-api',
          source: 'entity',
        },
      ]);
    });

    it('explains a dangling owner', async () => {
      const res = await request(app)
        .get('/v1/entities/component/default/promo-engine')
        .set('Authorization', GUEST);
      expect(res.body.owner).toMatchObject({
        ref: 'group:default/growth',
        exists: false,
        members: [],
      });
      expect(res.body.problems.map((p: { kind: string }) => p.kind)).toEqual([
        'owner-unresolved',
        'no-contact',
      ]);
      expect(res.body.confirmation.status).toBe('not-applicable');
    });

    it('answers 404 for an entity the catalog does not have, 400 for a malformed path, 401 without credentials', async () => {
      const missing = await request(app)
        .get('/v1/entities/component/default/nope')
        .set('Authorization', GUEST);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('component:default/nope');
      const history = await request(app)
        .get('/v1/entities/component/default/nope/history')
        .set('Authorization', GUEST);
      expect(history.status).toBe(404);
      const bad = await request(app)
        .get('/v1/entities/component/default/%27%20or%201%3D1')
        .set('Authorization', GUEST);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('name');
      expect(
        (await request(app).get('/v1/entities/component/default/payments-api'))
          .status,
      ).toBe(401);
      expect((await request(app).get('/v1/report')).status).toBe(401);
    });
  });

  describe('confirmations', () => {
    it('lets an owner confirm: the card turns healthy, the history shows it, the auditor records it', async () => {
      const res = await request(app)
        .post('/v1/entities/component/default/payments-api/confirmations')
        .set('Authorization', GUEST)
        .send({ comment: 'Still ours' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        confirmedBy: 'user:default/guest',
        confirmedAt: NOW.toISOString(),
        comment: 'Still ours',
      });
      const card = await request(app)
        .get('/v1/entities/component/default/payments-api')
        .set('Authorization', GUEST);
      expect(card.body).toMatchObject({
        healthy: true,
        problems: [],
        confirmation: {
          status: 'current',
          lastConfirmedBy: 'user:default/guest',
          dueAt: '2027-05-25T12:00:00.000Z',
        },
      });
      const history = await request(app)
        .get('/v1/entities/component/default/payments-api/history')
        .set('Authorization', GUEST);
      expect(
        history.body.events.map((e: { type: string; actor: string }) => [
          e.type,
          e.actor,
        ]),
      ).toEqual([
        ['confirmed', 'user:default/guest'],
        ['first-seen', 'system:snapshot'],
      ]);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({ name: 'ownership.confirm' }),
            resourceRef: 'component:default/payments-api',
          },
        ],
        expect.anything(),
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'ownership-confirm',
          meta: {
            entityRef: 'component:default/payments-api',
            ownerRef: 'group:default/payments',
          },
        }),
      );
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalled();
      // The org report sees it at once: one less overdue.
      const summary = await request(app)
        .get('/v1/report?team=payments')
        .set('Authorization', GUEST);
      expect(summary.body).toMatchObject({ total: 4, healthy: 1 });
    });

    it('answers 403 to someone outside the owning team and records nothing', async () => {
      const res = await request(app)
        .post('/v1/entities/component/default/checkout-api/confirmations')
        .set('Authorization', GUEST)
        .send({});
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'only members of its owner group:default/storefront',
      );
      expect(
        await store.listHistory('component:default/checkout-api'),
      ).toHaveLength(1);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });

    it('answers 400 for a bad body, 404 for an unknown entity, 409 when there is no real owner to confirm', async () => {
      const bad = await request(app)
        .post('/v1/entities/component/default/payments-api/confirmations')
        .set('Authorization', GUEST)
        .send({ comment: 'x'.repeat(1001), owner: 'me' });
      expect(bad.status).toBe(400);
      // The spec is checked first, and its first finding is named.
      expect(bad.body.error.message).toBe(
        'request/body must NOT have additional properties: owner',
      );
      const long = await request(app)
        .post('/v1/entities/component/default/payments-api/confirmations')
        .set('Authorization', GUEST)
        .send({ comment: 'x'.repeat(1001) });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toContain('comment');
      const missing = await request(app)
        .post('/v1/entities/component/default/nope/confirmations')
        .set('Authorization', GUEST)
        .send({});
      expect(missing.status).toBe(404);
      const dangling = await request(app)
        .post('/v1/entities/component/default/promo-engine/confirmations')
        .set('Authorization', ADMIN)
        .send({});
      expect(dangling.status).toBe(409);
      expect(dangling.body.error.message).toContain(
        'group:default/growth is not in the catalog',
      );
      expect(await store.hasConfirmations()).toBe(false);
    });
  });

  describe('writes are for people only', () => {
    it('answers 403 to a service principal confirming ownership and records nothing, while services may read', async () => {
      const res = await request(app)
        .post('/v1/entities/component/default/payments-api/confirmations')
        .set('Authorization', SERVICE)
        .send({ comment: 'Confirmed by a token' });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(await store.hasConfirmations()).toBe(false);
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(auditor.createEvent).not.toHaveBeenCalled();
      const card = await request(app)
        .get('/v1/entities/component/default/payments-api')
        .set('Authorization', SERVICE);
      expect(card.status).toBe(200);
      expect(card.body.confirmation.status).toBe('never');
      for (const path of [
        '/v1/entities/component/default/payments-api/history',
        '/v1/report',
        '/v1/report/problems',
        '/v1/report/problems.csv',
        '/v1/facets',
        '/v1/groups',
        '/v1/groups/default/payments',
      ]) {
        const read = await request(app).get(path).set('Authorization', SERVICE);
        expect({ path, status: read.status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('contact links', () => {
    it('gives a url only to http(s), mailto and chat links; a javascript: link is listed as text', async () => {
      await knex.destroy();
      const entities = loadExampleCatalog();
      const payments = entities.find(e => e.metadata.name === 'payments-api')!;
      payments.metadata.links = [
        { url: SCRIPT_URL, title: 'Team chat', type: 'chat' },
        { url: ' JavaScript:alert(1)', title: 'Support', type: 'support' },
        {
          url: 'slack://channel?team=T0123&id=C0123',
          title: 'Slack app',
          type: 'slack',
        },
        {
          url: 'https://runbooks.example.com/payments-api',
          title: 'Runbook',
          type: 'runbook',
        },
        {
          url: 'data:text/html,<script>alert(1)</script>',
          title: 'Pager',
          type: 'pager',
        },
      ];
      await startApp(entities);
      const res = await request(app)
        .get('/v1/entities/component/default/payments-api')
        .set('Authorization', GUEST);
      expect(res.status).toBe(200);
      const own = (list: Array<{ source: string }>) =>
        list.filter(c => c.source === 'entity');
      expect(own(res.body.contacts)).toEqual([
        { type: 'slack', label: '#payments-api', url: null, source: 'entity' },
        { type: 'link', label: 'Team chat', url: null, source: 'entity' },
        { type: 'link', label: 'Support', url: null, source: 'entity' },
        {
          type: 'link',
          label: 'Slack app',
          url: 'slack://channel?team=T0123&id=C0123',
          source: 'entity',
        },
      ]);
      expect(own(res.body.onCall)).toEqual([
        {
          type: 'pagerduty',
          label: 'PagerDuty PPAYAPI',
          url: null,
          source: 'entity',
        },
        {
          type: 'link',
          label: 'Runbook',
          url: 'https://runbooks.example.com/payments-api',
          source: 'entity',
        },
        { type: 'link', label: 'Pager', url: null, source: 'entity' },
      ]);
      // Nor does the entity's list of links hand one out.
      expect(res.body.links.map((l: { title: string }) => l.title)).toEqual([
        'Slack app',
        'Runbook',
      ]);
      expect(res.text).not.toMatch(/"url":"\s*(javascript|data):/i);
    });
  });

  describe('org report', () => {
    it('gives coverage and problem counts, filtered by kind, system and team', async () => {
      const all = await request(app)
        .get('/v1/report')
        .set('Authorization', GUEST);
      expect(all.status).toBe(200);
      // 10 components and 3 systems, none confirmed: nothing is healthy yet.
      expect(all.body).toMatchObject({
        total: 13,
        healthy: 0,
        coveragePercent: 0,
        problemCounts: {
          'no-owner': 0,
          'owner-unresolved': 1,
          'owner-no-members': 1,
          'owner-single-member': 1,
          'no-contact': 3,
        },
      });
      const systems = await request(app)
        .get('/v1/report?kind=System')
        .set('Authorization', GUEST);
      expect(systems.body.total).toBe(3);
      const storefront = await request(app)
        .get('/v1/report?system=storefront&kind=component')
        .set('Authorization', GUEST);
      expect(storefront.body.total).toBe(6);
      const bad = await request(app)
        .get('/v1/report?team=user:default/guest&limit=5')
        .set('Authorization', GUEST);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(
        "Unknown query parameter 'limit'",
      );
      const notATeam = await request(app)
        .get('/v1/report?team=user:default/guest')
        .set('Authorization', GUEST);
      expect(notATeam.status).toBe(400);
      expect(notATeam.body.error.message).toContain('team');
    });

    it('lists the entities with one problem and exports them as CSV', async () => {
      const res = await request(app)
        .get('/v1/report/problems?problem=owner-no-members')
        .set('Authorization', GUEST);
      expect(res.body).toMatchObject({
        totalCount: 1,
        rows: [
          {
            entityRef: 'component:default/legacy-reporting',
            ownerRef: 'group:default/analytics',
          },
        ],
      });
      const csv = await request(app)
        .get('/v1/report/problems.csv?problem=no-contact')
        .set('Authorization', GUEST);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain(
        'ownership-no-contact.csv',
      );
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'Entity,Title,Kind,System,Owner,Problems,Details,Last confirmed,Confirmed by',
      );
      expect(lines.slice(1).map(l => l.split(',')[0])).toEqual([
        'component:default/legacy-reporting',
        'component:default/promo-engine',
        'component:default/recommendations',
      ]);
      const badProblem = await request(app)
        .get('/v1/report/problems?problem=vibes')
        .set('Authorization', GUEST);
      expect(badProblem.status).toBe(400);
      expect(badProblem.body.error.message).toContain('problem');
    });

    it('gives per-group figures and 404 for a group outside the snapshot', async () => {
      const engineering = await request(app)
        .get('/v1/groups/default/engineering')
        .set('Authorization', GUEST);
      expect(engineering.body).toMatchObject({
        ownedDirectly: 0,
        ownedThroughChildren: 12,
        memberCount: 0,
      });
      const payments = await request(app)
        .get('/v1/groups/default/payments')
        .set('Authorization', GUEST);
      expect(payments.body).toMatchObject({
        ownedDirectly: 4,
        ownedTotal: 4,
        memberCount: 3,
        title: 'Payments',
      });
      const list = await request(app)
        .get('/v1/groups?limit=2')
        .set('Authorization', GUEST);
      expect(list.body.totalCount).toBe(6);
      expect(
        list.body.groups.map((g: { groupRef: string }) => g.groupRef),
      ).toEqual(['group:default/engineering', 'group:default/payments']); // ties (4 each with storefront) by ref
      const growth = await request(app)
        .get('/v1/groups/default/growth')
        .set('Authorization', GUEST);
      expect(growth.status).toBe(404);
      const facets = await request(app)
        .get('/v1/facets')
        .set('Authorization', GUEST);
      expect(facets.body.kinds).toEqual(['component', 'system']);
    });
  });
});
