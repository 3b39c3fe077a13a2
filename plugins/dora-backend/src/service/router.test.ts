import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import Ajv from 'ajv';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { routerTestApp } from '@vitals/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { createRouter } from './router';
import { spec } from '../schema/openapi';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const USER = mockCredentials.user.header('user:default/guest');
const SERVICE = mockCredentials.service.header();

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const group = (name: string, children: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  relations: children.map(c => ({
    type: 'parentOf',
    targetRef: `group:default/${c}`,
  })),
});

const ENTITIES: Entity[] = [
  component('payments-api', 'group:default/payments'),
  component('ledger-service', 'group:default/payments-sre'),
  component('checkout-api', 'group:default/storefront'),
  group('payments', ['payments-sre']),
  group('payments-sre'),
  group('storefront'),
  // Owns an entity that never sent events.
  component('design-system', 'group:default/design'),
  group('design'),
];

const DENIED = new Set(['component:default/checkout-api']);

const deployment = (
  id: string,
  entityRef: string,
  finishedAt: string,
  commitShas: string[] = [],
) => ({
  type: 'deployment',
  id,
  entityRef,
  environment: 'production',
  status: 'success',
  finishedAt,
  commitShas,
});

/** How a success body differs from the spec's 200 response of the operation (empty when it matches). */
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'dora', components: spec.components });
function specMismatches(method: string, path: string, body: unknown) {
  const { $ref } = (spec.paths as any)[path][method].responses['200'].content[
    'application/json'
  ].schema;
  const validate = ajv.getSchema(`dora${$ref}`)!;
  return validate(body)
    ? []
    : validate.errors!.map(
        e =>
          `${method} ${path}: ${e.instancePath} ${e.message} ${JSON.stringify(
            e.params,
          )}`,
      );
}

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let catalog: ReturnType<typeof catalogServiceMock>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    catalog = catalogServiceMock({ entities: ENTITIES });
    const store = await DatabaseDoraStore.create({
      database: mockServices.database({ knex }),
    });
    auditor = mockServices.auditor.mock();
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
      permissions: mockServices.permissions.mock({
        // Like Backstage's permissions service: the policy applies to users, services are allowed.
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
      catalog,
      auditor,
      logger: mockServices.logger.mock(),
    });
    app = routerTestApp(router);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  const post = (events: object[], auth = SERVICE) =>
    request(app).post('/v1/events').set('Authorization', auth).send({ events });
  const count = async (table: string) =>
    Number((await knex(table).count({ n: '*' }))[0].n);

  describe('POST /v1/events', () => {
    it('accepts a batch from CI and answers with the number of distinct events', async () => {
      const res = await post([
        deployment('d-1', 'Component:payments-api', '2026-01-06T10:00:00Z', [
          'abc',
        ]),
        {
          type: 'change',
          id: 'pr-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc',
          authoredAt: '2026-01-06T08:00:00Z',
        },
        {
          type: 'change',
          id: 'pr-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc',
          authoredAt: '2026-01-06T09:00:00Z',
        },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 2 });
      expect(await knex('dora_deployments').pluck('entity_ref')).toEqual([
        'component:default/payments-api',
      ]);
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalled();
    });

    // The spec's rules are answered by the OpenAPI validator (`request/body/events/1/...`), the others by the event
    // schema (`events[1]....`); either way the whole batch is refused and the field named.
    it.each([
      [
        'request/body/events/1/finishedAt must match pattern',
        deployment('d-2', 'component:default/payments-api', 'yesterday'),
      ],
      [
        'request/body/events/1/status must be equal to one of the allowed values: success, failure',
        {
          ...deployment(
            'd-2',
            'component:default/payments-api',
            '2026-01-06T10:00:00Z',
          ),
          status: 'ok',
        },
      ],
      [
        'request/body/events/1/entityRef must match pattern',
        deployment('d-2', 'payments-api', '2026-01-06T10:00:00Z'),
      ],
      [
        'request/body/events/1/commitShas must be array',
        {
          ...deployment(
            'd-2',
            'component:default/payments-api',
            '2026-01-06T10:00:00Z',
          ),
          commitShas: 'abc',
        },
      ],
      [
        'events[1].resolvedAt',
        {
          type: 'incident',
          id: 'i',
          entityRef: 'component:default/payments-api',
          createdAt: '2026-01-06T10:00:00Z',
          resolvedAt: '2026-01-06T09:00:00Z',
        },
      ],
      [
        "request/body/events/1 must have required property 'authoredAt'",
        {
          type: 'change',
          id: 'c',
          entityRef: 'component:default/payments-api',
          sha: 'x',
        },
      ],
      [
        'request/body/events/1 value of tag "type" must be in oneOf',
        { type: 'release', id: 'r' },
      ],
      [
        'request/body/events/1 must NOT have additional properties',
        {
          ...deployment(
            'd-2',
            'component:default/payments-api',
            '2026-01-06T10:00:00Z',
          ),
          extra: 1,
        },
      ],
    ])(
      'rejects the whole batch with 400 naming %s, writing nothing',
      async (field, bad) => {
        const res = await post([
          deployment(
            'd-1',
            'component:default/payments-api',
            '2026-01-06T10:00:00Z',
          ),
          bad,
        ]);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await count('dora_deployments')).toBe(0);
      },
    );

    it('answers a body over 20 MB with 413, writing nothing', async () => {
      const res = await request(app)
        .post('/v1/events')
        .set('Authorization', SERVICE)
        .set('Content-Type', 'application/json')
        .send(`{"events":[],"padding":"${'x'.repeat(21 * 1024 * 1024)}"}`);
      expect(res.status).toBe(413);
      expect(res.body.response).toEqual({ statusCode: 413 });
      expect(await count('dora_deployments')).toBe(0);
    });

    it('treats a batch in the form CI writes (UTC timestamps with milliseconds) as any other: checked against the catalog and the permissions, stored whole', async () => {
      const usual = (id: string, entityRef: string) =>
        deployment(id, entityRef, '2026-01-06T10:00:00.000Z', ['abc']);
      const unknown = await post([
        usual('d-1', 'component:default/payments-api'),
        usual('d-2', 'component:default/nowhere'),
      ]);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain(
        "events[1].entityRef: 'component:default/nowhere' is not an entity in the catalog",
      );
      const denied = await post(
        [usual('d-1', 'component:default/checkout-api')],
        USER,
      );
      expect(denied.status).toBe(403);
      expect(await count('dora_deployments')).toBe(0);

      const res = await post([
        usual('d-1', 'component:default/payments-api'),
        {
          type: 'change',
          id: 'pr-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc',
          mergedAt: '2026-01-06T09:00:00.000Z',
        },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 2 });
      expect(
        await knex('dora_changes').select('id', 'deployment_id', 'deployed_at'),
      ).toEqual([
        {
          id: 'pr-1',
          deployment_id: 'd-1',
          deployed_at: Date.parse('2026-01-06T10:00:00.000Z'),
        },
      ]);
    });

    it('rejects an entity the catalog does not have with 400, naming the event', async () => {
      const res = await post([
        deployment(
          'd-1',
          'component:default/payments-api',
          '2026-01-06T10:00:00Z',
        ),
        deployment('d-2', 'component:default/nowhere', '2026-01-06T10:00:00Z'),
      ]);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        "events[1].entityRef: 'component:default/nowhere' is not an entity in the catalog",
      );
      expect(await count('dora_deployments')).toBe(0);
    });

    it('asks the catalog about an entity once a minute, and about an unknown one every time', async () => {
      const lookups = jest.spyOn(catalog, 'getEntitiesByRefs');
      const batch = (id: string, ref: string) => [
        deployment(id, ref, '2026-01-06T10:00:00Z'),
      ];
      for (const id of ['d-1', 'd-2', 'd-3']) {
        expect(
          (await post(batch(id, 'component:default/payments-api'))).status,
        ).toBe(200);
      }
      expect(lookups).toHaveBeenCalledTimes(1);
      for (const id of ['d-4', 'd-5']) {
        expect(
          (await post(batch(id, 'component:default/nowhere'))).status,
        ).toBe(400);
      }
      expect(lookups).toHaveBeenCalledTimes(3);
      expect(await count('dora_deployments')).toBe(3);
    });

    it('rejects bodies that are not a batch, and batches over 5,000 events', async () => {
      expect(
        (
          await request(app)
            .post('/v1/events')
            .set('Authorization', SERVICE)
            .send({})
        ).status,
      ).toBe(400);
      expect((await post([])).status).toBe(400);
      const tooMany = Array.from({ length: 5001 }, (_, i) =>
        deployment(
          `d-${i}`,
          'component:default/payments-api',
          '2026-01-06T10:00:00Z',
        ),
      );
      const res = await post(tooMany);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('events');
    });

    it('requires a principal, and lets users send events only for entities they may edit', async () => {
      expect(
        (
          await request(app)
            .post('/v1/events')
            .send({
              events: [
                deployment(
                  'd-1',
                  'component:default/payments-api',
                  '2026-01-06T10:00:00Z',
                ),
              ],
            })
        ).status,
      ).toBe(401);
      const denied = await post(
        [
          deployment(
            'd-1',
            'component:default/checkout-api',
            '2026-01-06T10:00:00Z',
          ),
        ],
        USER,
      );
      expect(denied.status).toBe(403);
      expect(await count('dora_deployments')).toBe(0);
      const allowed = await post(
        [
          deployment(
            'd-1',
            'component:default/payments-api',
            '2026-01-06T10:00:00Z',
          ),
        ],
        USER,
      );
      expect(allowed.status).toBe(200);
    });
  });

  describe('event ids are scoped to entities', () => {
    const window = 'from=2026-01-05&to=2026-02-02';
    const deploymentsOf = async (entityRef: string) =>
      (
        await request(app)
          .get(`/v1/deployments?entityRef=${entityRef}&${window}`)
          .set('Authorization', USER)
      ).body.items.map((d: { id: string }) => d.id);

    it('refuses with 409 a re-post that would move another entity’s deployment onto yours, and leaves it where it was', async () => {
      expect(
        (
          await post([
            deployment(
              'sf-1',
              'component:default/checkout-api',
              '2026-01-06T10:00:00Z',
              ['abc'],
            ),
          ])
        ).status,
      ).toBe(200);
      // The owner of payments-api reads checkout-api's deployments and re-posts one of their ids for payments-api.
      const [listed] = (
        await request(app)
          .get(
            `/v1/deployments?entityRef=component:default/checkout-api&${window}`,
          )
          .set('Authorization', USER)
      ).body.items;
      const res = await post(
        [
          deployment(
            'pa-1',
            'component:default/payments-api',
            '2026-01-06T09:00:00Z',
          ),
          deployment(
            listed.id,
            'component:default/payments-api',
            listed.finishedAt,
            ['abc'],
          ),
        ],
        USER,
      );
      expect(res.status).toBe(409);
      expect(res.body.error.name).toBe('ConflictError');
      expect(res.body.error.message).toContain(
        "events[1]: the deployment 'sf-1' belongs to component:default/checkout-api",
      );
      expect(res.body.error.message).toContain(
        'component:default/payments-api',
      );
      expect(await deploymentsOf('component:default/checkout-api')).toEqual([
        'sf-1',
      ]);
      expect(await deploymentsOf('component:default/payments-api')).toEqual([]);
      const audit = await auditor.createEvent.mock.results[1].value;
      expect(audit.fail).toHaveBeenCalled();
      // Its owner re-sending it stays idempotent.
      expect(
        (
          await post([
            deployment(
              'sf-1',
              'component:default/checkout-api',
              '2026-01-06T10:00:00Z',
              ['abc'],
            ),
          ])
        ).status,
      ).toBe(200);
    });

    it('refuses with 409 the id of another entity’s change or incident, too', async () => {
      const change = {
        type: 'change',
        id: 'sf-pr-1',
        entityRef: 'component:default/checkout-api',
        sha: 'abc',
        mergedAt: '2026-01-06T08:00:00Z',
      };
      const incident = {
        type: 'incident',
        id: 'sf-inc-1',
        entityRef: 'component:default/checkout-api',
        createdAt: '2026-01-06T11:00:00Z',
        resolvedAt: '2026-01-06T12:00:00Z',
      };
      expect((await post([change, incident])).status).toBe(200);
      for (const event of [change, incident]) {
        const res = await post(
          [{ ...event, entityRef: 'component:default/payments-api' }],
          USER,
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toContain(
          `'${event.id}' belongs to component:default/checkout-api`,
        );
      }
      expect(await knex('dora_changes').pluck('entity_ref')).toEqual([
        'component:default/checkout-api',
      ]);
      expect(await knex('dora_incidents').pluck('entity_ref')).toEqual([
        'component:default/checkout-api',
      ]);
    });

    it('refuses with 400 an incident naming a deployment of another entity', async () => {
      expect(
        (
          await post([
            deployment(
              'sf-1',
              'component:default/checkout-api',
              '2026-01-06T10:00:00Z',
            ),
          ])
        ).status,
      ).toBe(200);
      const res = await post(
        [
          {
            type: 'incident',
            id: 'pa-inc',
            entityRef: 'component:default/payments-api',
            createdAt: '2026-01-06T11:00:00Z',
            deploymentId: 'sf-1',
          },
        ],
        USER,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        "events[0].deploymentId: 'sf-1' is a deployment of component:default/checkout-api",
      );
      expect(await count('dora_incidents')).toBe(0);
      expect(
        (
          await request(app)
            .get(
              `/v1/deployments?entityRef=component:default/checkout-api&${window}&failed=true`,
            )
            .set('Authorization', USER)
        ).body.totalCount,
      ).toBe(0);
    });
  });

  describe('service principals', () => {
    // The real permissions client of the backend: it decides service principals by their access restrictions.
    const appFor = async (
      credentials: ReturnType<typeof mockCredentials.service>,
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
          permissions: ServerPermissionClient.fromConfig(
            mockServices.rootConfig({
              data: { permission: { enabled: true } },
            }),
            {
              auth: mockServices.auth(),
              discovery: mockServices.discovery(),
            },
          ),
          catalog: catalogServiceMock({ entities: ENTITIES }),
          auditor: mockServices.auditor.mock(),
          logger: mockServices.logger.mock(),
        }),
      );
    };

    it.each([
      [
        'a token restricted to dora.event.create',
        { permissionNames: ['dora.event.create'] },
        200,
      ],
      [
        'a token restricted to create actions',
        { permissionAttributes: { action: ['create' as const] } },
        200,
      ],
      ['an unrestricted token', undefined, 200],
      [
        'a token restricted to another permission',
        { permissionNames: ['catalog.entity.read'] },
        403,
      ],
      [
        'a token restricted to read actions',
        { permissionAttributes: { action: ['read' as const] } },
        403,
      ],
    ])(
      'decides %s by the permission framework (%s)',
      async (_, restrictions, status) => {
        const ciApp = await appFor(
          mockCredentials.service('external:ci', restrictions),
        );
        const res = await request(ciApp)
          .post('/v1/events')
          .send({
            events: [
              deployment(
                'ci-1',
                'component:default/payments-api',
                '2026-01-06T10:00:00Z',
              ),
            ],
          });
        expect(res.status).toBe(status);
        expect(await count('dora_deployments')).toBe(status === 200 ? 1 : 0);
      },
    );
  });

  describe('reads', () => {
    beforeEach(async () => {
      const res = await post([
        deployment(
          'd-a',
          'component:default/payments-api',
          '2026-01-06T10:00:00Z',
          ['abc'],
        ),
        deployment(
          'd-b',
          'component:default/ledger-service',
          '2026-01-06T12:00:00Z',
        ),
        deployment(
          'd-c',
          'component:default/checkout-api',
          '2026-01-07T12:00:00Z',
        ),
        {
          type: 'change',
          id: 'pr-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc',
          authoredAt: '2026-01-06T08:00:00Z',
          createdAt: '2026-01-06T08:30:00Z',
          mergedAt: '2026-01-06T09:00:00Z',
        },
        {
          type: 'incident',
          id: 'i-1',
          entityRef: 'component:default/ledger-service',
          createdAt: '2026-01-06T13:00:00Z',
          resolvedAt: '2026-01-06T13:30:00Z',
        },
      ]);
      if (res.status !== 200) throw new Error(`seeding failed: ${res.text}`);
    });

    const window = 'from=2026-01-05&to=2026-02-02';

    it('serves the metrics of an entity', async () => {
      const res = await request(app)
        .get(`/v1/metrics?entityRef=component:default/payments-api&${window}`)
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/payments-api',
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-02-02T00:00:00.000Z',
        benchmark: '2023',
        entityRefs: ['component:default/payments-api'],
        deploymentFrequency: {
          deployments: 1,
          deploymentDays: 1,
          weeklyMedianDeploymentDays: 0,
          monthlyMedianDeploymentDays: null,
          tier: 'low',
        },
        leadTimeForChanges: { changes: 1, medianMinutes: 120, tier: 'elite' },
        changeFailureRate: {
          deployments: 1,
          failedDeployments: 0,
          rate: 0,
          tier: 'elite',
        },
        timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
        reworkRate: { deployments: 1, reworkDeployments: 0, rate: 0 },
        failedDeploymentRecoveryTime: {
          recoveredDeployments: 0,
          unrecoveredDeployments: 0,
          medianMinutes: null,
          tier: null,
        },
      });
    });

    it('serves DORA 2024: rework rate, failed-deployment recovery time and the 2024 tiers', async () => {
      // d-d (ledger) is the first production deployment after i-1 opened (13:00), before it was resolved (13:30).
      await post([
        {
          ...deployment(
            'd-d',
            'component:default/ledger-service',
            '2026-01-06T13:20:00Z',
          ),
          rework: false,
        },
      ]);
      const res = await request(app)
        .get(
          `/v1/metrics?entityRef=group:default/payments&${window}&benchmark=2024`,
        )
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(res.body.benchmark).toBe('2024');
      expect(res.body.reworkRate).toEqual({
        deployments: 3,
        reworkDeployments: 1,
        rate: 1 / 3,
      });
      // d-b finished 12:00, i-1 resolved 13:30.
      expect(res.body.failedDeploymentRecoveryTime).toEqual({
        recoveredDeployments: 1,
        unrecoveredDeployments: 0,
        medianMinutes: 90,
        tier: 'high',
      });
      // 1 failed of 3: above 2024's 20 %, low (2023 would say low as well).
      expect(res.body.changeFailureRate).toMatchObject({ tier: 'low' });
      const series = await request(app)
        .get(`/v1/series?entityRef=group:default/payments&${window}`)
        .set('Authorization', USER);
      expect(series.body.weeks[0]).toMatchObject({
        deployments: 3,
        reworkDeployments: 1,
        reworkRate: 1 / 3,
        recoveredDeployments: 1,
        medianRecoveryMinutes: 90,
      });

      // The deployments behind the rework rate, and behind the recovery time, each saying why.
      const deployments = (query: string) =>
        request(app)
          .get(
            `/v1/deployments?entityRef=group:default/payments&${window}&${query}`,
          )
          .set('Authorization', USER);
      const rework = await deployments('rework=true');
      expect(rework.status).toBe(200);
      expect(rework.body).toEqual({
        items: [
          expect.objectContaining({
            id: 'd-d',
            rework: true,
            reworkFlagged: false,
            reworkIncidentId: 'i-1',
            failed: false,
            recoveryMinutes: null,
          }),
        ],
        totalCount: 1,
      });
      const failed = await deployments('failed=true');
      expect(failed.body).toEqual({
        items: [
          expect.objectContaining({
            id: 'd-b',
            rework: false,
            reworkIncidentId: null,
            recoveryMinutes: 90,
            recoveredAt: '2026-01-06T13:30:00.000Z',
          }),
        ],
        totalCount: 1,
      });
      expect((await deployments('rework=false')).body.totalCount).toBe(2);
      expect([
        ...specMismatches('get', '/v1/deployments', rework.body),
        ...specMismatches('get', '/v1/deployments', failed.body),
        ...specMismatches('get', '/v1/series', series.body),
      ]).toEqual([]);
      const bad = await deployments('rework=yes');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('rework');
    });

    it('aggregates a group over what it and its child groups own', async () => {
      const res = await request(app)
        .get(
          `/v1/metrics?entityRef=group:default/payments&${window}&benchmark=2021`,
        )
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(res.body.entityRefs).toEqual([
        'component:default/ledger-service',
        'component:default/payments-api',
      ]);
      expect(res.body.deploymentFrequency).toMatchObject({
        deployments: 2,
        deploymentDays: 1,
      });
      expect(res.body.changeFailureRate).toMatchObject({
        deployments: 2,
        failedDeployments: 1,
        rate: 0.5,
        tier: 'low',
      });
      expect(res.body.timeToRestore).toEqual({
        incidents: 1,
        medianMinutes: 30,
        tier: 'elite',
      });
    });

    it('drills down into deployments, changes and incidents, paged', async () => {
      const deployments = await request(app)
        .get(
          `/v1/deployments?entityRef=group:default/payments&${window}&limit=1`,
        )
        .set('Authorization', USER);
      expect(deployments.body.totalCount).toBe(2);
      expect(deployments.body.items).toEqual([
        expect.objectContaining({ id: 'd-b', failed: true, counted: true }),
      ]);
      const failed = await request(app)
        .get(
          `/v1/deployments?entityRef=group:default/payments&${window}&failed=true`,
        )
        .set('Authorization', USER);
      expect(failed.body.items.map((d: { id: string }) => d.id)).toEqual([
        'd-b',
      ]);
      const changes = await request(app)
        .get(`/v1/changes?entityRef=component:default/payments-api&${window}`)
        .set('Authorization', USER);
      expect(changes.body.items[0]).toMatchObject({
        id: 'pr-1',
        codingMinutes: 30,
        mergeMinutes: 30,
        deployMinutes: 60,
        leadTimeMinutes: 120,
      });
      const incidents = await request(app)
        .get(
          `/v1/incidents?entityRef=component:default/ledger-service&deploymentId=d-b`,
        )
        .set('Authorization', USER);
      expect(incidents.body).toEqual({
        items: [
          expect.objectContaining({
            id: 'i-1',
            linkedDeploymentId: 'd-b',
            restoreMinutes: 30,
          }),
        ],
        totalCount: 1,
      });
    });

    it('lists incidents by creation, open ones included, of every entity, and reads one of an entity', async () => {
      await post([
        {
          type: 'incident',
          id: 'i-open',
          entityRef: 'component:default/payments-api',
          createdAt: '2026-01-08T09:00:00Z',
        },
      ]);
      const ids = async (query: string) => {
        const res = await request(app)
          .get(`/v1/incidents?${query}`)
          .set('Authorization', USER);
        expect(res.status).toBe(200);
        return res.body.items.map((i: { id: string }) => i.id);
      };
      // By resolution (the default), the open incident is left out; by creation it is there, newest first.
      expect(await ids(`entityRef=group:default/payments&${window}`)).toEqual([
        'i-1',
      ]);
      expect(
        await ids(`entityRef=group:default/payments&${window}&window=created`),
      ).toEqual(['i-open', 'i-1']);
      // Without an entity: every entity's.
      expect(await ids(`${window}&window=created`)).toEqual(['i-open', 'i-1']);
      expect(await ids('from=2026-01-07&to=2026-01-08&window=created')).toEqual(
        [],
      );

      const one = await request(app)
        .get('/v1/incidents/i-open?entityRef=component:default/payments-api')
        .set('Authorization', USER);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({
        id: 'i-open',
        entityRef: 'component:default/payments-api',
        createdAt: '2026-01-08T09:00:00.000Z',
        resolvedAt: null,
        severity: null,
        url: null,
        deploymentId: null,
        linkedDeploymentId: 'd-a',
        restoreMinutes: null,
      });
      // Ids are scoped to their entity: asked for with another entity, it is not found.
      const other = await request(app)
        .get('/v1/incidents/i-open?entityRef=component:default/ledger-service')
        .set('Authorization', USER);
      expect(other.status).toBe(404);
      expect(other.body.error.message).toBe(
        "component:default/ledger-service has no incident 'i-open'",
      );
      const missing = await request(app)
        .get('/v1/incidents/nope')
        .set('Authorization', USER);
      expect(missing.status).toBe(400);
      expect(
        (
          await request(app)
            .get('/v1/incidents?window=closed')
            .set('Authorization', USER)
        ).status,
      ).toBe(400);
    });

    it('serves a weekly series and data health', async () => {
      const series = await request(app)
        .get(`/v1/series?entityRef=group:default/payments&${window}`)
        .set('Authorization', USER);
      expect(series.status).toBe(200);
      expect(series.body.weeks).toHaveLength(4);
      expect(series.body.weeks[0]).toMatchObject({
        deployments: 2,
        failedDeployments: 1,
        changes: 1,
      });
      const health = await request(app)
        .get('/v1/health')
        .set('Authorization', USER);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        entityRef: null,
        deploymentsWithoutCommits: { count: 2 },
        changesNeverDeployed: { count: 0 },
        incidentsWithoutDeployment: { count: 0 },
        entitiesNotInCatalog: [],
      });
    });

    it('answers every read with a body the spec describes exactly (every field, no other)', async () => {
      const reads: Array<[string, string]> = [
        ['/v1/metrics', `entityRef=group:default/payments&${window}`],
        ['/v1/teams', `${window}&type=team`],
        ['/v1/series', `entityRef=group:default/payments&${window}`],
        ['/v1/deployments', `entityRef=group:default/payments&${window}`],
        ['/v1/changes', `entityRef=component:default/payments-api&${window}`],
        [
          '/v1/incidents',
          'entityRef=component:default/ledger-service&deploymentId=d-b',
        ],
        ['/v1/activity', 'entityRef=group:default/payments'],
        ['/v1/health', ''],
        ['/v1/health', 'entityRef=group:default/payments'],
      ];
      const mismatches = [];
      for (const [path, query] of reads) {
        const res = await request(app)
          .get(`${path}?${query}`)
          .set('Authorization', USER);
        expect([path, res.status]).toEqual([path, 200]);
        mismatches.push(...specMismatches('get', path, res.body));
      }
      const posted = await post([
        deployment(
          'd-z',
          'component:default/payments-api',
          '2026-01-08T10:00:00Z',
        ),
      ]);
      mismatches.push(...specMismatches('post', '/v1/events', posted.body));
      expect(mismatches).toEqual([]);
    });

    it('says whether an entity, or what a group owns, ever sent events', async () => {
      const payments = await request(app)
        .get('/v1/activity?entityRef=component:default/payments-api')
        .set('Authorization', USER);
      expect(payments.status).toBe(200);
      expect(payments.body).toEqual({
        entityRef: 'component:default/payments-api',
        entityRefs: ['component:default/payments-api'],
        hasEvents: true,
        firstEventAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        lastEventAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      const team = await request(app)
        .get('/v1/activity?entityRef=group:default/payments')
        .set('Authorization', USER);
      expect(team.body).toMatchObject({
        hasEvents: true,
        entityRefs: [
          'component:default/ledger-service',
          'component:default/payments-api',
        ],
      });
      const quiet = await request(app)
        .get('/v1/activity?entityRef=component:default/design-system')
        .set('Authorization', USER);
      expect(quiet.body).toEqual({
        entityRef: 'component:default/design-system',
        entityRefs: ['component:default/design-system'],
        hasEvents: false,
        firstEventAt: null,
        lastEventAt: null,
      });
      expect(
        (
          await request(app)
            .get('/v1/activity?entityRef=group:default/design')
            .set('Authorization', USER)
        ).body.hasEvents,
      ).toBe(false);
      expect(
        (
          await request(app)
            .get('/v1/activity?entityRef=design-system')
            .set('Authorization', USER)
        ).status,
      ).toBe(400);
      expect(
        (
          await request(app)
            .get('/v1/activity?entityRef=group:default/ghosts')
            .set('Authorization', USER)
        ).status,
      ).toBe(404);
      expect(
        (
          await request(app).get(
            '/v1/activity?entityRef=component:default/payments-api',
          )
        ).status,
      ).toBe(401);
    });

    it.each([
      ['/v1/metrics?entityRef=nope', 'entityRef'],
      [
        '/v1/metrics?entityRef=component:default/payments-api&from=2026-02-01&to=2026-01-01',
        'from: must be before to',
      ],
      [
        '/v1/metrics?entityRef=component:default/payments-api&from=last-week',
        'from',
      ],
      [
        '/v1/metrics?entityRef=component:default/payments-api&benchmark=2019',
        'benchmark',
      ],
      [
        '/v1/metrics?entityRef=component:default/payments-api&from=2020-01-01&to=2026-01-01',
        'at most',
      ],
      [
        '/v1/deployments?entityRef=component:default/payments-api&limit=0',
        'limit',
      ],
      [
        '/v1/deployments?entityRef=component:default/payments-api&failed=maybe',
        'failed',
      ],
      // The validator reads 1e2 as the integer 100; the handler holds the query to decimal digits.
      [
        '/v1/changes?entityRef=component:default/payments-api&limit=1e2',
        'limit: must be a whole number in decimal digits',
      ],
      [
        '/v1/incidents?entityRef=component:default/payments-api&offset=0x10',
        'offset: must be a whole number in decimal digits',
      ],
      [
        '/v1/series?entityRef=component:default/payments-api&color=red',
        'color',
      ],
    ])('answers %s with 400 naming %s', async (url, field) => {
      const res = await request(app).get(url).set('Authorization', USER);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('answers 404 for a group the catalog does not have and 401 without a principal', async () => {
      const res = await request(app)
        .get(`/v1/metrics?entityRef=group:default/ghosts`)
        .set('Authorization', USER);
      expect(res.status).toBe(404);
      expect(
        (
          await request(app).get(
            `/v1/metrics?entityRef=component:default/payments-api`,
          )
        ).status,
      ).toBe(401);
      expect((await request(app).get(`/v1/health`)).status).toBe(401);
    });
  });
});

const allDatabases = vitalsTestDatabases();

describe.each(allDatabases.eachSupportedId())(
  'bad input and internal errors on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;

    beforeEach(async () => {
      knex = await allDatabases.init(databaseId);
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
      });
      app = routerTestApp(router);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const post = (events: object[]) =>
      request(app)
        .post('/v1/events')
        .set('Authorization', SERVICE)
        .send({ events });

    it('answers lead-time parts beyond any column (authored in year 1, merged in 9999) with 400 naming the fields', async () => {
      const change = {
        type: 'change',
        id: 'c-1',
        entityRef: 'component:default/payments-api',
        sha: 'abc',
        authoredAt: '0001-01-01T00:00:00Z',
        createdAt: '0001-01-02T00:00:00Z',
        mergedAt: '9999-01-01T00:00:00Z',
      };
      const late = deployment(
        'd-1',
        'component:default/payments-api',
        '9999-02-01T00:00:00Z',
        ['abc'],
      );
      // Years outside 1970-2099 break the spec's pattern: the validator names the first such field.
      const named = [
        [[change, late], 'request/body/events/0/authoredAt must match pattern'],
        [
          [{ ...change, authoredAt: undefined, createdAt: undefined }],
          'request/body/events/0/mergedAt must match pattern',
        ],
        [[late], 'request/body/events/0/finishedAt must match pattern'],
        // In the pattern's years but outside the range by its zone: the event schema names every such field.
        [
          [
            {
              ...change,
              authoredAt: '1970-01-01T00:00:00+01:00',
              createdAt: '1970-01-01T00:30:00Z',
              mergedAt: '2099-12-31T23:59:59-01:00',
            },
          ],
          "events[0].authoredAt: '1970-01-01T00:00:00+01:00' must be from 1970-01-01 and before 2100-01-01; events[0].mergedAt",
        ],
      ] as const;
      for (const [events, field] of named) {
        const res = await post([...events]);
        expect([res.status, res.body.error.name]).toEqual([400, 'InputError']);
        expect(res.body.error.message).toContain(field);
      }
      expect(await knex('dora_changes').count({ n: '*' })).toEqual([
        { n: databaseId === 'SQLITE_3' ? 0 : '0' },
      ]);
    });

    it.each([
      [
        'from',
        '/v1/metrics?entityRef=component:default/payments-api&from=0001-01-01&to=0001-02-01',
      ],
      [
        'to',
        '/v1/deployments?entityRef=component:default/payments-api&from=2099-12-01&to=2100-01-02',
      ],
      [
        'offset',
        '/v1/changes?entityRef=component:default/payments-api&offset=99999999999',
      ],
    ])(
      'answers a window or page out of bounds with 400 naming %s',
      async (field, url) => {
        const res = await request(app).get(url).set('Authorization', USER);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      },
    );

    it('never answers with SQL text: a database failure is a bare 500 with a log id', async () => {
      await knex.schema.dropTable('dora_deployment_commits');
      const write = await post([
        deployment(
          'd-1',
          'component:default/payments-api',
          '2026-01-06T10:00:00Z',
          ['abc'],
        ),
      ]);
      await knex.schema.dropTable('dora_changes');
      const read = await request(app)
        .get('/v1/changes?entityRef=component:default/payments-api')
        .set('Authorization', USER);
      for (const res of [write, read]) {
        expect(res.status).toBe(500);
        expect(res.body.error.message).toMatch(
          /^An internal error occurred in the dora backend \(logId=[0-9a-f]+\)$/,
        );
        expect(JSON.stringify(res.body)).not.toMatch(/select|insert|dora_/i);
      }
    });
  },
);

describe('the OpenAPI spec, enforced before any handler runs', () => {
  // Every dependency a handler would touch is a spy: a request the spec refuses must reach none of them, not even the
  // check of its credentials (so an anonymous request that breaks the spec gets 400, not 401).
  const store = new Proxy({} as Record<string, jest.Mock>, {
    get: (target, name: string) => (target[name] ??= jest.fn()),
  });
  const ingest = { ingest: jest.fn() };
  const httpAuth = mockServices.httpAuth.mock();
  const catalog = catalogServiceMock.mock();
  let app: express.Express;

  beforeAll(async () => {
    app = routerTestApp(
      await createRouter({
        store: store as unknown as DatabaseDoraStore,
        ingest,
        httpAuth,
        auth: mockServices.auth(),
        permissions: mockServices.permissions.mock(),
        catalog,
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      }),
    );
  });

  const valid = deployment(
    'd-1',
    'component:default/payments-api',
    '2026-01-06T10:00:00Z',
  );
  const ref = 'entityRef=component:default/payments-api';

  it.each([
    [
      'an out-of-bound query',
      `/v1/deployments?${ref}&limit=5000`,
      'request/query/limit must be <= 1000',
    ],
    [
      'a query of the wrong type',
      `/v1/incidents?${ref}&offset=first`,
      'request/query/offset must be integer',
    ],
    [
      'a value outside an enum',
      `/v1/metrics?${ref}&benchmark=2019`,
      'request/query/benchmark must be equal to one of the allowed values: 2023, 2021, 2024',
    ],
    [
      'an unknown query parameter',
      `/v1/series?${ref}&color=red`,
      "Unknown query parameter 'color'",
    ],
    [
      'a missing required parameter',
      '/v1/activity',
      "request/query must have required property 'entityRef'",
    ],
    [
      'a window bound of the wrong form',
      `/v1/changes?${ref}&from=last-week`,
      'request/query/from must match pattern',
    ],
  ])('answers %s with 400 naming it: GET %s', async (_, url, message) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(httpAuth.credentials).not.toHaveBeenCalled();
    expect(Object.values(store).flatMap(fn => fn.mock.calls)).toEqual([]);
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });

  it.each([
    [
      'a body of the wrong type',
      { events: 'all' },
      'request/body/events must be array',
    ],
    [
      'a property the spec forbids',
      { events: [valid], dryRun: true },
      'request/body must NOT have additional properties',
    ],
    [
      'an event property the spec forbids',
      { events: [valid, { ...valid, id: 'd-2', commit: 'abc' }] },
      'request/body/events/1 must NOT have additional properties',
    ],
    [
      'an event field of the wrong type',
      { events: [{ ...valid, commitShas: 'abc' }] },
      'request/body/events/0/commitShas must be array',
    ],
    [
      'a rework flag that is not a boolean',
      { events: [{ ...valid, rework: 'yes' }] },
      'request/body/events/0/rework must be boolean',
    ],
    [
      'an empty batch',
      { events: [] },
      'request/body/events must NOT have fewer than 1 items',
    ],
    [
      'an id longer than the spec allows, though not once trimmed, in an event otherwise in the usual form',
      {
        events: [
          {
            ...valid,
            finishedAt: '2026-01-06T10:00:00.000Z',
            id: ` ${'d'.repeat(200)} `,
          },
        ],
      },
      'request/body/events/0/id must NOT have more than 200 characters',
    ],
  ])(
    'answers %s with 400 naming it: POST /v1/events',
    async (_, body, message) => {
      const res = await request(app).post('/v1/events').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(httpAuth.credentials).not.toHaveBeenCalled();
      expect(ingest.ingest).not.toHaveBeenCalled();
      expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
    },
  );

  it('answers a query parameter on a batch in the usual form with 400 naming it', async () => {
    const res = await request(app)
      .post('/v1/events?dryRun=true')
      .send({ events: [{ ...valid, finishedAt: '2026-01-06T10:00:00.000Z' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "Unknown query parameter 'dryRun'",
    );
    expect(ingest.ingest).not.toHaveBeenCalled();
  });

  it('serves the spec at /openapi.json', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.info.title).toBe('dora');
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths).sort(),
    );
  });
});
