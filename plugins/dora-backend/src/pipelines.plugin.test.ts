import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  exampleCatalogConfig,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import doraPlugin from './index';
import { workflowRunPayload } from './webhooks/__testUtils__/workflowRunPayload';

jest.setTimeout(180_000);

/**
 * The GitHub module's two features (the router of `github` to `github.<event>` topics, and the webhook ingress with its
 * signature check). The package's default export loads them with a dynamic `import()`, which Jest's VM cannot run
 * without `--experimental-vm-modules`; these are the same files, required directly.
 */
const githubModuleDir = path.dirname(
  require.resolve('@backstage/plugin-events-backend-module-github'),
);
const githubEventsModules = [
  'service/eventsModuleGithubEventRouter.cjs.js',
  'service/eventsModuleGithubWebhook.cjs.js',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
].map(file => require(path.join(githubModuleDir, file)).default);

const USER = mockCredentials.user.header('user:default/guest');
const SECRET = 'gh-webhook-secret';

/**
 * The whole path of a pipeline run in a real backend: the catalog with the example entities, the events backend with
 * Backstage's GitHub module (which checks `X-Hub-Signature-256` and publishes `github.workflow_run`), and DORA.
 */
describe('pipeline runs in a backend with the events backend’s GitHub module', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        doraPlugin,
        catalogPlugin,
        eventsPlugin,
        ...githubEventsModules,
        eventsServiceFactory,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            vitals: { demo: { enabled: true } },
            events: {
              useEventBus: 'never',
              modules: { github: { webhookSecret: SECRET } },
            },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const pipelinesOf = async (entityRef: string) => {
    const res = await request(backend.server)
      .get(
        `/api/dora/v1/pipelines?entityRef=${entityRef}&from=${from.toISOString()}&to=${to.toISOString()}`,
      )
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('seeds a year of runs once: the Payments team’s pipelines are flaky, the others steady', async () => {
    await scheduler.triggerTask('dora-demo-seed');
    const payments = await pipelinesOf('group:default/payments');
    const storefront = await pipelinesOf('group:default/storefront');
    expect(payments.entityRefs).toEqual(
      expect.arrayContaining([
        'component:default/fraud-detector',
        'component:default/ledger-service',
        'component:default/payments-api',
      ]),
    );
    expect(payments.figures.runs).toBeGreaterThan(500);
    expect(payments.figures.flakiness.rate).toBeGreaterThan(0.5);
    expect(storefront.figures.flakiness.rate).toBeLessThan(0.25);
    expect(payments.figures.defaultBranchSuccess.rate).toBeLessThan(
      storefront.figures.defaultBranchSuccess.rate,
    );
    expect(payments.figures.duration.medianSeconds).toBeGreaterThan(
      storefront.figures.duration.medianSeconds,
    );
    expect(
      payments.pipelines.map((p: any) => `${p.entityRef} ${p.pipeline}`),
    ).toEqual([
      'component:default/fraud-detector CI',
      'component:default/fraud-detector Nightly',
      'component:default/ledger-service CI',
      'component:default/ledger-service Nightly',
      'component:default/payments-api CI',
      'component:default/payments-api Nightly',
    ]);
    await scheduler.triggerTask('dora-demo-seed');
    expect(await pipelinesOf('group:default/payments')).toEqual(payments);
  });

  const deliver = (payload: object, signature?: string) => {
    const body = JSON.stringify(payload);
    return request(backend.server)
      .post('/api/events/http/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'workflow_run')
      .set('X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958')
      .set(
        'X-Hub-Signature-256',
        signature ??
          `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      )
      .send(body);
  };
  const webhookRuns = async () => {
    const res = await request(backend.server)
      .get(
        '/api/dora/v1/pipelines/runs?entityRef=component:default/payments-api&from=2026-11-25&to=2026-11-26&pipeline=Webhook%20smoke',
      )
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('stores a signed workflow_run for the repository’s entity, updates it in place and refuses unsigned ones', async () => {
    const at = { workflowName: 'Webhook smoke' } as const;
    const requested = workflowRunPayload({
      ...at,
      action: 'requested',
      status: 'queued',
      conclusion: null,
      updatedAt: '2026-11-25T10:31:05Z',
    });
    const completed = workflowRunPayload({ ...at, conclusion: 'failure' });

    const forged = await deliver(completed, 'sha256=00ff');
    expect(forged.status).toBe(403);
    expect(await webhookRuns()).toEqual({ items: [], totalCount: 0 });

    expect((await deliver(requested)).status).toBe(202);
    expect((await webhookRuns()).items).toEqual([
      expect.objectContaining({
        id: 'github:example-corp/payments-api:run:11823409571',
        attempt: 1,
        status: 'queued',
      }),
    ]);
    expect((await deliver(completed)).status).toBe(202);
    // A redelivery of the completed run, and a late `requested`, change nothing.
    expect((await deliver(completed)).status).toBe(202);
    expect((await deliver(requested)).status).toBe(202);
    const runs = await webhookRuns();
    expect(runs).toEqual({
      items: [
        {
          id: 'github:example-corp/payments-api:run:11823409571',
          attempt: 1,
          entityRef: 'component:default/payments-api',
          pipeline: 'Webhook smoke',
          branch: 'main',
          onDefaultBranch: true,
          sha: '4f1c2a9be0d3a7c61f5e08b2d9c4a1e7b3f60d12',
          trigger: 'push',
          status: 'failure',
          queuedAt: '2026-11-25T10:31:05.000Z',
          startedAt: '2026-11-25T10:31:09.000Z',
          finishedAt: '2026-11-25T10:39:12.000Z',
          url: 'https://github.com/example-corp/payments-api/actions/runs/11823409571',
          durationSeconds: 483,
          queueSeconds: 4,
          flaky: false,
          timeToGreenSeconds: null,
        },
      ],
      totalCount: 1,
    });

    // The re-run of the same commit passes: attempt 2 of the same run, and attempt 1 is now flaky.
    expect(
      (
        await deliver(
          workflowRunPayload({
            ...at,
            runAttempt: 2,
            runStartedAt: '2026-11-25T10:50:00Z',
            updatedAt: '2026-11-25T10:57:30Z',
          }),
        )
      ).status,
    ).toBe(202);
    const after = await webhookRuns();
    expect(
      after.items.map((r: any) => [
        r.attempt,
        r.status,
        r.flaky,
        r.timeToGreenSeconds,
      ]),
    ).toEqual([
      [2, 'success', false, null],
      [1, 'failure', true, 18 * 60 + 18],
    ]);
  });
});
