import { SchedulerService, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, TestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import path from 'node:path';
import request from 'supertest';
import doraPlugin from './index';

jest.setTimeout(120_000);

const examples = path.resolve(__dirname, '../../../examples');
const USER = mockCredentials.user.header('user:default/guest');
const CI = mockCredentials.service.header();

async function waitFor(backend: TestBackend, url: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(backend.server).get(url).set('Authorization', USER);
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${url}: ${res.status}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('doraPlugin with the real catalog', () => {
  let backend: TestBackend;
  // The mock scheduler runs no task with an initial delay on its own; the tests trigger them.
  const scheduler = mockServices.scheduler() as SchedulerService & { factory(): ServiceFactory<SchedulerService> };

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        doraPlugin,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Group', 'User', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(examples, 'entities.yaml') },
                { type: 'file', target: path.join(examples, 'org.yaml') },
              ],
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitFor(backend, '/api/catalog/entities/by-name/component/default/payments-api');
    await waitFor(backend, '/api/catalog/entities/by-name/group/default/engineering');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const metricsOf = async (entityRef: string) => {
    const res = await request(backend.server)
      .get(`/api/dora/v1/metrics?entityRef=${entityRef}&from=${from.toISOString()}&to=${to.toISOString()}`)
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('seeds a year of demo history that lands the example services in different tiers', async () => {
    await scheduler.triggerTask('dora-demo-seed');
    const payments = await metricsOf('component:default/payments-api');
    const fraud = await metricsOf('component:default/fraud-detector');
    const recommendations = await metricsOf('component:default/recommendations');
    expect(payments.deploymentFrequency.tier).toBe('elite');
    expect(payments.leadTimeForChanges.tier).toBe('elite');
    expect(fraud.deploymentFrequency.tier).toBe('medium');
    expect(fraud.leadTimeForChanges.tier).toBe('medium');
    expect(recommendations.leadTimeForChanges.tier).toBe('low');
    // The seeding happens once.
    const before = await metricsOf('group:default/engineering');
    await scheduler.triggerTask('dora-demo-seed');
    expect(await metricsOf('group:default/engineering')).toEqual(before);
    expect(before.entityRefs).toEqual(expect.arrayContaining(['component:default/payments-api', 'component:default/legacy-reporting']));
    expect(before.deploymentFrequency.deployments).toBeGreaterThan(payments.deploymentFrequency.deployments);
  });

  it('ingests events from CI for catalog entities and rejects unknown ones', async () => {
    const ok = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({ events: [{ type: 'deployment', id: 'plugin-test-1', entityRef: 'component:default/promo-engine', environment: 'prod', status: 'success', finishedAt: new Date().toISOString(), commitShas: [] }] });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ accepted: 1 });
    const unknown = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', CI)
      .send({ events: [{ type: 'incident', id: 'i', entityRef: 'component:default/not-in-catalog', createdAt: new Date().toISOString() }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('events[0].entityRef');
  });

});
