import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import Ajv from 'ajv';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { spec } from '../schema/openapi';
import { refreshPipelineFigures } from './pipelines';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const USER = mockCredentials.user.header('user:default/guest');
const SERVICE = mockCredentials.service.header();

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const group = (
  name: string,
  children: string[] = [],
  owns: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  // As the catalog relates them: parentOf its child groups, ownerOf what it owns.
  relations: [
    ...children.map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
    ...owns.map(o => ({
      type: 'ownerOf',
      targetRef: `component:default/${o}`,
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
];
/** The guest may not send events for checkout-api (the policy of the test); services may. */
const DENIED = new Set(['component:default/checkout-api']);

const run = (
  id: string,
  attempt: number,
  status: string,
  entityRef = 'component:default/payments-api',
  extra: Record<string, unknown> = {},
) => ({
  type: 'pipelineRun',
  id,
  entityRef,
  attempt,
  pipeline: 'CI',
  branch: 'main',
  defaultBranch: 'main',
  sha: `sha-${id}`,
  trigger: 'push',
  status,
  queuedAt: `2026-11-02T1${attempt}:00:00.000Z`,
  startedAt: `2026-11-02T1${attempt}:00:30.000Z`,
  finishedAt: `2026-11-02T1${attempt}:10:30.000Z`,
  ...extra,
});

const WINDOW = 'from=2026-11-01&to=2026-11-08';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'dora', components: spec.components });
/** How a success body differs from the spec's 200 response of the operation (empty when it matches). */
function specMismatches(path: string, body: unknown) {
  const { $ref } = (spec.paths as any)[path].get.responses['200'].content[
    'application/json'
  ].schema;
  const validate = ajv.getSchema(`dora${$ref}`)!;
  return validate(body)
    ? []
    : validate.errors!.map(e => `${path}: ${e.instancePath} ${e.message}`);
}

describe.each(databases.eachSupportedId())(
  'pipeline runs through the router on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;

    const routerWith = async (
      permissions: Parameters<typeof createRouter>[0]['permissions'],
      credentials: BackstageCredentials = mockCredentials.none(),
    ) => {
      const store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      return routerTestApp(
        await createRouter({
          store,
          ingest: new PublishingDoraIngestService({
            store,
            events: mockServices.events(),
            logger: mockServices.logger.mock(),
          }),
          httpAuth: mockServices.httpAuth({ defaultCredentials: credentials }),
          auth: mockServices.auth(),
          permissions,
          catalog: catalogServiceMock({ entities: ENTITIES }),
          auditor: mockServices.auditor.mock(),
          logger: mockServices.logger.mock(),
        }),
      );
    };

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      app = await routerWith(
        mockServices.permissions.mock({
          authorize: jest.fn(
            async (requests: AuthorizePermissionRequest[], options: any) =>
              requests.map(r => ({
                result:
                  options.credentials.principal.type === 'user' &&
                  r.resourceRef &&
                  DENIED.has(r.resourceRef)
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              })),
          ),
        }),
      );
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const post = (events: object[], auth = SERVICE) =>
      request(app)
        .post('/v1/events')
        .set('Authorization', auth)
        .send({ events });
    const stored = async () =>
      (
        await knex('dora_pipeline_runs')
          .select('id', 'attempt', 'entity_ref', 'status', 'received_at')
          .orderBy(['id', 'attempt'])
      ).map(r => ({
        ...r,
        attempt: Number(r.attempt),
        received_at: Number(r.received_at),
      }));

    it('takes pipeline runs from CI next to other events, idempotently', async () => {
      const batch = [
        run('r1', 1, 'failure'),
        run('r1', 2, 'success'),
        run('r2', 1, 'success', 'component:default/ledger-service'),
        {
          type: 'deployment',
          id: 'd-1',
          entityRef: 'component:default/payments-api',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-11-02T13:00:00Z',
          commitShas: ['sha-r1'],
        },
      ];
      const first = await post(batch);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ accepted: 4 });
      const rows = await stored();
      expect(rows.map(r => [r.id, r.attempt, r.status])).toEqual([
        ['r1', 1, 'failure'],
        ['r1', 2, 'success'],
        ['r2', 1, 'success'],
      ]);
      // Sent again: the same rows, untouched.
      const again = await post(batch);
      expect(again.body).toEqual({ accepted: 4 });
      expect(await stored()).toEqual(rows);
    });

    it('refuses a batch as a whole: 400 naming the field, 409 for another entity’s id, 403 without the permission', async () => {
      await post([run('r1', 1, 'success')]);
      const before = await stored();
      const cases: Array<[object, number, string, string?]> = [
        [
          run('new', 1, 'green'),
          400,
          'request/body/events/1/status must be equal to one of the allowed values: queued, in_progress, success, failure, cancelled, skipped',
        ],
        [
          run('new', 0, 'success'),
          400,
          'request/body/events/1/attempt must be >= 1',
        ],
        [
          { ...run('new', 1, 'success'), finishedAt: undefined },
          400,
          'Invalid events: events[1].finishedAt: is required for a run with status success',
        ],
        [
          { ...run('new', 1, 'queued'), startedAt: undefined },
          400,
          'Invalid events: events[1].finishedAt: must be left out while the run is queued',
        ],
        [
          run('new', 1, 'success', 'component:default/nowhere'),
          400,
          "Invalid events: events[1].entityRef: 'component:default/nowhere' is not an entity in the catalog",
        ],
        [
          run('r1', 2, 'success', 'component:default/ledger-service'),
          409,
          "events[1]: the pipelineRun 'r1' belongs to component:default/payments-api",
        ],
        [
          run('new', 1, 'success', 'component:default/checkout-api'),
          403,
          'You may not send delivery events for component:default/checkout-api',
          USER,
        ],
      ];
      for (const [bad, status, message, auth] of cases) {
        const res = await post(
          [run('fresh', 1, 'success', 'component:default/checkout-api'), bad],
          auth,
        );
        expect([res.status, res.body.error?.message]).toEqual([
          status,
          expect.stringContaining(message),
        ]);
      }
      expect(await stored()).toEqual(before);
    });

    it('lets a token restricted to dora.event.create send pipeline runs, and no other token', async () => {
      const permissions = ServerPermissionClient.fromConfig(
        mockServices.rootConfig({ data: { permission: { enabled: true } } }),
        { auth: mockServices.auth(), discovery: mockServices.discovery() },
      );
      const cases: Array<[string, number]> = [
        ['dora.event.create', 200],
        ['catalog.entity.read', 403],
      ];
      for (const [permission, status] of cases) {
        const ci = await routerWith(
          permissions,
          mockCredentials.service('external:ci', {
            permissionNames: [permission],
          }),
        );
        const res = await request(ci)
          .post('/v1/events')
          .send({ events: [run(`ci-${status}`, 1, 'success')] });
        expect(res.status).toBe(status);
      }
      expect((await stored()).map(r => r.id)).toEqual(['ci-200']);
    });

    it('serves the figures of an entity and of a team, and the runs behind them', async () => {
      await post([
        run('r1', 1, 'failure'),
        run('r1', 2, 'success'),
        run('r2', 1, 'failure', 'component:default/ledger-service', {
          pipeline: 'Deploy',
        }),
      ]);
      const team = await request(app)
        .get(`/v1/pipelines?entityRef=group:default/payments&${WINDOW}`)
        .set('Authorization', USER);
      expect(team.status).toBe(200);
      expect(specMismatches('/v1/pipelines', team.body)).toEqual([]);
      expect(team.body).toMatchObject({
        entityRef: 'group:default/payments',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-08T00:00:00.000Z',
        entityRefs: [
          'component:default/ledger-service',
          'component:default/payments-api',
        ],
        figures: {
          runs: 3,
          duration: { runs: 3, medianSeconds: 600, p90Seconds: 600 },
          queue: { runs: 3, medianSeconds: 30 },
          defaultBranchSuccess: { successes: 1, failures: 2, rate: 1 / 3 },
          flakiness: { failures: 2, flakyFailures: 1, rate: 0.5 },
          // r1#1 (finished 11:10:30) went green at r1#2 (12:10:30); r2 is still red.
          timeToGreen: { recoveries: 1, stillRed: 1, medianSeconds: 3600 },
        },
      });
      expect(
        team.body.pipelines.map((p: any) => [p.entityRef, p.pipeline, p.runs]),
      ).toEqual([
        ['component:default/ledger-service', 'Deploy', 1],
        ['component:default/payments-api', 'CI', 2],
      ]);

      const runs = await request(app)
        .get(
          `/v1/pipelines/runs?entityRef=group:default/payments&${WINDOW}&status=failure&flaky=true`,
        )
        .set('Authorization', USER);
      expect(runs.status).toBe(200);
      expect(specMismatches('/v1/pipelines/runs', runs.body)).toEqual([]);
      expect(runs.body.totalCount).toBe(1);
      expect(runs.body.items[0]).toMatchObject({
        id: 'r1',
        attempt: 1,
        flaky: true,
        timeToGreenSeconds: 3600,
      });
      const service = await request(app)
        .get(`/v1/pipelines?entityRef=service:default/nothing&${WINDOW}`)
        .set('Authorization', SERVICE);
      expect([service.status, service.body.figures.runs]).toEqual([200, 0]);
    });

    it('keeps a team’s figures for a window of whole days and serves them until one of its runs changes', async () => {
      const teamUrl = `/v1/pipelines?entityRef=group:default/payments&${WINDOW}`;
      const get = async (url: string) => {
        const res = await request(app).get(url).set('Authorization', USER);
        expect(res.status).toBe(200);
        return res.body;
      };
      const kept = () =>
        knex('dora_pipeline_figures')
          .select('scope_ref', 'window_from', 'window_to', 'figures')
          .orderBy(['scope_ref', 'window_from']);
      /** Marks the kept figures, so that an answer shows whether it came from them. */
      const mark = async (runs: number) =>
        Promise.all(
          (
            (await kept()) as Array<{
              scope_ref: string;
              window_from: string;
              figures: string;
            }>
          ).map(row =>
            knex('dora_pipeline_figures')
              .where({ scope_ref: row.scope_ref, window_from: row.window_from })
              .update({
                figures: JSON.stringify({
                  ...JSON.parse(row.figures),
                  figures: { ...JSON.parse(row.figures).figures, runs },
                }),
              }),
          ),
        );

      await post([run('r1', 1, 'failure')]);
      expect((await get(teamUrl)).figures.runs).toBe(1);
      expect((await kept()).map((r: any) => r.scope_ref)).toEqual([
        'group:default/payments',
      ]);
      // Nothing written since: the kept figures answer.
      await mark(99);
      expect((await get(teamUrl)).figures.runs).toBe(99);
      // The same run sent again changes nothing, so they still hold.
      await post([run('r1', 1, 'failure')]);
      expect((await get(teamUrl)).figures.runs).toBe(99);
      // A new attempt of a run of the team: computed again, exact.
      await post([run('r1', 2, 'success')]);
      const after = await get(teamUrl);
      expect(after.figures).toMatchObject({
        runs: 2,
        flakiness: { failures: 1, flakyFailures: 1, rate: 1 },
      });
      // A run of another team's entity does not touch the payments figures; a run of its child team's entity does.
      await mark(98);
      await post([run('r3', 1, 'success', 'component:default/checkout-api')]);
      expect((await get(teamUrl)).figures.runs).toBe(98);
      await post([run('r2', 1, 'success', 'component:default/ledger-service')]);
      expect((await get(teamUrl)).figures.runs).toBe(3);
      // An entity, or a window that is not whole days, is computed on each request and not kept.
      const rows = (await kept()).length;
      await get(
        `/v1/pipelines?entityRef=group:default/payments&from=2026-11-01T06:00:00Z&to=2026-11-08`,
      );
      await get(
        `/v1/pipelines?entityRef=component:default/payments-api&${WINDOW}`,
      );
      expect((await kept()).length).toBe(rows);
    });

    it('refreshes the kept figures of every team for the Flow page’s windows, as a request would compute them', async () => {
      await post([
        run('r1', 1, 'failure'),
        run('r1', 2, 'success'),
        run('r2', 1, 'failure', 'component:default/ledger-service'),
      ]);
      const store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      const refresh = () =>
        refreshPipelineFigures({
          stores: { runs: store, figures: store.pipelineFigures },
          catalog: catalogServiceMock({ entities: ENTITIES }),
          credentials: mockCredentials.service(),
          now: Date.now(),
          type: 'team',
          leadMs: 0,
        });
      const first = await refresh();
      expect(first).toMatchObject({ groups: 3, windows: 3, computed: 9 });
      // Nothing changed: nothing to compute.
      expect((await refresh()).computed).toBe(0);
      // The kept figures of the 180 days to the end of today are what the request computes without them.
      const to = Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000;
      const from = to - 180 * 86_400_000;
      const url = `/v1/pipelines?entityRef=group:default/payments&from=${new Date(
        from,
      ).toISOString()}&to=${new Date(to).toISOString()}`;
      const served = await request(app).get(url).set('Authorization', USER);
      await knex('dora_pipeline_figures').delete();
      const computed = await request(app).get(url).set('Authorization', USER);
      expect(served.body).toEqual(computed.body);
      expect(served.body.figures.runs).toBe(3);
      // One new run: only the teams that pool its entity are computed again (payments and payments-sre, 3 windows).
      await knex('dora_pipeline_figures').delete();
      await refresh();
      await post([run('r4', 1, 'success', 'component:default/ledger-service')]);
      expect((await refresh()).computed).toBe(6);
    });

    it.each([
      [
        '/v1/pipelines?entityRef=group:default/nobody',
        404,
        "No group 'group:default/nobody' in the catalog",
      ],
      [
        '/v1/pipelines/runs?entityRef=group:default/nobody',
        404,
        "No group 'group:default/nobody' in the catalog",
      ],
      [
        '/v1/pipelines?entityRef=component:default/payments-api&from=2026-11-08&to=2026-11-01',
        400,
        'Invalid query: from: must be before to',
      ],
      [
        '/v1/pipelines/runs?entityRef=component:default/payments-api&limit=1e2',
        400,
        'Invalid query: limit: must be a whole number in decimal digits',
      ],
      [
        '/v1/pipelines/runs?entityRef=component:default/payments-api&status=red',
        400,
        'request/query/status must be equal to one of the allowed values',
      ],
      [
        '/v1/pipelines/runs?entityRef=component:default/payments-api&flaky=maybe',
        400,
        'request/query/flaky must be boolean',
      ],
      [
        '/v1/pipelines?entityRef=component:default/payments-api&pipeline=CI',
        400,
        "Unknown query parameter 'pipeline'",
      ],
      [
        '/v1/pipelines?from=2026-11-01',
        400,
        "must have required property 'entityRef'",
      ],
    ])('answers GET %s with %s', async (url, status, message) => {
      const res = await request(app).get(url).set('Authorization', USER);
      expect([res.status, res.body.error?.message]).toEqual([
        status,
        expect.stringContaining(message),
      ]);
    });

    it('needs a principal to read', async () => {
      const res = await request(app).get(
        '/v1/pipelines?entityRef=component:default/payments-api',
      );
      expect(res.status).toBe(401);
    });
  },
);
