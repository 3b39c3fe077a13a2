import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  exampleCatalogConfig,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import {
  DORA_INGESTED_TOPIC,
  DoraIngestedPayload,
} from '@vitals/plugin-dora-common';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import doraPlugin from './index';
import { githubExamples } from './webhooks/__testUtils__/githubExamples';

jest.setTimeout(120_000);

const USER = mockCredentials.user.header('user:default/guest');
const CI = mockCredentials.service.header();

/** Hands the tests the events service, as the GitHub events module would publish through it. */
let events: EventsService;
const eventsCapture = createBackendModule({
  pluginId: 'dora',
  moduleId: 'test-events',
  register(env) {
    env.registerInit({
      deps: { service: eventsServiceRef },
      async init({ service }) {
        events = service;
      },
    });
  },
});

/** What another plugin hears: a module of the catalog plugin subscribed to the DORA topic, recording every payload. */
const published: DoraIngestedPayload[] = [];
const ingestedRecorder = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dora-ingested-recorder',
  register(env) {
    env.registerInit({
      deps: { service: eventsServiceRef },
      async init({ service }) {
        await service.subscribe({
          id: 'dora-ingested-recorder',
          topics: [DORA_INGESTED_TOPIC],
          onEvent: async ({ eventPayload }) => {
            published.push(eventPayload as DoraIngestedPayload);
          },
        });
      },
    });
  },
});

describe('doraPlugin with the real catalog', () => {
  let backend: TestBackend;
  // The mock scheduler runs no task with an initial delay on its own; the tests trigger them.
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        doraPlugin,
        eventsCapture,
        ingestedRecorder,
        catalogPlugin,
        // The real events service (test backends get a per-plugin mock by default), kept in-process: the recorder in
        // the catalog plugin hears what the dora plugin publishes only through it.
        eventsServiceFactory,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            vitals: { demo: { enabled: true } },
            events: { useEventBus: 'never' },
            dora: { webhooks: { pagerduty: { secret: 'pd-secret' } } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  beforeEach(() => {
    published.length = 0;
  });

  const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const metricsOf = async (entityRef: string) => {
    const res = await request(backend.server)
      .get(
        `/api/dora/v1/metrics?entityRef=${entityRef}&from=${from.toISOString()}&to=${to.toISOString()}`,
      )
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('seeds a year of demo history that lands the example services in different tiers', async () => {
    await scheduler.triggerTask('dora-demo-seed');
    // Other plugins heard of the demo history like of any other write.
    const seededChanges = published.flatMap(p => p.changes);
    const seededDeployments = published.flatMap(p => p.deployments);
    expect(seededChanges.length).toBeGreaterThan(100);
    expect(seededChanges.every(c => c.author && c.sha)).toBe(true);
    expect(new Set(seededDeployments.map(d => d.environment))).toEqual(
      new Set(['production']),
    );
    expect(seededDeployments.map(d => d.entityRef)).toContain(
      'component:default/payments-api',
    );
    const payments = await metricsOf('component:default/payments-api');
    const storefront = await metricsOf('component:default/storefront-web');
    const fraud = await metricsOf('component:default/fraud-detector');
    const recommendations = await metricsOf(
      'component:default/recommendations',
    );
    expect(payments.deploymentFrequency.tier).toBe('elite');
    expect(storefront.deploymentFrequency.tier).toBe('elite');
    expect(storefront.leadTimeForChanges.tier).toBe('elite');
    // Payments deploys as often, but its pull requests wait over a day for their first review: its lead time is high.
    expect(payments.leadTimeForChanges.tier).toBe('high');
    // DORA 2024: some deployments are rework (flagged, or hotfixes of open incidents), most are not.
    const engineering = await metricsOf('group:default/engineering');
    expect(engineering.reworkRate.reworkDeployments).toBeGreaterThan(0);
    expect(engineering.reworkRate.rate).toBeLessThan(0.2);
    expect(fraud.deploymentFrequency.tier).toBe('medium');
    expect(fraud.leadTimeForChanges.tier).toBe('medium');
    expect(recommendations.leadTimeForChanges.tier).toBe('low');
    // The seeding happens once.
    const before = await metricsOf('group:default/engineering');
    await scheduler.triggerTask('dora-demo-seed');
    expect(await metricsOf('group:default/engineering')).toEqual(before);
    expect(before.entityRefs).toEqual(
      expect.arrayContaining([
        'component:default/payments-api',
        'component:default/legacy-reporting',
      ]),
    );
    expect(before.deploymentFrequency.deployments).toBeGreaterThan(
      payments.deploymentFrequency.deployments,
    );
  });

  it("serves the flow org page from the figures its scheduled refresh keeps for the Flow page's windows", async () => {
    // The Flow page's 90 days: whole UTC days up to the end of today.
    const end = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;
    const window = {
      from: new Date(end - 90 * 86_400_000).toISOString(),
      to: new Date(end).toISOString(),
    };
    await scheduler.triggerTask('dora-flow-team-figures');
    const asked = Date.now();
    const res = await request(backend.server)
      .get('/api/dora/v1/flow/teams')
      .query({ ...window, type: 'team' })
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    expect(res.body.teams.length).toBeGreaterThan(1);
    for (const team of res.body.teams) {
      // Computed by the refresh, before the request.
      expect(Date.parse(team.computedAt)).toBeLessThan(asked);
      const own = await request(backend.server)
        .get('/api/dora/v1/flow')
        .query({ ...window, entityRef: team.entityRef })
        .set('Authorization', USER);
      expect([team.entityRef, team.pullRequests, team.parts]).toEqual([
        team.entityRef,
        own.body.pullRequests,
        own.body.parts,
      ]);
    }
  });

  it('ingests events from CI for catalog entities and rejects unknown ones', async () => {
    const ok = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({
        events: [
          {
            type: 'deployment',
            id: 'plugin-test-1',
            entityRef: 'component:default/promo-engine',
            environment: 'prod',
            status: 'success',
            finishedAt: new Date().toISOString(),
            commitShas: [],
          },
        ],
      });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ accepted: 1 });
    const unknown = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({
        events: [
          {
            type: 'incident',
            id: 'i',
            entityRef: 'component:default/not-in-catalog',
            createdAt: new Date().toISOString(),
          },
        ],
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('events[0].entityRef');
  });

  it('publishes, after a write through POST /v1/events, the authored changes and successful production deployments', async () => {
    const finishedAt = '2026-01-06T10:00:00.000Z';
    const deploy = (id: string, environment: string, status = 'success') => ({
      type: 'deployment',
      id,
      entityRef: 'component:default/checkout-api',
      environment,
      status,
      finishedAt,
      commitShas: ['c0ffee', 'c0ffee', 'beef'],
    });
    const res = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({
        events: [
          {
            type: 'change',
            id: 'publish-1',
            entityRef: 'component:default/checkout-api',
            sha: 'c0ffee',
            authoredAt: '2026-01-06T08:00:00Z',
            author: 'someone-else',
          },
          // The later of two events with the same id wins, here too.
          {
            type: 'change',
            id: 'publish-1',
            entityRef: 'component:default/checkout-api',
            sha: 'c0ffee',
            authoredAt: '2026-01-06T08:00:00Z',
            mergedAt: '2026-01-06T09:00:00+01:00',
            author: 'jane.doe',
          },
          {
            type: 'change',
            id: 'publish-2',
            entityRef: 'component:default/checkout-api',
            sha: 'beef',
            authoredAt: '2026-01-06T08:00:00Z',
          },
          deploy('publish-prod', 'PROD'),
          deploy('publish-staging', 'staging'),
          deploy('publish-failed', 'production', 'failure'),
          {
            type: 'incident',
            id: 'publish-incident',
            entityRef: 'component:default/checkout-api',
            createdAt: '2026-01-06T11:00:00Z',
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(published).toEqual([
      {
        changes: [
          {
            id: 'publish-1',
            entityRef: 'component:default/checkout-api',
            sha: 'c0ffee',
            author: 'jane.doe',
            authoredAt: '2026-01-06T08:00:00.000Z',
            mergedAt: '2026-01-06T08:00:00.000Z',
          },
        ],
        deployments: [
          {
            id: 'publish-prod',
            entityRef: 'component:default/checkout-api',
            environment: 'PROD',
            finishedAt,
            commitShas: ['c0ffee', 'beef'],
          },
        ],
      },
    ]);
    // A rejected write publishes nothing.
    const rejected = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({
        events: [
          deploy('publish-bad', 'production'),
          { type: 'deployment', id: 'x' },
        ],
      });
    expect(rejected.status).toBe(400);
    expect(published).toHaveLength(1);
  });

  it('counts a GitHub deployment_status published through the events service for the repository’s entity', async () => {
    const before = await metricsOf('component:default/payments-api');
    const payload = githubExamples('deployment_status').find(
      p => p.deployment_status.state === 'success',
    );
    const yesterday = new Date(to.getTime() - 12 * 3_600_000).toISOString();
    payload.repository.full_name = 'example-corp/payments-api';
    payload.deployment.created_at = yesterday;
    payload.deployment_status.created_at = yesterday;
    await events.publish({
      topic: 'github.deployment_status',
      eventPayload: payload,
      metadata: { 'x-github-event': 'deployment_status' },
    });
    const after = await metricsOf('component:default/payments-api');
    expect(after.deploymentFrequency.deployments).toBe(
      before.deploymentFrequency.deployments + 1,
    );
    // The webhook's write is published like any other.
    expect(published).toEqual([
      {
        changes: [],
        deployments: [
          expect.objectContaining({
            id: `github:example-corp/payments-api:deployment:${payload.deployment.id}`,
            entityRef: 'component:default/payments-api',
            environment: 'production',
            commitShas: [payload.deployment.sha],
          }),
        ],
      },
    ]);
    // Published again (GitHub retries): still one deployment.
    await events.publish({
      topic: 'github.deployment_status',
      eventPayload: payload,
    });
    expect(
      (await metricsOf('component:default/payments-api')).deploymentFrequency
        .deployments,
    ).toBe(after.deploymentFrequency.deployments);
  });

  it('takes PagerDuty webhooks without a Backstage token but only when signed', async () => {
    const unsigned = await request(backend.server)
      .post('/api/dora/v1/webhooks/pagerduty')
      .set('Content-Type', 'application/json')
      .send({ event: { event_type: 'incident.triggered' } });
    expect(unsigned.status).toBe(401);
  });

  it('stores a signed PagerDuty incident and publishes nothing, since subscribers hear only of changes and deployments', async () => {
    const body = JSON.stringify({
      event: {
        id: 'evt-1',
        event_type: 'incident.triggered',
        resource_type: 'incident',
        occurred_at: new Date(to.getTime() - 3_600_000).toISOString(),
        data: {
          id: 'PTEST01',
          type: 'incident',
          html_url: 'https://example-corp.pagerduty.com/incidents/PTEST01',
          created_at: new Date(to.getTime() - 3_600_000).toISOString(),
          status: 'triggered',
          service: { id: 'PPAYAPI', type: 'service_reference' },
          urgency: 'high',
        },
      },
    });
    const res = await request(backend.server)
      .post('/api/dora/v1/webhooks/pagerduty')
      .set('Content-Type', 'application/json')
      .set(
        'X-PagerDuty-Signature',
        `v1=${createHmac('sha256', 'pd-secret').update(body).digest('hex')}`,
      )
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1 });
    expect(published).toEqual([]);
  });
});
