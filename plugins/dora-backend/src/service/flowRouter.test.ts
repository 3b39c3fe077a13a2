import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp } from '@vitals/backend-test-utils';
import Ajv from 'ajv';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { spec } from '../schema/openapi';
import { FlowSettings } from './flow';
import { createRouter } from './router';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const USER = mockCredentials.user.header('user:default/guest');
const SERVICE = mockCredentials.service.header();
const NOW = Date.parse('2026-01-21T10:00:00Z');

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
/** A group with its child groups and, as the catalog relates them, the components it owns. */
const group = (
  name: string,
  children: string[] = [],
  owns: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  relations: [
    ...children.map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
    ...owns.map(c => ({
      type: 'ownerOf',
      targetRef: `component:default/${c}`,
    })),
  ],
});

const ENTITIES: Entity[] = [
  component('payments-api', 'group:default/payments'),
  component('ledger-service', 'group:default/payments-sre'),
  component('checkout-api', 'group:default/storefront'),
  group('payments', ['payments-sre'], ['payments-api']),
  group('payments-sre', [], ['ledger-service']),
  group('storefront', [], ['checkout-api']),
  // Owns an entity without pull requests: not on the teams page.
  component('design-system', 'group:default/design'),
  group('design', [], ['design-system']),
];

const pr = (id: string, entity: string, fields: object) => ({
  type: 'change',
  id,
  entityRef: `component:default/${entity}`,
  sha: `sha-${id}`,
  ...fields,
});

/*
 * Payments pools payments-api and, through its child team, ledger-service; checkout-api is Storefront's.
 *   pr-1 payments-api: pickup 4 h (240), review 60, 250 lines
 *   pr-2 ledger-service: pickup 10 h (600), review 120, 600 lines (large)
 *   pr-3 payments-api: merged without a review, 50 lines
 *   pr-4 checkout-api: pickup 30 (another team)
 * Waiting at 2026-01-21T10:00: w-1 payments-api 30 h, w-2 ledger-service 20 h, w-3 checkout-api 50 h.
 */
const EVENTS = [
  pr('pr-1', 'payments-api', {
    createdAt: '2026-01-06T08:00:00Z',
    firstReviewAt: '2026-01-06T12:00:00Z',
    mergedAt: '2026-01-06T13:00:00Z',
    additions: 200,
    deletions: 50,
  }),
  pr('pr-2', 'ledger-service', {
    createdAt: '2026-01-07T08:00:00Z',
    firstReviewAt: '2026-01-07T18:00:00Z',
    mergedAt: '2026-01-07T20:00:00Z',
    additions: 600,
  }),
  pr('pr-3', 'payments-api', {
    createdAt: '2026-01-08T08:00:00Z',
    mergedAt: '2026-01-08T09:00:00Z',
    additions: 40,
    deletions: 10,
  }),
  pr('pr-4', 'checkout-api', {
    createdAt: '2026-01-08T08:00:00Z',
    firstReviewAt: '2026-01-08T08:30:00Z',
    mergedAt: '2026-01-08T09:00:00Z',
  }),
  pr('w-1', 'payments-api', { createdAt: '2026-01-20T04:00:00Z' }),
  pr('w-2', 'ledger-service', { createdAt: '2026-01-20T14:00:00Z' }),
  pr('w-3', 'checkout-api', { createdAt: '2026-01-19T08:00:00Z' }),
];

const WINDOW = { from: '2026-01-05', to: '2026-01-19' };

/** How a success body differs from the spec's 200 response of the operation (empty when it matches). */
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'dora', components: spec.components });
function specMismatches(path: string, body: unknown) {
  const { $ref } = (spec.paths as any)[path].get.responses['200'].content[
    'application/json'
  ].schema;
  const validate = ajv.getSchema(`dora${$ref}`)!;
  return validate(body) ? [] : validate.errors;
}

describe('flow routes', () => {
  let knex: Knex;

  async function app(flow?: Partial<FlowSettings>): Promise<express.Express> {
    const store = await DatabaseDoraStore.create({
      database: mockServices.database({ knex }),
    });
    const router = await createRouter({
      store,
      ingest: new PublishingDoraIngestService({
        store,
        events: mockServices.events(),
        logger: mockServices.logger.mock(),
      }),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock({ entities: ENTITIES }),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      flow,
      now: () => NOW,
    });
    return routerTestApp(router);
  }

  let server: express.Express;
  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    server = await app();
    const res = await request(server)
      .post('/v1/events')
      .set('Authorization', SERVICE)
      .send({ events: EVENTS });
    if (res.body.accepted !== EVENTS.length)
      throw new Error(
        `The events were not stored: ${JSON.stringify(res.body)}`,
      );
  });

  afterEach(async () => {
    await knex.destroy();
  });

  const get = (target: express.Express, path: string, query: object) =>
    request(target).get(path).query(query).set('Authorization', USER);

  it('pools a team and its child teams for PR cycle time', async () => {
    const res = await get(server, '/v1/flow', {
      entityRef: 'group:default/payments',
      ...WINDOW,
    });
    expect(res.status).toBe(200);
    expect(specMismatches('/v1/flow', res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      entityRefs: [
        'component:default/ledger-service',
        'component:default/payments-api',
      ],
      pullRequests: 3,
      unreviewed: 1,
      parts: {
        // 240 and 600: pr-4 of Storefront and the unreviewed pr-3 are not in it.
        pickup: { pullRequests: 2, medianMinutes: 420, p75Minutes: 510 },
        review: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
        deploy: { pullRequests: 0, medianMinutes: null, p75Minutes: null },
      },
      size: {
        measured: 3,
        medianLines: 250,
        largeThresholdLines: 400,
        large: 1,
      },
    });
    expect(res.body.size.largeShare).toBeCloseTo(1 / 3, 10);
    expect(res.body.weeks).toHaveLength(2);
  });

  it('takes the large-PR threshold and the overdue hours from the configuration', async () => {
    const configured = await app({ largePrLines: 200, reviewOverdueHours: 48 });
    const flow = await get(configured, '/v1/flow', {
      entityRef: 'group:default/payments',
      ...WINDOW,
    });
    expect(flow.body.size).toMatchObject({
      largeThresholdLines: 200,
      large: 2,
    });
    const waiting = await get(configured, '/v1/flow/waiting', {
      entityRef: 'group:default/storefront',
    });
    // 50 hours against 48.
    expect(waiting.body).toMatchObject({
      overdueAfterHours: 48,
      overdueCount: 1,
      items: [{ id: 'w-3', waitedHours: 50, overdue: true }],
    });
  });

  it('lists the pull requests behind a figure, and those merged without a review', async () => {
    const pickup = await get(server, '/v1/flow/pull-requests', {
      entityRef: 'group:default/payments',
      ...WINDOW,
      part: 'pickup',
    });
    expect(pickup.status).toBe(200);
    expect(specMismatches('/v1/flow/pull-requests', pickup.body)).toEqual([]);
    expect(pickup.body.items.map((i: any) => [i.id, i.pickupMinutes])).toEqual([
      ['pr-2', 600],
      ['pr-1', 240],
    ]);
    const unreviewed = await get(server, '/v1/flow/pull-requests', {
      entityRef: 'group:default/payments',
      ...WINDOW,
      unreviewed: 'true',
    });
    expect(unreviewed.body).toMatchObject({
      totalCount: 1,
      items: [{ id: 'pr-3', reviewed: false, linesChanged: 50, large: false }],
    });
  });

  it('lists a team’s pull requests waiting for review, oldest first, with the overdue ones marked', async () => {
    const res = await get(server, '/v1/flow/waiting', {
      entityRef: 'group:default/payments',
    });
    expect(res.status).toBe(200);
    expect(specMismatches('/v1/flow/waiting', res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      asOf: '2026-01-21T10:00:00.000Z',
      overdueAfterHours: 24,
      totalCount: 2,
      overdueCount: 1,
    });
    expect(
      res.body.items.map((i: any) => [i.id, i.waitedHours, i.overdue]),
    ).toEqual([
      ['w-1', 30, true],
      ['w-2', 20, false],
    ]);
    const entity = await get(server, '/v1/flow/waiting', {
      entityRef: 'component:default/ledger-service',
    });
    expect(entity.body.items.map((i: any) => i.id)).toEqual(['w-2']);
  });

  it('puts the teams side by side, each pooled as its own figures are, with its waiting pull requests', async () => {
    const res = await get(server, '/v1/flow/teams', { ...WINDOW });
    expect(res.status).toBe(200);
    expect(specMismatches('/v1/flow/teams', res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      asOf: '2026-01-21T10:00:00.000Z',
      overdueAfterHours: 24,
    });
    expect(
      res.body.teams.map((t: any) => [
        t.entityRef,
        t.title,
        t.pullRequests,
        t.unreviewed,
        t.parts.pickup.medianMinutes,
        t.waiting,
      ]),
    ).toEqual([
      [
        'group:default/payments',
        'payments',
        3,
        1,
        420,
        { totalCount: 2, overdueCount: 1 },
      ],
      [
        'group:default/payments-sre',
        'payments-sre',
        1,
        0,
        600,
        { totalCount: 1, overdueCount: 0 },
      ],
      [
        'group:default/storefront',
        'storefront',
        1,
        0,
        30,
        { totalCount: 1, overdueCount: 1 },
      ],
    ]);
    // The same figures as the team's own flow.
    const own = await get(server, '/v1/flow', {
      entityRef: 'group:default/payments',
      ...WINDOW,
    });
    const { entityRef, title, type, waiting, computedAt, ...figures } =
      res.body.teams[0];
    const { parts, size, pullRequests, unreviewed } = own.body;
    expect(figures).toEqual({ parts, size, pullRequests, unreviewed });
    // Computed on this request.
    expect(computedAt).toBe('2026-01-21T10:00:00.000Z');
    expect(
      (await get(server, '/v1/flow/teams', { ...WINDOW, type: 'department' }))
        .body.teams,
    ).toEqual([]);
  });

  it.each([
    [
      '/v1/flow',
      { entityRef: 'component:default/payments-api', from: '2026-02-30' },
      'from',
    ],
    [
      '/v1/flow',
      {
        entityRef: 'component:default/payments-api',
        from: '2026-02-01',
        to: '2026-01-01',
      },
      'from: must be before to',
    ],
    [
      '/v1/flow',
      { entityRef: 'component:default/payments-api', part: 'pickup' },
      'part',
    ],
    ['/v1/flow', { from: '2026-01-01' }, 'entityRef'],
    [
      '/v1/flow/pull-requests',
      { entityRef: 'component:default/payments-api', part: 'merge' },
      'part',
    ],
    [
      '/v1/flow/pull-requests',
      { entityRef: 'component:default/payments-api', unreviewed: 'yes' },
      'unreviewed',
    ],
    [
      '/v1/flow/pull-requests',
      { entityRef: 'component:default/payments-api', limit: '0' },
      'limit',
    ],
    [
      '/v1/flow/pull-requests',
      { entityRef: 'component:default/payments-api', offset: '1e2' },
      'offset',
    ],
    [
      '/v1/flow/waiting',
      { entityRef: 'component:default/payments-api', from: '2026-01-01' },
      'from',
    ],
    [
      '/v1/flow/waiting',
      { entityRef: 'component:default/payments-api', limit: '1001' },
      'limit',
    ],
    ['/v1/flow/waiting', { entityRef: 'not a ref' }, 'entityRef'],
    ['/v1/flow/teams', { from: '2026-02-01', to: '2026-01-01' }, 'from'],
    ['/v1/flow/teams', { type: 'x'.repeat(101) }, 'type'],
    ['/v1/flow/teams', { entityRef: 'group:default/payments' }, 'entityRef'],
  ])('answers %s with %j with a 400 naming %s', async (path, query, field) => {
    const res = await get(server, path, query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(field);
  });

  it('answers an unknown group with 404 and a caller without a token with 401', async () => {
    for (const path of [
      '/v1/flow',
      '/v1/flow/pull-requests',
      '/v1/flow/waiting',
    ]) {
      const missing = await get(server, path, {
        entityRef: 'group:default/nobody',
      });
      expect([path, missing.status]).toEqual([path, 404]);
      const anonymous = await request(server)
        .get(path)
        .query({ entityRef: 'component:default/payments-api' });
      expect([path, anonymous.status]).toEqual([path, 401]);
    }
  });
});
