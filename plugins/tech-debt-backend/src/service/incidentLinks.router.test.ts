import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseTechDebtStore } from '../database/DatabaseTechDebtStore';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const NOW = new Date('2026-12-01T12:00:00.000Z');
const USER = mockCredentials.user.header('user:default/guest');
/** Another plugin, or CI: a service that is not configured to refresh links. */
const SERVICE = mockCredentials.service.header();
/** The postmortems plugin's own service credentials (a scheduled job refreshing snapshots). */
const POSTMORTEMS = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:postmortems'),
  targetPluginId: 'test',
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const ENTITIES = [
  component('payments-api', 'group:default/payments'),
  component('checkout-api', 'group:default/storefront'),
];
/** The user may edit Payments' entities, not Storefront's. */
const DENIED = new Set(['component:default/checkout-api']);

/** pagerduty:PGR0VU2/7 — with a `/` that must stay inside its path segment. */
const INCIDENT = 'pagerduty:PGR0VU2/7';
const path = (itemId: string, incidentId = INCIDENT) =>
  `/v1/items/${itemId}/incidents/${encodeURIComponent(incidentId)}`;

const SNAPSHOT = {
  entityRef: 'Component:payments-api',
  createdAt: '2026-11-30T10:00:00+01:00',
  resolvedAt: '2026-11-30T10:45:00+01:00',
  severity: 'SEV2',
  postmortemId: 'pm-1',
  postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
  title: 'Card captures timed out',
};

describe.each(databases.eachSupportedId())(
  'incident link routes on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let permissions: ReturnType<typeof mockServices.permissions.mock>;
    let payments: DebtItem;
    let checkout: DebtItem;

    async function start(options: { refreshers?: string[] } = {}) {
      auditor = mockServices.auditor.mock();
      permissions = mockServices.permissions.mock({
        authorize: jest.fn(async (requests: AuthorizePermissionRequest[]) =>
          requests.map(r => ({
            result:
              r.resourceRef && DENIED.has(r.resourceRef)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        ),
      });
      const store = await DatabaseTechDebtStore.create({
        database: mockServices.database({ knex }),
        now: () => NOW,
      });
      const router = await createRouter({
        store,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions,
        catalog: catalogServiceMock({ entities: ENTITIES }),
        auditor,
        logger: mockServices.logger.mock(),
        incidentLinkRefreshers: options.refreshers,
        validateResponses: true,
      });
      const middleware = MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      });
      app = express().use(router).use(middleware.error());
      payments = await store.createItem(
        {
          entityRef: 'component:default/payments-api',
          ownerRef: 'group:default/payments',
          systemRef: null,
          title: 'Card capture retries are not idempotent',
          description: '',
          category: 'architecture',
          impact: 5,
          effortDays: 6,
          interestHoursPerMonth: 10,
          status: 'open',
          assignee: null,
          trackerUrl: null,
          tags: [],
        },
        'user:default/guest',
      );
      checkout = await store.createItem(
        {
          ...payments,
          entityRef: 'component:default/checkout-api',
          ownerRef: 'group:default/storefront',
          title: 'Checkout retries',
        },
        'user:default/li.wei',
      );
      auditor.createEvent.mockClear();
    }

    // One database per run, emptied before each test: a shared PostgreSQL server drops a database per test slowly.
    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      for (const table of [
        'tech_debt_item_incidents',
        'tech_debt_item_events',
        'tech_debt_items',
      ])
        if (await knex.schema.hasTable(table)) await knex(table).delete();
      await start();
    });

    afterAll(async () => {
      await knex.destroy();
    });

    const item = async (id: string) =>
      (await request(app).get(`/v1/items/${id}`).set('Authorization', USER))
        .body as DebtItem;
    const actions = async (id: string) =>
      (
        await request(app)
          .get(`/v1/items/${id}/events`)
          .set('Authorization', USER)
      ).body.events.map((e: { action: string }) => e.action);

    it('links an incident for a person who may edit the item, and the item shows it and what it cost', async () => {
      const res = await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send(SNAPSHOT);
      expect(res.status).toBe(200);
      const link = {
        incidentId: INCIDENT,
        entityRef: 'component:default/payments-api',
        createdAt: '2026-11-30T09:00:00.000Z',
        resolvedAt: '2026-11-30T09:45:00.000Z',
        severity: 'SEV2',
        restoreMinutes: 45,
        postmortemId: 'pm-1',
        postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
        title: 'Card captures timed out',
        linkedAt: expect.any(String),
        linkedBy: 'user:default/guest',
        updatedAt: expect.any(String),
      };
      expect(res.body).toEqual({ outcome: 'linked', incidents: [link] });
      expect(permissions.authorize).toHaveBeenLastCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'tech-debt.item.update',
            }),
            resourceRef: 'component:default/payments-api',
          },
        ],
        expect.anything(),
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-item-incident-link',
          meta: {
            itemId: payments.id,
            entityRef: 'component:default/payments-api',
            incidentId: INCIDENT,
            postmortemId: 'pm-1',
          },
        }),
      );
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalled();

      expect(await item(payments.id)).toMatchObject({
        version: 1,
        incidentCount: 1,
        incidents: [link],
        measuredInterest: { windowDays: 90, incidents: 1, restoreMinutes: 45 },
      });
      expect(await actions(payments.id)).toEqual(['linked', 'created']);

      // The same link again: one link, nothing new in the history.
      const again = await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send(SNAPSHOT);
      expect(again.body.outcome).toBe('unchanged');
      expect(again.body.incidents).toHaveLength(1);
      expect(await actions(payments.id)).toEqual(['linked', 'created']);
    });

    it('unlinks, and answers 404 for an incident that is not linked or an item that does not exist', async () => {
      await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send(SNAPSHOT);
      const res = await request(app)
        .delete(path(payments.id))
        .set('Authorization', USER);
      expect(res.status).toBe(204);
      expect(auditor.createEvent).toHaveBeenLastCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-item-incident-unlink',
          meta: {
            itemId: payments.id,
            entityRef: 'component:default/payments-api',
            incidentId: INCIDENT,
          },
        }),
      );
      expect((await item(payments.id)).incidentCount).toBe(0);
      expect(await actions(payments.id)).toEqual([
        'unlinked',
        'linked',
        'created',
      ]);

      const again = await request(app)
        .delete(path(payments.id))
        .set('Authorization', USER);
      expect(again.status).toBe(404);
      expect(again.body.error.message).toBe(
        `Incident '${INCIDENT}' is not linked to debt item '${payments.id}'`,
      );
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const res2 of [
        await request(app)
          .put(path(unknown))
          .set('Authorization', USER)
          .send(SNAPSHOT),
        await request(app).delete(path(unknown)).set('Authorization', USER),
      ])
        expect(res2.status).toBe(404);
    });

    it("answers 403 to a person linking to or unlinking from another team's item, and writes nothing", async () => {
      for (const res of [
        await request(app)
          .put(path(checkout.id))
          .set('Authorization', USER)
          .send(SNAPSHOT),
        await request(app).delete(path(checkout.id)).set('Authorization', USER),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /^You may not (link incidents to|unlink incidents from) the debt items of component:default\/checkout-api/,
        );
      }
      expect((await item(checkout.id)).incidentCount).toBe(0);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });

    it("lets the postmortems plugin's own service refresh a link a person made, and nothing else", async () => {
      await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send({ ...SNAPSHOT, resolvedAt: null });
      const resolved = { ...SNAPSHOT, resolvedAt: '2026-11-30T11:30:00Z' };

      // Any other service: 403 for every link write, before anything is read.
      for (const res of [
        await request(app)
          .put(path(payments.id))
          .set('Authorization', SERVICE)
          .send(resolved),
        await request(app)
          .delete(path(payments.id))
          .set('Authorization', SERVICE),
      ])
        expect(res.status).toBe(403);

      // The postmortems plugin: it may not link a new incident, nor unlink.
      const newLink = await request(app)
        .put(path(payments.id, 'pagerduty:OTHER'))
        .set('Authorization', POSTMORTEMS)
        .send(resolved);
      expect(newLink.status).toBe(403);
      expect(newLink.body.error.message).toMatch(
        /A service may only refresh a link a person made/,
      );
      const unlink = await request(app)
        .delete(path(payments.id))
        .set('Authorization', POSTMORTEMS);
      expect(unlink.status).toBe(403);

      // ...but it may refresh the snapshot: resolved at 11:30 UTC, 150 minutes after 09:00.
      const refreshed = await request(app)
        .put(path(payments.id))
        .set('Authorization', POSTMORTEMS)
        .send(resolved);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.outcome).toBe('refreshed');
      expect(refreshed.body.incidents[0]).toMatchObject({
        resolvedAt: '2026-11-30T11:30:00.000Z',
        restoreMinutes: 150,
        linkedBy: 'user:default/guest',
      });
      const events = (
        await request(app)
          .get(`/v1/items/${payments.id}/events`)
          .set('Authorization', USER)
      ).body.events;
      expect(events[0]).toMatchObject({
        action: 'link_refreshed',
        actor: 'service:plugin:postmortems',
      });
      // A service never reaches the policy.
      expect(permissions.authorize).toHaveBeenCalledTimes(1);
      expect((await item(payments.id)).incidentCount).toBe(1);
    });

    it('lets no service refresh when no plugin is configured to', async () => {
      await start({ refreshers: [] });
      await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send(SNAPSHOT);
      const res = await request(app)
        .put(path(payments.id))
        .set('Authorization', POSTMORTEMS)
        .send({ ...SNAPSHOT, severity: 'SEV1' });
      expect(res.status).toBe(403);
      expect((await item(payments.id)).incidents[0].severity).toBe('SEV2');
    });

    it.each([
      ['createdAt', { createdAt: 'yesterday' }],
      ['createdAt', { createdAt: '2100-01-01T00:00:00Z' }],
      ['createdAt', { createdAt: '2026-11-30T10:00:00' }],
      ['createdAt', { createdAt: undefined }],
      ['entityRef', { entityRef: 'not a ref' }],
      ['resolvedAt', { resolvedAt: '2026-11-30T08:00:00Z' }],
      ['restoreMinutes', { resolvedAt: null, restoreMinutes: 10 }],
      ['restoreMinutes', { restoreMinutes: -1 }],
      ['restoreMinutes', { restoreMinutes: 1e9 }],
      ['severity', { severity: 'S'.repeat(51) }],
      // eslint-disable-next-line no-script-url
      ['postmortemUrl', { postmortemUrl: 'javascript:alert(1)' }],
      ['title', { title: 'two\nlines' }],
      ['linkedBy', { linkedBy: 'user:default/someone' }],
    ])('answers 400 naming %s and links nothing', async (field, change) => {
      const res = await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send({ ...SNAPSHOT, ...change });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect((await item(payments.id)).incidentCount).toBe(0);
    });

    it('answers 400 for an incident id that is too long or has control characters', async () => {
      for (const incidentId of ['x'.repeat(201), 'bad\u0007id']) {
        const res = await request(app)
          .put(path(payments.id, incidentId))
          .set('Authorization', USER)
          .send(SNAPSHOT);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/incidentId|incident id/);
      }
    });

    it('answers 401 without credentials', async () => {
      expect(
        (await request(app).put(path(payments.id)).send(SNAPSHOT)).status,
      ).toBe(401);
      expect((await request(app).delete(path(payments.id))).status).toBe(401);
      expect(
        (await request(app).get('/v1/reports/repeat-incidents')).status,
      ).toBe(401);
    });

    it('serves the repeat-incidents report to people and services, and refuses bad parameters', async () => {
      for (const [id, createdAt] of [
        ['a', '2026-11-01T10:00:00Z'],
        ['b', '2026-11-20T10:00:00Z'],
      ])
        await request(app)
          .put(path(payments.id, id))
          .set('Authorization', USER)
          .send({
            ...SNAPSHOT,
            createdAt,
            resolvedAt: null,
            restoreMinutes: null,
          });
      const res = await request(app)
        .get('/v1/reports/repeat-incidents?owner=payments')
        .set('Authorization', SERVICE);
      expect(res.status).toBe(200);
      // Both ongoing at NOW: 30 days 2 hours (43,320 minutes) and 11 days 2 hours (15,960 minutes).
      expect(res.body).toMatchObject({
        windowDays: 90,
        minIncidents: 2,
        from: '2026-09-02T12:00:00.000Z',
        to: NOW.toISOString(),
        teams: [
          {
            ownerRef: 'group:default/payments',
            incidents: 2,
            restoreMinutes: 43_320 + 15_960,
            items: [
              {
                id: payments.id,
                incidents: 2,
                restoreMinutes: 59_280,
                links: [{ incidentId: 'b' }, { incidentId: 'a' }],
              },
            ],
          },
        ],
      });
      const other = await request(app)
        .get('/v1/reports/repeat-incidents?owner=group:default/storefront')
        .set('Authorization', USER);
      expect(other.body.teams).toEqual([]);

      for (const [query, field] of [
        ['days=0', 'days'],
        ['days=366', 'days'],
        ['minIncidents=two', 'minIncidents'],
        ['owner=component:default/payments-api', 'owner'],
        ['limit=10', 'limit'],
      ]) {
        const bad = await request(app)
          .get(`/v1/reports/repeat-incidents?${query}`)
          .set('Authorization', USER);
        expect({ query, status: bad.status }).toEqual({ query, status: 400 });
        expect(bad.body.error.message).toContain(field);
      }
    });

    it('lists exactly the items asked for by id, and sorts by measured interest', async () => {
      await request(app)
        .put(path(payments.id))
        .set('Authorization', USER)
        .send(SNAPSHOT);
      const list = async (query: string) =>
        request(app).get(`/v1/items?${query}`).set('Authorization', SERVICE);
      const byIds = await list(`ids=${payments.id},${checkout.id}`);
      expect(byIds.status).toBe(200);
      expect(byIds.body.totalCount).toBe(2);
      expect(
        (await list(`ids=${checkout.id}`)).body.items.map(
          (i: DebtItem) => i.id,
        ),
      ).toEqual([checkout.id]);
      const bad = await list('ids=not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('ids');

      // Same priority: the item with an incident first, or last when ascending.
      const titles = async (query: string) =>
        (await list(query)).body.items.map((i: DebtItem) => i.title);
      expect(await titles('orderBy=measuredInterest')).toEqual([
        payments.title,
        checkout.title,
      ]);
      expect(await titles('orderBy=measuredInterest&order=asc')).toEqual([
        checkout.title,
        payments.title,
      ]);
    });
  },
);
