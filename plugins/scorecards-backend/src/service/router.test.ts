import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { ScorecardDefinition } from '@vitals/plugin-scorecards-common';
import { FactProvider } from '@vitals/plugin-scorecards-node';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseScorecardsStore } from '../database/DatabaseScorecardsStore';
import { catalogFactProvider } from '../providers/catalogFactProvider';
import { createRouter } from './router';
import { ScorecardEvaluator } from './ScorecardEvaluator';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const USER = mockCredentials.user.header('user:default/guest');
/** A service principal, as a CI pipeline's static token authenticates. */
const SERVICE = mockCredentials.service.header();

const component = (
  name: string,
  owner: string,
  extra: Partial<Entity['metadata']> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `The ${name}`,
    ...extra,
  },
  spec: { type: 'service', lifecycle: 'production', owner, system: 'payments' },
});

const ENTITIES: Entity[] = [
  component('payments-api', 'payments', {
    links: [
      { url: 'https://runbooks.example.com/payments-api', type: 'runbook' },
    ],
  }),
  component('ledger', 'group:default/payments'),
  component('checkout-api', 'storefront'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments' },
    spec: { type: 'team', children: [] },
  },
];

/** Denies every permission on these resources, allows everything else. */
const DENIED = new Set(['component:default/checkout-api']);

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  appliesTo: { kind: ['Component'] },
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Has an owner',
      fact: 'catalog.hasOwner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'runbook',
      title: 'Has a runbook',
      fact: 'catalog.hasRunbook',
      operator: '==',
      threshold: true,
      level: 'silver',
    },
    {
      id: 'latency',
      title: 'Fast',
      fact: 'fake.latencyMs',
      operator: '<=',
      threshold: 200,
      level: 'silver',
    },
    {
      id: 'dora',
      title: 'Deploys',
      fact: 'dora.deploys',
      operator: '>=',
      threshold: 1,
      level: 'silver',
    },
  ],
};

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let evaluator: ScorecardEvaluator;
  let latency: Record<string, number>;
  /** How the fake provider fails: a thrown error for the batch, or a reported failure per entity. */
  let fakeFailure: { throws?: boolean; entities?: string[] };
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let send: jest.Mock;
  /** The policy's answer to `scorecards.definition.update` (allowed unless a test says otherwise). */
  let definitionsAllowed: boolean;
  let definitionsChanged: jest.Mock;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    const store = await DatabaseScorecardsStore.create({
      database: mockServices.database({ knex }),
    });
    latency = {
      'component:default/payments-api': 120,
      'component:default/ledger': 900,
      'component:default/checkout-api': 150,
    };
    fakeFailure = {};
    definitionsAllowed = true;
    definitionsChanged = jest.fn(async () => {});
    const fake: FactProvider = {
      id: 'fake',
      facts: [
        { id: 'fake.latencyMs', type: 'number', description: 'p95 latency' },
      ],
      getFacts: async ({ entities, reportFailure }) => {
        if (fakeFailure.throws) throw new Error('503 Service Unavailable');
        const answer = new Map<string, { 'fake.latencyMs': number | null }>();
        for (const e of entities) {
          const ref = `component:default/${e.metadata.name}`;
          if (fakeFailure.entities?.includes(ref))
            reportFailure?.(ref, new Error('timeout'));
          else answer.set(ref, { 'fake.latencyMs': latency[ref] ?? null });
        }
        return answer;
      },
    };
    send = jest.fn(async () => {});
    const catalog = catalogServiceMock({ entities: ENTITIES });
    evaluator = new ScorecardEvaluator({
      store,
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      definitions: [CARD],
      providers: [catalogFactProvider, fake],
      notifications: { send },
      promotions: store.promotions,
    });
    auditor = mockServices.auditor.mock();
    const router = await createRouter({
      store,
      evaluator,
      catalog,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions: mockServices.permissions.mock({
        authorize: jest.fn(async (requests: AuthorizePermissionRequest[]) =>
          requests.map(r => ({
            result:
              (r.resourceRef && DENIED.has(r.resourceRef)) ||
              (r.permission.name === 'scorecards.definition.update' &&
                !definitionsAllowed)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        ),
      }),
      auditor,
      logger: mockServices.logger.mock(),
      onDefinitionsChanged: definitionsChanged,
      // Every response these tests get is also checked against the spec: one that breaks it is a 500.
      validateResponses: true,
    });
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    app = express().use(router).use(middleware.error());
  });

  afterEach(async () => {
    await knex.destroy();
  });

  const get = (url: string) => request(app).get(url).set('Authorization', USER);
  const resultOf = async (entityRef: string) =>
    (await get(`/v1/entities/results?entityRef=${entityRef}`)).body.results[0];

  it("refuses every write to a service principal (the CI token) with a 403: waivers and refreshes are people's", async () => {
    await evaluator.evaluateAll();
    const body = {
      entityRef: 'component:default/ledger',
      scorecardId: 'prod',
      checkId: 'runbook',
      reason: 'The ledger is run by the payments runbook',
      expiresAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
    };
    const asService = await request(app)
      .post('/v1/waivers')
      .set('Authorization', SERVICE)
      .send(body);
    expect(asService.status).toBe(403);
    const created = await request(app)
      .post('/v1/waivers')
      .set('Authorization', USER)
      .send(body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (
        await request(app)
          .patch(`/v1/waivers/${id}`)
          .set('Authorization', SERVICE)
          .send({ reason: 'CI says', version: 1 })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .delete(`/v1/waivers/${id}?version=1`)
          .set('Authorization', SERVICE)
      ).status,
    ).toBe(403);
    const refresh = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', SERVICE)
      .send({ entityRef: 'component:default/ledger' });
    expect(refresh.status).toBe(403);
    // The waiver is untouched; reads stay open to services.
    const read = await request(app)
      .get(`/v1/waivers/${id}`)
      .set('Authorization', SERVICE);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      reason: body.reason,
      version: 1,
      revokedAt: null,
    });
  });

  it('requires a principal on every route', async () => {
    for (const url of [
      '/v1/definitions',
      '/v1/summary',
      '/v1/entities/results?entityRef=component:default/ledger',
    ]) {
      expect((await request(app).get(url)).status).toBe(401);
    }
    // A valid body: the spec's checks come before the handler, which asks for the principal. In the backend,
    // Backstage's credentials barrier answers 401 before the router sees the request.
    expect(
      (
        await request(app)
          .post('/v1/waivers')
          .send({
            entityRef: 'component:default/ledger',
            scorecardId: 'prod',
            checkId: 'runbook',
            reason: 'Nobody signed in',
            expiresAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
          })
      ).status,
    ).toBe(401);
  });

  it('lists the definitions and the facts the providers yield', async () => {
    const res = await get('/v1/definitions');
    expect(res.status).toBe(200);
    expect(res.body.scorecards).toEqual([CARD]);
    expect(res.body.facts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'fake.latencyMs', provider: 'fake' }),
        expect.objectContaining({
          id: 'catalog.hasRunbook',
          provider: 'catalog',
        }),
      ]),
    );
    expect((await get('/v1/definitions/prod')).body.id).toBe('prod');
    expect((await get('/v1/definitions/nope')).status).toBe(404);
  });

  it("serves many entities' results in one call, in the order asked, each once, and 400 beyond 1,000 or with a bad ref", async () => {
    await evaluator.evaluateAll();
    const post = (body: unknown) =>
      request(app)
        .post('/v1/entities/results/batch')
        .set('Authorization', USER)
        .send(body as object);
    const res = await post({
      entityRefs: [
        'component:default/ledger',
        'component:default/payments-api',
        'component:default/not-in-the-catalog',
        'Component:default/Ledger',
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.entities.map((e: any) => e.entityRef)).toEqual([
      'component:default/ledger',
      'component:default/payments-api',
      'component:default/not-in-the-catalog',
    ]);
    // Each entity's results are the ones the single read gives.
    expect(res.body.entities[1].results).toEqual(
      (
        await get(
          '/v1/entities/results?entityRef=component:default/payments-api',
        )
      ).body.results,
    );
    expect(res.body.entities[1].results[0]).toMatchObject({
      scorecardId: 'prod',
      levelId: 'bronze',
    });
    expect(res.body.entities[2].results).toEqual([]);

    const tooMany = await post({
      entityRefs: Array.from(
        { length: 1001 },
        (_, i) => `component:default/service-${i}`,
      ),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/entityRefs/);
    expect((await post({ entityRefs: [] })).status).toBe(400);
    const badRef = await post({ entityRefs: ['component:default/ok', ' '] });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(/entityRefs/);
    expect(
      (
        await request(app)
          .post('/v1/entities/results/batch')
          .send({ entityRefs: ['component:default/ledger'] })
      ).status,
    ).toBe(401);
  });

  it("serves an entity's stored results: level, score, each check with its value, and no data for missing facts", async () => {
    expect(
      (await get('/v1/entities/results?entityRef=component:default/ledger'))
        .body,
    ).toEqual({
      entityRef: 'component:default/ledger',
      results: [],
    });
    await evaluator.evaluateAll();
    const result = await resultOf('component:default/payments-api');
    expect(result).toMatchObject({
      scorecardId: 'prod',
      levelId: 'bronze',
      ownerRef: 'group:default/payments',
      systemRef: 'system:default/payments',
      score: 75,
    });
    expect(result.checks).toEqual([
      {
        checkId: 'owner',
        value: true,
        passed: true,
        score: 100,
        message: null,
        waiver: null,
      },
      {
        checkId: 'runbook',
        value: true,
        passed: true,
        score: 100,
        message: null,
        waiver: null,
      },
      {
        checkId: 'latency',
        value: 120,
        passed: true,
        score: 100,
        message: null,
        waiver: null,
      },
      {
        checkId: 'dora',
        value: null,
        passed: false,
        score: 0,
        message: 'no data',
        waiver: null,
      },
    ]);
    // Groups are not components: the scorecard does not apply.
    expect(
      (await get('/v1/entities/results?entityRef=group:default/payments')).body
        .results,
    ).toEqual([]);
  });

  it('rejects bad queries with a 400 that names the field', async () => {
    const bad = await get('/v1/entities/results?entityRef=ledger');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('entityRef');
    const extra = await get(
      '/v1/entities/results?entityRef=component:default/ledger&x=1',
    );
    expect(extra.status).toBe(400);
    expect(
      (await get('/v1/groups/rollup?groupRef=user:default/x')).body.error
        .message,
    ).toContain('groupRef');
    expect(
      (await get('/v1/summary?scorecardId=nope')).body.error.message,
    ).toContain('scorecardId');
    expect(
      (await get('/v1/history?from=2026-11-20&to=2026-11-01')).body.error
        .message,
    ).toContain('from');
    expect((await get('/v1/history?from=2026-13-45')).status).toBe(400);
    expect(
      (await get('/v1/history?from=2026-02-30')).body.error.message,
    ).toContain('from: is not a valid day');
    // Days outside 1970-2099 break the spec's pattern: the validator answers before zod's "must be between".
    expect(
      (await get('/v1/history?from=1969-12-31')).body.error.message,
    ).toContain('request/query/from must match pattern');
    expect(
      (await get('/v1/history?to=2100-01-01')).body.error.message,
    ).toContain('request/query/to must match pattern');
    expect((await get('/v1/history?scorecardId=nope')).status).toBe(404);
    const body = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 42 });
    expect(body.status).toBe(400);
    expect(body.body.error.message).toContain('entityRef');
  });

  it('refreshes an entity only for those the policy allows (its owners), with a 403 for others', async () => {
    const denied = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/checkout-api' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not refresh the scorecards of component:default/checkout-api: only its owners may',
    );
    expect(
      (
        await get(
          '/v1/entities/results?entityRef=component:default/checkout-api',
        )
      ).body.results,
    ).toEqual([]);
  });

  it('refreshes an entity at most once per interval: a second refresh soon after gets 429 saying when to retry', async () => {
    const refresh = () =>
      request(app)
        .post('/v1/entities/refresh')
        .set('Authorization', USER)
        .send({ entityRef: 'Component:default/Ledger' });
    expect((await refresh()).status).toBe(200);
    const again = await refresh();
    expect(again.status).toBe(429);
    expect(again.body.error.message).toMatch(
      /^component:default\/ledger was refreshed at \S+; it can be refreshed again in \d+ seconds$/,
    );
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(30);
    // Another entity is not held up.
    const other = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/payments-api' });
    expect(other.status).toBe(200);
    // One entity per request.
    const many = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({
        entityRef: [
          'component:default/ledger',
          'component:default/payments-api',
        ],
      });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toContain('entityRef');
  });

  it('keeps the last known outcome of checks whose provider failed, marked stale, and notifies nobody', async () => {
    await evaluator.evaluateAll();
    const before = await resultOf('component:default/payments-api');
    expect(before.levelId).toBe('bronze');

    // The provider fails for the whole batch; payments-api had 120 ms (passing), ledger 900 ms (failing).
    fakeFailure = { throws: true };
    latency['component:default/ledger'] = 100;
    const failedAt = Date.now();
    await evaluator.evaluateAll();
    const payments = await resultOf('component:default/payments-api');
    const latencyOf = (r: { checks: Array<{ checkId: string }> }) =>
      r.checks.find(c => c.checkId === 'latency');
    expect(latencyOf(payments)).toEqual({
      checkId: 'latency',
      value: 120,
      passed: true,
      score: 100,
      message: null,
      waiver: null,
      stale: { providerId: 'fake', since: expect.any(String) },
    });
    const since = (
      latencyOf(payments) as unknown as { stale: { since: string } }
    ).stale.since;
    expect(Date.parse(since)).toBeGreaterThanOrEqual(failedAt - 1000);
    expect(payments).toMatchObject({
      levelId: before.levelId,
      score: before.score,
    });
    expect(latencyOf(await resultOf('component:default/ledger'))).toMatchObject(
      { value: 900, passed: false, stale: { providerId: 'fake' } },
    );
    // Checks of providers that answered are fresh.
    expect(
      payments.checks.find((c: { checkId: string }) => c.checkId === 'owner')
        .stale,
    ).toBeUndefined();

    // Still failing, now per entity: the check stays stale since the first failure.
    fakeFailure = { entities: ['component:default/payments-api'] };
    await evaluator.evaluateAll();
    expect(
      latencyOf(await resultOf('component:default/payments-api')),
    ).toMatchObject({ value: 120, stale: { since } });
    expect(latencyOf(await resultOf('component:default/ledger'))).toEqual(
      expect.objectContaining({ value: 100, passed: true }),
    );
    expect(
      latencyOf(await resultOf('component:default/ledger')),
    ).not.toHaveProperty('stale');
    expect(send).not.toHaveBeenCalled();

    // Back: fresh values, no longer stale.
    fakeFailure = {};
    await evaluator.evaluateAll();
    expect(
      latencyOf(await resultOf('component:default/payments-api')),
    ).not.toHaveProperty('stale');
  });

  it('notifies a drop a fresh check caused even while another check is stale, and only that', async () => {
    await evaluator.evaluateAll();
    // Waive the check without data: payments-api reaches silver.
    const waiver = await request(app)
      .post('/v1/waivers')
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/payments-api',
        scorecardId: 'prod',
        checkId: 'dora',
        reason: 'DORA events are not wired up yet',
        expiresAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      });
    expect(waiver.status).toBe(201);
    expect((await resultOf('component:default/payments-api')).levelId).toBe(
      'silver',
    );

    // The provider fails: silver is kept, nobody is told anything.
    fakeFailure = { throws: true };
    await evaluator.evaluateAll();
    expect((await resultOf('component:default/payments-api')).levelId).toBe(
      'silver',
    );
    expect(send).not.toHaveBeenCalled();

    // A fresh check starts failing (the runbook link goes) while the provider is still down: that drop is notified.
    ENTITIES[0].metadata.links = [];
    try {
      await evaluator.evaluateAll();
    } finally {
      ENTITIES[0].metadata.links = [
        { url: 'https://runbooks.example.com/payments-api', type: 'runbook' },
      ];
    }
    expect((await resultOf('component:default/payments-api')).levelId).toBe(
      'bronze',
    );
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('refreshes one entity on demand, 404 for one the catalog does not have', async () => {
    const res = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/ledger' });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      levelId: 'bronze',
      entityRef: 'component:default/ledger',
    });
    const missing = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/nope' });
    expect(missing.status).toBe(404);
  });

  it("notifies an entity's owners when it drops a level, not when it rises or is first evaluated", async () => {
    await evaluator.evaluateAll();
    // Waiving the check without data lifts payments-api from bronze to silver: a rise, no notification.
    const waiver = await request(app)
      .post('/v1/waivers')
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/payments-api',
        scorecardId: 'prod',
        checkId: 'dora',
        reason: 'DORA events are not wired up yet',
        expiresAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      });
    expect(waiver.status).toBe(201);
    expect((await resultOf('component:default/payments-api')).levelId).toBe(
      'silver',
    );
    expect(send).not.toHaveBeenCalled();

    latency['component:default/payments-api'] = 5000;
    const refreshed = await request(app)
      .post('/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/payments-api' });
    expect(refreshed.body.results[0].levelId).toBe('bronze');
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: 'component:default/payments-api',
      },
      payload: expect.objectContaining({
        title:
          'payments-api dropped from Silver to Bronze on "Production readiness"',
        link: '/catalog/default/component/payments-api',
        topic: 'scorecards',
      }),
    });
  });

  it('serves the org summary, a group roll-up, history and CSV from stored results', async () => {
    await evaluator.evaluateAll();
    const summary = await get('/v1/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.updatedAt).toEqual(expect.any(String));
    expect(summary.body.scorecards).toEqual([
      {
        scorecardId: 'prod',
        entities: 3,
        averageScore: expect.any(Number),
        levels: [{ levelId: 'bronze', count: 3 }],
      },
    ]);
    expect(summary.body.heatmap).toEqual(
      expect.arrayContaining([
        {
          scorecardId: 'prod',
          ownerRef: 'group:default/payments',
          checkId: 'runbook',
          entities: 2,
          passing: 1,
          share: 0.5,
        },
      ]),
    );
    const payments = await get('/v1/summary?owner=payments');
    expect(payments.body.scorecards[0].entities).toBe(2);

    const rollup = await get(
      '/v1/groups/rollup?groupRef=group:default/payments',
    );
    expect(rollup.status).toBe(200);
    expect(rollup.body.scorecards[0].entities).toHaveLength(2);
    expect(rollup.body.scorecards[0].failingChecks[0]).toMatchObject({
      checkId: 'dora',
      failing: 2,
    });

    const history = await get('/v1/history?entityRef=component:default/ledger');
    expect(history.body.points).toEqual([
      expect.objectContaining({
        scorecardId: 'prod',
        levelId: 'bronze',
        failingChecks: ['dora', 'latency', 'runbook'],
      }),
    ]);
    const trend = await get('/v1/history?owner=payments&scorecardId=prod');
    expect(trend.body.points[0]).toMatchObject({
      scorecardId: 'prod',
      entities: 2,
    });

    const csv = await get('/v1/export.csv?owner=group:default/payments');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Entity,Owner,System,Scorecard,Level,Score,Failing checks,Waived checks,Evaluated',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      'component:default/ledger,group:default/payments,system:default/payments,Production readiness,Bronze',
    );
  });

  describe('waivers', () => {
    const expiresAt = () =>
      new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const post = (body: object) =>
      request(app).post('/v1/waivers').set('Authorization', USER).send(body);
    const valid = () => ({
      entityRef: 'component:default/ledger',
      scorecardId: 'prod',
      checkId: 'runbook',
      reason: 'The ledger is run by the payments runbook',
      expiresAt: expiresAt(),
    });

    it('lets an owner waive a check: audited, shown on the result, counted as passing until withdrawn', async () => {
      await evaluator.evaluateAll();
      const body = valid();
      const created = await post(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ...body,
        createdBy: 'user:default/guest',
        version: 1,
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'scorecards-waiver-create' }),
      );

      const waived = await resultOf('component:default/ledger');
      const runbook = waived.checks.find(
        (c: { checkId: string }) => c.checkId === 'runbook',
      );
      expect(runbook).toMatchObject({
        passed: false,
        waiver: { id: created.body.id, reason: valid().reason },
      });
      expect(waived.score).toBe(50);

      const listed = await get(
        '/v1/waivers?entityRef=component:default/ledger',
      );
      expect(listed.body.waivers.map((w: { id: string }) => w.id)).toEqual([
        created.body.id,
      ]);

      const patched = await request(app)
        .patch(`/v1/waivers/${created.body.id}`)
        .set('Authorization', USER)
        .send({ reason: 'Still true', version: 1 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ reason: 'Still true', version: 2 });
      const stale = await request(app)
        .patch(`/v1/waivers/${created.body.id}`)
        .set('Authorization', USER)
        .send({ reason: 'Stale edit', version: 1 });
      expect(stale.status).toBe(409);

      const unversioned = await request(app)
        .delete(`/v1/waivers/${created.body.id}`)
        .set('Authorization', USER);
      expect(unversioned.status).toBe(400);
      expect(unversioned.body.error.message).toMatch(
        /required property 'version'/,
      );
      const staleWithdraw = await request(app)
        .delete(`/v1/waivers/${created.body.id}?version=1`)
        .set('Authorization', USER);
      expect(staleWithdraw.status).toBe(409);
      expect(staleWithdraw.body.error.message).toContain(
        'your version 1, current 2',
      );
      const deleted = await request(app)
        .delete(`/v1/waivers/${created.body.id}?version=2`)
        .set('Authorization', USER);
      expect(deleted.status).toBe(204);
      const after = await resultOf('component:default/ledger');
      expect(
        after.checks.find((c: { checkId: string }) => c.checkId === 'runbook')
          .waiver,
      ).toBeNull();
      expect(
        (await get('/v1/waivers?entityRef=component:default/ledger')).body
          .waivers,
      ).toEqual([]);
      expect(
        (
          await get(
            '/v1/waivers?entityRef=component:default/ledger&includeInactive=true',
          )
        ).body.waivers,
      ).toHaveLength(1);
    });

    it('forbids waivers to non-owners with a 403', async () => {
      const res = await post({
        ...valid(),
        entityRef: 'component:default/checkout-api',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'component:default/checkout-api',
      );
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });

    it('rejects bad waivers with a 400 naming the field, and unknown waivers with 404', async () => {
      const past = await post({ ...valid(), expiresAt: '2020-01-01' });
      expect(past.status).toBe(400);
      expect(past.body.error.message).toContain(
        'expiresAt: must be in the future',
      );
      const far = await post({ ...valid(), expiresAt: '2099-12-31' });
      expect(far.status).toBe(400);
      expect(far.body.error.message).toContain(
        'expiresAt: must be at most 366 days ahead',
      );
      for (const badDate of [
        '2027-02-31',
        '+275760-09-13T00:00:00.000Z',
        'next tuesday',
        20270101,
      ]) {
        const bad = await post({ ...valid(), expiresAt: badDate });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toContain('expiresAt');
      }
      const created = await post(valid());
      expect(created.status).toBe(201);
      for (const version of [0, 1.5, 1e12, -1]) {
        const patch = await request(app)
          .patch(`/v1/waivers/${created.body.id}`)
          .set('Authorization', USER)
          .send({ reason: 'Changed', version });
        expect(patch.status).toBe(400);
        expect(patch.body.error.message).toContain('version');
      }
      const farPatch = await request(app)
        .patch(`/v1/waivers/${created.body.id}`)
        .set('Authorization', USER)
        .send({ expiresAt: '3000-01-01', version: 1 });
      expect(farPatch.status).toBe(400);
      expect(farPatch.body.error.message).toContain('expiresAt');
      const noReason = await post({ ...valid(), reason: '' });
      expect(noReason.body.error.message).toContain('reason');
      const check = await post({ ...valid(), checkId: 'nope' });
      expect(check.status).toBe(400);
      expect(check.body.error.message).toContain(
        "checkId: scorecard 'prod' has no check 'nope'",
      );
      const entity = await post({
        ...valid(),
        entityRef: 'component:default/nope',
      });
      expect(entity.status).toBe(400);
      expect(entity.body.error.message).toContain('entityRef');
      expect((await get('/v1/waivers/not-a-uuid')).status).toBe(400);
      expect(
        (await get('/v1/waivers/6a1b8f5e-1111-4222-8333-444455556666')).status,
      ).toBe(404);
      const del = await request(app)
        .delete('/v1/waivers/6a1b8f5e-1111-4222-8333-444455556666?version=1')
        .set('Authorization', USER);
      expect(del.status).toBe(404);
    });
  });

  describe('promoted checks', () => {
    const post = (body: object, auth = USER) =>
      request(app).post('/v1/promotions').set('Authorization', auth).send(body);
    const runbook = { scorecardId: 'prod', checkId: 'runbook' };
    const prodCard = async () =>
      (await get('/v1/definitions')).body.scorecards.find(
        (c: { id: string }) => c.id === 'prod',
      );
    const runbookCheck = async () =>
      (await prodCard()).checks.find((c: { id: string }) => c.id === 'runbook');

    it('makes a check required at the lowest level: the definitions show it with its origin, and the next evaluation scores by it', async () => {
      await evaluator.evaluateAll();
      // The ledger has an owner and no runbook: bronze, as the runbook is a silver check.
      expect((await resultOf('component:default/ledger')).levelId).toBe(
        'bronze',
      );

      const res = await post({
        checks: [runbook],
        origin: { kind: 'campaign', id: 'c-1', title: 'Runbooks everywhere' },
      });
      expect(res.status).toBe(201);
      expect(res.body.promotions).toEqual([
        expect.objectContaining({
          ...runbook,
          levelId: 'bronze',
          configuredLevel: 'silver',
          origin: { kind: 'campaign', id: 'c-1', title: 'Runbooks everywhere' },
          createdBy: 'user:default/guest',
          version: 1,
          applied: true,
        }),
      ]);
      expect(definitionsChanged).toHaveBeenCalledTimes(1);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'scorecards-check-promote',
          meta: expect.objectContaining({ checks: 'prod/runbook' }),
        }),
      );

      expect(await runbookCheck()).toMatchObject({
        level: 'bronze',
        promotion: {
          id: res.body.promotions[0].id,
          configuredLevel: 'silver',
          origin: { kind: 'campaign', title: 'Runbooks everywhere' },
          promotedBy: 'user:default/guest',
          version: 1,
        },
      });
      const one = await get('/v1/definitions/prod');
      expect(
        one.body.checks.find((c: { id: string }) => c.id === 'runbook').level,
      ).toBe('bronze');
      // The configured definitions are not changed: the other checks stay where they were.
      expect(
        (await prodCard()).checks.find((c: { id: string }) => c.id === 'owner'),
      ).not.toHaveProperty('promotion');

      await evaluator.evaluateAll();
      expect((await resultOf('component:default/ledger')).levelId).toBeNull();
      expect((await resultOf('component:default/payments-api')).levelId).toBe(
        'bronze',
      );
      const summary = await get('/v1/summary?scorecardId=prod');
      expect(summary.status).toBe(200);

      const listed = await get('/v1/promotions');
      expect(listed.body.promotions).toHaveLength(1);
    });

    it('answers a repeated promotion to the same level unchanged (200), and another level with a 409', async () => {
      const first = await post({ checks: [runbook] });
      expect(first.status).toBe(201);
      const again = await post({ checks: [{ ...runbook, levelId: 'bronze' }] });
      expect(again.status).toBe(200);
      expect(again.body.promotions[0].id).toBe(first.body.promotions[0].id);
      expect(definitionsChanged).toHaveBeenCalledTimes(1);
      const other = await post({ checks: [{ ...runbook, levelId: 'silver' }] });
      expect(other.status).toBe(409);
      expect(other.body.error.message).toMatch(
        /already required at level 'bronze'.*withdraw that promotion first/,
      );
    });

    it('refuses bad input with a 400 and unknown scorecards or checks with a 404, writing nothing', async () => {
      const cases: Array<[object, number, RegExp]> = [
        [{}, 400, /checks/],
        [{ checks: [] }, 400, /checks/],
        [{ checks: [{ scorecardId: 'prod' }] }, 400, /checkId/],
        [{ checks: [runbook], extra: 1 }, 400, /extra/],
        [
          { checks: [{ ...runbook, levelId: 'platinum' }] },
          400,
          /'platinum' is not a level of 'prod' \(levels: bronze, silver\)/,
        ],
        [
          { checks: [runbook, runbook] },
          400,
          /'prod\/runbook' is listed twice/,
        ],
        [
          { checks: [{ scorecardId: 'nope', checkId: 'runbook' }] },
          404,
          /No scorecard with id 'nope'/,
        ],
        [
          { checks: [{ scorecardId: 'prod', checkId: 'nope' }] },
          404,
          /Scorecard 'prod' has no check 'nope'/,
        ],
      ];
      for (const [body, status, message] of cases) {
        const res = await post(body);
        expect({ body, status: res.status }).toEqual({ body, status });
        expect(res.body.error.message).toMatch(message);
      }
      expect((await get('/v1/promotions')).body.promotions).toEqual([]);
      expect(await runbookCheck()).toMatchObject({ level: 'silver' });
    });

    it('is refused to a service principal and to a person the policy refuses (403)', async () => {
      expect((await post({ checks: [runbook] }, SERVICE)).status).toBe(403);
      definitionsAllowed = false;
      const refused = await post({ checks: [runbook] });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /scorecards\.definition\.update/,
      );
      expect(await runbookCheck()).toMatchObject({ level: 'silver' });
    });

    it('withdraws a promotion with its current version only; the check goes back to its configured level', async () => {
      const created = await post({ checks: [runbook] });
      const id = created.body.promotions[0].id;
      const del = (url: string, auth = USER) =>
        request(app).delete(url).set('Authorization', auth);
      expect((await del(`/v1/promotions/${id}`)).status).toBe(400);
      expect((await del(`/v1/promotions/not-a-uuid?version=1`)).status).toBe(
        400,
      );
      expect(
        (await del(`/v1/promotions/${id}?version=1`, SERVICE)).status,
      ).toBe(403);
      expect((await del(`/v1/promotions/${id}?version=2`)).status).toBe(409);
      expect(
        (
          await del(
            '/v1/promotions/6a1b8f5e-1111-4222-8333-444455556666?version=1',
          )
        ).status,
      ).toBe(404);
      expect((await del(`/v1/promotions/${id}?version=1`)).status).toBe(204);
      expect((await del(`/v1/promotions/${id}?version=2`)).status).toBe(409);
      expect(await runbookCheck()).toMatchObject({ level: 'silver' });
      expect(await runbookCheck()).not.toHaveProperty('promotion');
      const all = await get('/v1/promotions?includeWithdrawn=true');
      expect(all.body.promotions).toEqual([
        expect.objectContaining({
          id,
          withdrawnBy: 'user:default/guest',
          version: 2,
          applied: false,
        }),
      ]);
    });
  });
});
