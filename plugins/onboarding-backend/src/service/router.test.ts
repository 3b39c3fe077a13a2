import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  exampleFile,
  loadExampleCatalog,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import { Checklist } from '@vitals/plugin-onboarding-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseOnboardingStore } from '../database/DatabaseOnboardingStore';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { OnboardingService } from './OnboardingService';
import { createRouter } from './router';

jest.setTimeout(120_000);

const databases = vitalsTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');
const LI = mockCredentials.user.header('user:default/li.wei');
const SERVICE = mockCredentials.service.header();

describe.each(databases.eachSupportedId())('createRouter on %s', databaseId => {
  let knex: Knex;
  let app: express.Express;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  /** Whether the permission policy allows the caller to change someone else's onboarding (reset it, start it). */
  let allowReset: boolean;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    const store = await DatabaseOnboardingStore.create({
      database: mockServices.database({ knex }),
    });
    const templates = TemplateRegistry.fromConfig(
      mockServices.rootConfig({
        data: {
          onboarding: {
            templates: [{ target: exampleFile('onboarding.yaml') }],
          },
        },
      }),
      {},
    );
    await templates.refresh();
    const service = new OnboardingService({
      store,
      templates,
      catalog: catalogServiceMock({ entities: loadExampleCatalog() }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      stalledAfterDays: 14,
    });
    auditor = mockServices.auditor.mock();
    allowReset = false;
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async (requests: unknown[]) =>
        requests.map(() => ({
          result: allowReset ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        })),
      ) as any,
    });
    const router = await createRouter({
      service,
      store,
      templates,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      auditor,
      logger: mockServices.logger.mock(),
      // Every response these tests provoke must match the spec's exact response schemas.
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

  const get = (url: string, auth = GUEST) =>
    request(app).get(url).set('Authorization', auth);
  const tick = (
    checklistId: string,
    stepId: string,
    body: unknown,
    auth = GUEST,
  ) =>
    request(app)
      .put(
        `/v1/me/checklists/${encodeURIComponent(checklistId)}/steps/${stepId}`,
      )
      .set('Authorization', auth)
      .send(body as object);
  const step = (checklist: Checklist, id: string) =>
    checklist.steps.find(s => s.id === id)!;
  /** Opening My onboarding: the caller starts (or brings up to date) their own checklists. */
  const start = (auth = GUEST, body: object = {}) =>
    request(app)
      .post('/v1/me/checklists')
      .set('Authorization', auth)
      .send(body);

  it('requires a principal on every route', async () => {
    for (const url of [
      '/v1/me/checklists',
      '/v1/report',
      '/v1/templates',
      '/v1/history',
      '/v1/teams/report?groupRef=payments',
    ]) {
      expect((await request(app).get(url)).status).toBe(401);
    }
    expect(
      (
        await request(app)
          .put('/v1/me/checklists/payments-team/steps/read-runbook')
          .send({ done: true })
      ).status,
    ).toBe(401);
  });

  describe('my checklists', () => {
    it('reads the caller’s checklists without starting them; starting is a POST, and refuses services', async () => {
      const before = await get('/v1/me/checklists');
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        userRef: 'user:default/guest',
        started: false,
        checklists: [],
      });
      expect((await get('/v1/report')).body.teams).toEqual([]);

      const started = await start();
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({
        userRef: 'user:default/guest',
        started: true,
      });
      expect(started.body.checklists).toHaveLength(5);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'onboarding-start' }),
      );
      const mine = await get('/v1/me/checklists');
      expect(mine.body).toEqual(started.body);
      // Starting again changes no start.
      expect(
        (await start()).body.checklists.map((c: Checklist) => c.startedAt),
      ).toEqual(mine.body.checklists.map((c: Checklist) => c.startedAt));

      for (const res of [
        await get('/v1/me/checklists', SERVICE),
        await start(SERVICE),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain(
          "does not allow 'service' credentials",
        );
      }
    });

    it('ticks and unticks a manual step idempotently, audited, with history', async () => {
      await start();
      const first = await tick('payments-team', 'read-runbook', { done: true });
      expect(first.status).toBe(200);
      expect(step(first.body, 'read-runbook')).toMatchObject({
        done: true,
        completedBy: 'user',
      });
      expect(
        (await tick('payments-team', 'read-runbook', { done: true })).status,
      ).toBe(200);
      const undone = await tick('payments-team', 'read-runbook', {
        done: false,
      });
      expect(step(undone.body, 'read-runbook').done).toBe(false);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'onboarding-step-set' }),
      );

      const history = await get('/v1/history?userRef=guest');
      expect(
        history.body.items
          .filter((i: { stepId: string }) => i.stepId === 'read-runbook')
          .map((i: { done: boolean; by: string }) => [i.done, i.by]),
      ).toEqual([
        [false, 'user'],
        [true, 'user'],
      ]);
    });

    it('answers 400 naming the field, 404 for unknown checklists and steps, 400 for automatic steps', async () => {
      await start();
      const badBody = await tick('payments-team', 'read-runbook', {
        done: 'yes',
      });
      expect(badBody.status).toBe(400);
      // The spec refuses it before the handler runs, naming the field.
      expect(badBody.body.error.message).toContain(
        'request/body/done must be boolean',
      );
      const badStep = await tick('payments-team', 'Read_Runbook', {
        done: true,
      });
      expect(badStep.status).toBe(400);
      expect(badStep.body.error.message).toContain('stepId');
      expect(
        (await tick('no-such-template', 'read-runbook', { done: true })).status,
      ).toBe(404);
      const unknownStep = await tick('payments-team', 'no-such-step', {
        done: true,
      });
      expect(unknownStep.status).toBe(404);
      expect(unknownStep.body.error.message).toContain(
        "no step 'no-such-step'",
      );
      const automatic = await tick('payments-team', 'payments-group', {
        done: true,
      });
      expect(automatic.status).toBe(400);
      expect(automatic.body.error.message).toContain('group-membership');
    });

    it('never lets a person tick another person’s steps', async () => {
      await start();
      await start(LI);
      // Li (Storefront) has no Payments checklist: /me is always the caller, so the guest's stays untouched.
      expect(
        (await tick('payments-team', 'read-runbook', { done: true }, LI))
          .status,
      ).toBe(404);
      const guest = await get('/v1/users/user:default%2Fguest/checklists', LI);
      expect(
        step(
          guest.body.checklists.find(
            (c: Checklist) => c.id === 'payments-team',
          ),
          'read-runbook',
        ).done,
      ).toBe(false);
    });

    it('completes docs-visit steps from a reported visit, and validates the visit', async () => {
      await start();
      const bad = await request(app)
        .post('/v1/me/visits')
        .set('Authorization', GUEST)
        .send({ entityRef: 'payments-api', kind: 'docs' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('entityRef');
      const badKind = await request(app)
        .post('/v1/me/visits')
        .set('Authorization', GUEST)
        .send({ entityRef: 'component:default/payments-api', kind: 'video' });
      expect(badKind.status).toBe(400);
      expect(badKind.body.error.message).toContain(
        'request/body/kind must be equal to one of the allowed values: docs',
      );
      const ok = await request(app)
        .post('/v1/me/visits')
        .set('Authorization', GUEST)
        .send({ entityRef: 'component:default/payments-api', kind: 'docs' });
      expect(ok.status).toBe(204);
      expect(
        (
          await request(app)
            .post('/v1/me/visits')
            .set('Authorization', SERVICE)
            .send({ entityRef: 'component:default/payments-api', kind: 'docs' })
        ).status,
      ).toBe(403);
      const mine = await get('/v1/me/checklists');
      const payments = mine.body.checklists.find(
        (c: Checklist) => c.id === 'payments-team',
      );
      expect(step(payments, 'payments-api-docs')).toMatchObject({
        done: true,
        completedBy: 'automatic',
        evidence: expect.stringContaining(
          'Opened the docs of component:default/payments-api',
        ),
      });
      const ledger = mine.body.checklists.find(
        (c: Checklist) =>
          c.id === 'service-basics:component:default/ledger-service',
      );
      expect(step(ledger, 'read-docs').done).toBe(false);
    });
  });

  describe('entity checklist', () => {
    it('shows anyone the checklist of a service without starting it, null when no template targets it, 404 for unknown entities', async () => {
      const res = await get(
        '/v1/entity-checklist?entityRef=component:default/payments-api',
        LI,
      );
      expect(res.status).toBe(200);
      expect(res.body.checklist).toMatchObject({
        id: 'service-basics:component:default/payments-api',
        userRef: 'user:default/li.wei',
        entityRef: 'component:default/payments-api',
      });
      expect(res.body.checklist).not.toHaveProperty('startedAt');
      expect((await get('/v1/me/checklists', LI)).body).toMatchObject({
        started: false,
        checklists: [],
      });
      expect(
        (await get('/v1/teams/report?groupRef=payments')).body.members,
      ).toEqual([]);

      // Ticking one of its steps is Li's own doing, and starts it; her team checklists are still hers to start.
      const ticked = await tick(
        'service-basics:component:default/payments-api',
        'clone-and-build',
        { done: true },
        LI,
      );
      expect(ticked.status).toBe(200);
      expect(ticked.body).toMatchObject({
        done: 1,
        startedAt: expect.any(String),
      });
      expect(
        (await get('/v1/me/checklists', LI)).body.checklists.map(
          (c: Checklist) => c.id,
        ),
      ).toEqual(['service-basics:component:default/payments-api']);
      // Starting her team checklists keeps it.
      expect(
        (await start(LI)).body.checklists.map((c: Checklist) => c.id),
      ).toContain('service-basics:component:default/payments-api');

      expect(
        (
          await get(
            '/v1/entity-checklist?entityRef=component:default/ci-pipelines',
          )
        ).body,
      ).toEqual({ checklist: null });
      expect(
        (await get('/v1/entity-checklist?entityRef=component:default/nope'))
          .status,
      ).toBe(404);
      const bad = await get('/v1/entity-checklist');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('entityRef');
    });

    it('starts an entity’s checklist on request', async () => {
      const res = await start(LI, {
        entityRef: 'component:default/payments-api',
      });
      expect(res.status).toBe(200);
      expect(res.body.checklists.map((c: Checklist) => c.id)).toEqual([
        'service-basics:component:default/payments-api',
      ]);
      expect(
        (await start(LI, { entityRef: 'component:default/nope' })).status,
      ).toBe(404);
      const bad = await start(LI, { entityRef: 'payments-api' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('entityRef');
    });
  });

  describe('other people', () => {
    it('reads anyone’s checklists without starting them; 404 for unknown users, 400 for refs that are not users', async () => {
      expect((await get('/v1/users/li.wei/checklists')).body).toEqual({
        userRef: 'user:default/li.wei',
        started: false,
        checklists: [],
      });
      expect((await get('/v1/users/li.wei/checklists', SERVICE)).status).toBe(
        200,
      );
      expect((await get('/v1/users/li.wei/checklists')).body.started).toBe(
        false,
      );
      await start(LI);
      expect(
        (await get('/v1/users/li.wei/checklists')).body.checklists.map(
          (c: Checklist) => c.id,
        ),
      ).toContain('engineering-basics');
      expect(
        (await get('/v1/users/user:default%2Fnobody/checklists')).status,
      ).toBe(404);
      const bad = await get(
        '/v1/users/component:default%2Fpayments-api/checklists',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('userRef');
    });

    it('starts a person’s onboarding for themselves, or for an admin; never for services', async () => {
      const startFor = (userRef: string, auth: string) =>
        request(app)
          .post(`/v1/users/${encodeURIComponent(userRef)}/checklists`)
          .set('Authorization', auth)
          .send({});
      const denied = await startFor('user:default/guest', LI);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('onboarding.progress.start');
      expect((await get('/v1/users/guest/checklists')).body.started).toBe(
        false,
      );

      const own = await startFor('li.wei', LI);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        userRef: 'user:default/li.wei',
        started: true,
      });

      allowReset = true;
      // A service is refused whatever the permission says: starting is about people.
      expect((await startFor('user:default/guest', SERVICE)).status).toBe(403);
      expect((await startFor('user:default/nobody', LI)).status).toBe(404);
      const byAdmin = await startFor('user:default/guest', LI);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.checklists).toHaveLength(5);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'onboarding-start',
          meta: expect.objectContaining({
            userRef: 'user:default/guest',
            actor: 'user:default/li.wei',
          }),
        }),
      );
    });

    it('resets progress only with the permission and a user token, recording the reset in the history', async () => {
      await start();
      await tick('payments-team', 'read-runbook', { done: true });
      const denied = await request(app)
        .post('/v1/users/guest/reset')
        .set('Authorization', LI)
        .send({});
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('onboarding.progress.reset');

      allowReset = true;
      // A service token is refused even where the permission framework would allow it (services are trusted there).
      const service = await request(app)
        .post('/v1/users/guest/reset')
        .set('Authorization', SERVICE)
        .send({});
      expect(service.status).toBe(403);
      expect(service.body.error.message).toContain(
        "does not allow 'service' credentials",
      );
      expect(
        (
          await request(app)
            .post('/v1/users/guest/reset')
            .set('Authorization', LI)
            .send({ checklistId: 'nope' })
        ).status,
      ).toBe(404);
      const badBody = await request(app)
        .post('/v1/users/guest/reset')
        .set('Authorization', LI)
        .send({ everything: true });
      expect(badBody.status).toBe(400);
      const ok = await request(app)
        .post('/v1/users/guest/reset')
        .set('Authorization', LI)
        .send({ checklistId: 'payments-team' });
      expect(ok.status).toBe(204);
      const after = await get('/v1/me/checklists');
      const payments = after.body.checklists.find(
        (c: Checklist) => c.id === 'payments-team',
      );
      expect(step(payments, 'read-runbook').done).toBe(false);
      // Membership is still true, so that step completes again from the catalog.
      expect(step(payments, 'payments-group').done).toBe(true);
      const history = await get('/v1/history?userRef=guest&limit=50');
      expect(
        history.body.items.find(
          (i: { by: string; stepId: string }) =>
            i.by === 'reset' && i.stepId === 'read-runbook',
        ),
      ).toMatchObject({ actorRef: 'user:default/li.wei', done: false });
    });
  });

  describe('reports and templates', () => {
    it('validates the history query', async () => {
      const bad = await get('/v1/history?limit=0');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('limit');
      expect(
        (await get('/v1/history?userRef=component:default/x')).status,
      ).toBe(400);
    });

    it.each([
      ['a limit over 1000', '/v1/history?limit=1001', 'limit'],
      ['a fractional limit', '/v1/history?limit=2.5', 'limit'],
      ['an infinite limit', '/v1/history?limit=Infinity', 'limit'],
      ['a negative offset', '/v1/history?offset=-1', 'offset'],
      ['an offset over a million', '/v1/history?offset=1e9', 'offset'],
      ['two offsets', '/v1/history?offset=1&offset=2', 'offset'],
      [
        'a user ref too long to store',
        `/v1/history?userRef=${'u'.repeat(300)}`,
        'request/query/userRef must NOT have more than 255 characters',
      ],
      [
        'a user ref too long to store once normalised',
        `/v1/history?userRef=${'u'.repeat(250)}`,
        'userRef: must be at most 255 characters',
      ],
      [
        'a user path too long to store',
        `/v1/users/${'u'.repeat(300)}/checklists`,
        'request/params/userRef must NOT have more than 255 characters',
      ],
      [
        'a user path too long to store once normalised',
        `/v1/users/${'u'.repeat(250)}/checklists`,
        'userRef: must be at most 255 characters',
      ],
      [
        'an entity ref too long for a checklist id',
        `/v1/entity-checklist?entityRef=component:default/${'x'.repeat(330)}`,
        'request/query/entityRef must NOT have more than 336 characters',
      ],
      [
        'an entity ref with a NUL',
        '/v1/entity-checklist?entityRef=component:default/pay%00ments',
        'request/query/entityRef must match pattern',
      ],
    ])(
      'answers a GET with %s with a 400 naming the field',
      async (_what, url, field) => {
        const res = await get(url);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      },
    );

    it.each([
      [
        'a visit of an entity ref too long to store',
        'POST',
        '/v1/me/visits',
        { entityRef: `component:default/${'x'.repeat(395)}`, kind: 'docs' },
        'request/body/entityRef must NOT have more than 400 characters',
      ],
      [
        'a visit of an entity ref with a NUL',
        'POST',
        '/v1/me/visits',
        { entityRef: 'component:default/pay\u0000ments', kind: 'docs' },
        'request/body/entityRef must match pattern',
      ],
      [
        'a start with a number for an entity',
        'POST',
        '/v1/me/checklists',
        { entityRef: 42 },
        'entityRef',
      ],
      [
        'a start for a user ref too long to store',
        'POST',
        `/v1/users/${'u'.repeat(300)}/checklists`,
        {},
        'request/params/userRef must NOT have more than 255 characters',
      ],
      [
        'a start for a user ref too long to store once normalised',
        'POST',
        `/v1/users/${'u'.repeat(250)}/checklists`,
        {},
        'userRef: must be at most 255 characters',
      ],
      [
        'a tick of a checklist id with a NUL',
        'PUT',
        '/v1/me/checklists/payments-team:pay%00ments/steps/read-runbook',
        { done: true },
        'checklistId',
      ],
      [
        'a tick of a checklist id too long to store',
        'PUT',
        `/v1/me/checklists/${'a'.repeat(401)}/steps/read-runbook`,
        { done: true },
        'checklistId',
      ],
      [
        'a reset of a checklist id too long to store',
        'POST',
        '/v1/users/guest/reset',
        { checklistId: 'x'.repeat(401) },
        'checklistId',
      ],
    ])(
      'answers %s with a 400 naming the field, never a database error',
      async (_what, method, url, body, field) => {
        allowReset = true;
        const req =
          method === 'PUT' ? request(app).put(url) : request(app).post(url);
        const res = await req.set('Authorization', GUEST).send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      },
    );

    it('reports a team with its child teams, 404 for unknown groups, 400 without a group', async () => {
      await start();
      await start(LI);
      const payments = await get(
        '/v1/teams/report?groupRef=group:default/payments',
      );
      expect(payments.status).toBe(200);
      expect(payments.body).toMatchObject({
        groupRef: 'group:default/payments',
        title: 'Payments',
        onboarding: 1,
        completed: 0,
        stalled: 0,
      });
      expect(
        payments.body.members.map((m: { userRef: string }) => m.userRef),
      ).toEqual(['user:default/guest']);
      const engineering = await get('/v1/teams/report?groupRef=engineering');
      expect(
        engineering.body.members
          .map((m: { userRef: string }) => m.userRef)
          .sort(),
      ).toEqual(['user:default/guest', 'user:default/li.wei']);
      expect(
        (await get('/v1/teams/report?groupRef=group:default/nope')).status,
      ).toBe(404);
      const bad = await get('/v1/teams/report');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('groupRef');
    });

    it('reports the org by team and lists templates', async () => {
      await start();
      const report = await get('/v1/report');
      expect(report.body).toMatchObject({
        stalledAfterDays: 14,
        teams: [{ groupRef: 'group:default/payments', onboarding: 1 }],
      });
      expect(report.body.cohorts).toEqual([
        {
          cohort: new Date().toISOString().slice(0, 7),
          people: 1,
          medianDaysToFirstChange: null,
          medianDaysToFirstDeploy: null,
        },
      ]);
      expect((await get('/v1/report?team=x')).status).toBe(400);
      const templates = await get('/v1/templates');
      expect(
        templates.body.templates.find(
          (t: { id: string }) => t.id === 'payments-team',
        ),
      ).toMatchObject({
        steps: 6,
        targets: { groups: ['group:default/payments'] },
      });
    });
  });
});
