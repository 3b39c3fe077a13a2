import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  exampleCatalogConfig,
  exampleEntityRefs,
  exampleFile,
} from './examples';
import {
  catalogEntityPath,
  inMemoryDatabase,
  mockScheduler,
  serverUrl,
  waitForCatalogEntities,
  waitForExampleCatalog,
  waitForOk,
} from './testBackend';

jest.setTimeout(90_000);

const GUEST = mockCredentials.user.header('user:default/guest');

async function listen(
  app: express.Express,
  host?: string,
): Promise<http.Server> {
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, host, resolve));
  return server;
}

const close = (server: http.Server) =>
  new Promise<void>(resolve => server.close(() => resolve()));

describe('the example catalog files', () => {
  it('configures the catalog with the example files, which exist, and fresh objects each time', () => {
    const config = exampleCatalogConfig();
    expect(config.rules).toEqual([
      { allow: ['Component', 'System', 'Group', 'User', 'Location'] },
    ]);
    expect(config.locations.map(l => l.type)).toEqual(['file', 'file']);
    for (const location of config.locations) {
      expect(fs.existsSync(location.target)).toBe(true);
    }
    config.rules[0].allow.push('API');
    expect(exampleCatalogConfig().rules[0].allow).not.toContain('API');
    expect(fs.existsSync(exampleFile('onboarding.yaml'))).toBe(true);
  });

  it('lists the refs of the example services, teams and people, once each', () => {
    const refs = exampleEntityRefs();
    expect(refs).toEqual(
      expect.arrayContaining([
        'system:default/payments',
        'component:default/payments-api',
        'group:default/payments',
        'user:default/guest',
      ]),
    );
    expect(new Set(refs).size).toBe(refs.length);
  });
});

describe('catalogEntityPath', () => {
  it('gives the by-name path, with the default namespace and encoded parts', () => {
    expect(catalogEntityPath('component:default/payments-api')).toBe(
      '/api/catalog/entities/by-name/component/default/payments-api',
    );
    expect(catalogEntityPath('user:guest')).toBe(
      '/api/catalog/entities/by-name/user/default/guest',
    );
    expect(catalogEntityPath('group:team a/x#y')).toBe(
      '/api/catalog/entities/by-name/group/team%20a/x%23y',
    );
  });
});

describe('serverUrl', () => {
  it('names the loopback address a server listens on, and localhost for a wildcard one', async () => {
    const loopback = await listen(express(), '127.0.0.1');
    const wildcard = await listen(express());
    try {
      expect(serverUrl(loopback)).toBe(
        `http://127.0.0.1:${(loopback.address() as AddressInfo).port}`,
      );
      expect(serverUrl(wildcard)).toBe(
        `http://localhost:${(wildcard.address() as AddressInfo).port}`,
      );
    } finally {
      await close(loopback);
      await close(wildcard);
    }
  });

  it('refuses a server that does not listen', () => {
    expect(() => serverUrl(http.createServer())).toThrow('does not listen');
  });
});

describe('waitForOk', () => {
  let server: http.Server;
  let calls: Array<string | undefined>;
  let readyAfter: number;

  beforeEach(async () => {
    calls = [];
    readyAfter = 2;
    const app = express();
    app.get('/ready', (req, res) => {
      calls.push(req.headers.authorization);
      if (calls.length <= readyAfter) {
        res.status(503).json({ error: { message: 'still starting' } });
      } else {
        res.json({ ready: true });
      }
    });
    server = await listen(app, '127.0.0.1');
  });

  afterEach(async () => {
    await close(server);
  });

  it('asks again until the answer is 200, with the authorization given, and returns the body', async () => {
    const body = await waitForOk(server, '/ready', {
      authorization: 'Bearer abc',
      intervalMs: 10,
    });
    expect(body).toEqual({ ready: true });
    expect(calls).toEqual(['Bearer abc', 'Bearer abc', 'Bearer abc']);
  });

  it('gives up after the timeout, naming the last status and body', async () => {
    readyAfter = Infinity;
    await expect(
      waitForOk(server, '/ready', { timeoutMs: 200, intervalMs: 20 }),
    ).rejects.toThrow(
      /Timed out waiting for \/ready: last answer 503 .*still starting/,
    );
    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]).toBeUndefined();
  });

  it('shares one timeout among several catalog entities', async () => {
    const app = express();
    const asked: string[] = [];
    app.get(
      '/api/catalog/entities/by-name/:kind/:namespace/:name',
      (req, res) => {
        asked.push(req.params.name);
        res.status(req.params.name === 'missing' ? 404 : 200).json({});
      },
    );
    const catalog = await listen(app, '127.0.0.1');
    try {
      const started = Date.now();
      await expect(
        waitForCatalogEntities(
          catalog,
          ['component:default/here', 'component:default/missing'],
          { timeoutMs: 300, intervalMs: 20 },
        ),
      ).rejects.toThrow(
        '/api/catalog/entities/by-name/component/default/missing: last answer 404',
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(asked[0]).toBe('here');
    } finally {
      await close(catalog);
    }
  });
});

describe('a test backend with the example catalog', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();
  const runs: string[] = [];

  /** A plugin with one task that waits a minute after start, as the Vitals plugins' demo seeds do. */
  const delayedTaskPlugin = createBackendPlugin({
    pluginId: 'delayed',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler: pluginScheduler }) {
          await pluginScheduler.scheduleTask({
            id: 'delayed-task',
            frequency: { hours: 1 },
            timeout: { minutes: 1 },
            initialDelay: { minutes: 1 },
            fn: async () => {
              runs.push('delayed-task');
            },
          });
        },
      });
    },
  });

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        delayedTaskPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves every example entity once waitForExampleCatalog returns', async () => {
    await waitForExampleCatalog(backend.server, { authorization: GUEST });
    const res = await fetch(
      `${serverUrl(backend.server)}/api/catalog/entities/by-refs`,
      {
        method: 'POST',
        headers: { Authorization: GUEST, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entityRefs: exampleEntityRefs() }),
      },
    );
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: Array<{ metadata: { name: string } } | null>;
    };
    expect(items).toHaveLength(exampleEntityRefs().length);
    expect(items.every(item => item !== null)).toBe(true);
    expect(
      await waitForOk(backend.server, catalogEntityPath('user:default/guest'), {
        authorization: GUEST,
      }),
    ).toMatchObject({
      kind: 'User',
      metadata: { name: 'guest' },
    });
  });

  it('runs a delayed task only when the test triggers it', async () => {
    expect(runs).toEqual([]);
    await scheduler.triggerTask('delayed-task');
    expect(runs).toEqual(['delayed-task']);
  });
});
