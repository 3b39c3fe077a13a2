import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  exampleCatalogConfig,
  exampleFile,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import { NextActionsResponse } from '@vitals/plugin-scorecards-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import request from 'supertest';
import {
  scorecardsModuleCatalogFacts,
  scorecardsModuleTechDebtFacts,
  scorecardsPlugin,
} from './index';

jest.setTimeout(120_000);

const USER = mockCredentials.user.header('user:default/guest');

describe('GET /api/scorecards/v1/next-actions in a backend with the real catalog and tech-debt plugins', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        // Ownership and onboarding are not installed: the list must come without them, saying so.
        scorecardsPlugin,
        scorecardsModuleCatalogFacts,
        scorecardsModuleTechDebtFacts,
        techDebtPlugin,
        catalogPlugin,
        scheduler.factory(),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            scorecards: { definitionFiles: [exampleFile('scorecards.yaml')] },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
    await scheduler.triggerTask('tech-debt-demo-seed');
    await scheduler.triggerTask('scorecards-evaluate');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', USER);

  it('ranks Payments’ debt items and failing checks in one list, with links, and names the missing areas', async () => {
    const res = await get(
      '/api/scorecards/v1/next-actions?team=group:default/payments&limit=100',
    );
    expect(res.status).toBe(200);
    const body = res.body as NextActionsResponse;
    expect(body.team).toBe('group:default/payments');
    expect(body.entities).toBeGreaterThan(0);

    const kinds = new Set(body.actions.map(a => a.kind));
    expect(kinds).toEqual(new Set(['tech-debt', 'scorecard-check']));
    expect(body.actions.map(a => a.rank)).toEqual(
      body.actions.map((_, i) => i + 1),
    );
    const scores = body.actions.map(a => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Every debt item of the list is an open item of one of the team's entities, as the tech-debt API says.
    const debt = body.actions.filter(a => a.kind === 'tech-debt');
    const items = await get(
      `/api/tech-debt/v1/items?owner=group:default/payments&status=open,planned,in_progress&limit=1000`,
    );
    expect(debt.length).toBe(items.body.totalCount);
    expect(debt[0].link).toMatch(
      /^\/catalog\/default\/component\/[^/]+\/tech-debt$/,
    );

    expect(body.sources.map(s => [s.source, s.available])).toEqual([
      ['scorecards', true],
      ['tech-debt', true],
      ['ownership', false],
      ['onboarding', false],
    ]);
  });

  it('answers an unknown group with a 404 and a user ref with a 400 naming team', async () => {
    expect(
      (await get('/api/scorecards/v1/next-actions?team=group:default/nope'))
        .status,
    ).toBe(404);
    const bad = await get(
      '/api/scorecards/v1/next-actions?team=user:default/guest',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/team/);
  });
});
