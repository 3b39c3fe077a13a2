import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  exampleCatalogConfig,
  exampleFile,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import {
  DORA_INGESTED_TOPIC,
  DoraIngestedPayload,
} from '@vitals/plugin-dora-common';
import { Checklist, MyOnboarding } from '@vitals/plugin-onboarding-common';
import request from 'supertest';
import onboardingPlugin from './index';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_TEMPLATES_SCHEDULE,
  DEMO_SEED_TASK_ID,
  readStalledAfterDays,
  readTemplatesSchedule,
  TEMPLATES_SYNC_TASK_ID,
  TEMPLATES_TASK_ID,
} from './plugin';

jest.setTimeout(120_000);

const header = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const GUEST = header('guest');
const SERVICE = mockCredentials.service.header();

/** Hands the tests the real events service of the test backend, as DORA publishes through it. */
let events: EventsService;
const eventsCapture = createBackendModule({
  pluginId: 'onboarding',
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

const step = (checklist: Checklist | undefined, id: string) =>
  checklist?.steps.find(s => s.id === id);

describe('onboardingPlugin with the real catalog and events service', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        onboardingPlugin,
        eventsCapture,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            onboarding: {
              templates: [{ target: exampleFile('onboarding.yaml') }],
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: GUEST });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('loads the example templates without problems', async () => {
    const res = await request(backend.server)
      .get('/api/onboarding/v1/templates')
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([]);
    expect(res.body.templates.map((t: { id: string }) => t.id).sort()).toEqual([
      'engineering-basics',
      'payments-team',
      'service-basics',
    ]);
  });

  it('re-reads the templates on one replica at a time, and every replica picks up the stored set', async () => {
    const tasks = await scheduler.getScheduledTasks();
    expect(tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: TEMPLATES_TASK_ID, scope: 'global' }),
        expect.objectContaining({ id: TEMPLATES_SYNC_TASK_ID, scope: 'local' }),
      ]),
    );
  });

  it('starts nothing on a read: the guest has no checklist until they open My onboarding', async () => {
    const res = await request(backend.server)
      .get('/api/onboarding/v1/me/checklists')
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userRef: 'user:default/guest',
      started: false,
      checklists: [],
    });
  });

  it('gives the guest (Payments) the engineering, Payments and one per-service checklist, fresh', async () => {
    const res = await request(backend.server)
      .post('/api/onboarding/v1/me/checklists')
      .set('Authorization', GUEST)
      .send({});
    expect(res.status).toBe(200);
    const body = res.body as MyOnboarding;
    expect(body.checklists.map(c => c.id)).toEqual([
      'engineering-basics',
      'payments-team',
      'service-basics:component:default/fraud-detector',
      'service-basics:component:default/ledger-service',
      'service-basics:component:default/payments-api',
    ]);
    const engineering = body.checklists[0];
    expect(engineering).toMatchObject({
      groupRef: 'group:default/payments',
      stalled: false,
      total: 6,
    });
    // Membership steps complete from the catalog; nothing the guest has to do is ticked.
    expect(step(engineering, 'in-a-team')).toMatchObject({
      done: true,
      completedBy: 'automatic',
    });
    expect(step(body.checklists[1], 'payments-group')).toMatchObject({
      done: true,
    });
    expect(
      body.checklists
        .flatMap(c => c.steps)
        .filter(s => s.kind === 'manual' && s.done),
    ).toEqual([]);
    expect(step(engineering, 'first-change-merged')).toMatchObject({
      done: false,
      howItCompletes: expect.stringContaining(
        'a change you authored is merged',
      ),
    });
  });

  it('lets the guest tick a manual step, which survives a reload, and refuses automatic ones', async () => {
    const tick = await request(backend.server)
      .put('/api/onboarding/v1/me/checklists/payments-team/steps/read-runbook')
      .set('Authorization', GUEST)
      .send({ done: true });
    expect(tick.status).toBe(200);
    expect(step(tick.body, 'read-runbook')).toMatchObject({
      done: true,
      completedBy: 'user',
    });

    const reload = await request(backend.server)
      .get('/api/onboarding/v1/me/checklists')
      .set('Authorization', GUEST);
    const payments = (reload.body as MyOnboarding).checklists.find(
      c => c.id === 'payments-team',
    );
    expect(step(payments, 'read-runbook')?.done).toBe(true);
    expect(payments?.done).toBe(2);

    const automatic = await request(backend.server)
      .put(
        '/api/onboarding/v1/me/checklists/payments-team/steps/first-payments-change',
      )
      .set('Authorization', GUEST)
      .send({ done: true });
    expect(automatic.status).toBe(400);
    expect(automatic.body.error.message).toContain('first-change-merged');
  });

  it('completes first-change steps from DORA events published on the events service, once', async () => {
    const payload: DoraIngestedPayload = {
      changes: [
        {
          id: 'pr-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc1234def',
          author: 'guest',
          mergedAt: '2026-10-03T10:00:00Z',
        },
      ],
      deployments: [
        {
          id: 'dep-1',
          entityRef: 'component:default/payments-api',
          environment: 'production',
          finishedAt: '2026-10-03T12:00:00Z',
          commitShas: ['abc1234def'],
        },
      ],
    };
    await events.publish({ topic: DORA_INGESTED_TOPIC, eventPayload: payload });
    const res = await request(backend.server)
      .get('/api/onboarding/v1/me/checklists')
      .set('Authorization', GUEST);
    const checklists = (res.body as MyOnboarding).checklists;
    const service = checklists.find(
      c => c.id === 'service-basics:component:default/payments-api',
    );
    expect(step(service, 'first-change')).toMatchObject({
      done: true,
      completedBy: 'automatic',
      completedAt: '2026-10-03T10:00:00.000Z',
      evidence:
        'Change abc1234 merged in component:default/payments-api on 3 Oct 2026',
    });
    expect(step(service, 'first-deploy')).toMatchObject({
      done: true,
      completedAt: '2026-10-03T12:00:00.000Z',
    });
    // The change is in payments-api, not in the ledger.
    expect(
      step(
        checklists.find(
          c => c.id === 'service-basics:component:default/ledger-service',
        ),
        'first-change',
      )?.done,
    ).toBe(false);

    const history = await request(backend.server)
      .get('/api/onboarding/v1/history?userRef=guest&limit=100')
      .set('Authorization', GUEST);
    const automaticEntries = history.body.items.filter(
      (i: { by: string }) => i.by === 'automatic',
    );

    await events.publish({ topic: DORA_INGESTED_TOPIC, eventPayload: payload });
    const again = await request(backend.server)
      .get('/api/onboarding/v1/history?userRef=guest&limit=100')
      .set('Authorization', GUEST);
    expect(again.body.totalCount).toBe(history.body.totalCount);
    expect(
      again.body.items.filter((i: { by: string }) => i.by === 'automatic'),
    ).toEqual(automaticEntries);
  });

  it('answers services with 403 on /me routes and on writes about people, and lets them read a person’s checklists', async () => {
    const me = await request(backend.server)
      .get('/api/onboarding/v1/me/checklists')
      .set('Authorization', SERVICE);
    expect(me.status).toBe(403);
    expect(me.body.error.message).toContain(
      "does not allow 'service' credentials",
    );
    const reset = await request(backend.server)
      .post('/api/onboarding/v1/users/user:default%2Fguest/reset')
      .set('Authorization', SERVICE)
      .send({});
    expect(reset.status).toBe(403);
    const user = await request(backend.server)
      .get('/api/onboarding/v1/users/user:default%2Fguest/checklists')
      .set('Authorization', SERVICE);
    expect(user.status).toBe(200);
    expect(user.body.checklists).toHaveLength(5);
  });

  it('seeds demo engineers at different stages, with the guest left alone', async () => {
    await scheduler.triggerTask(DEMO_SEED_TASK_ID);
    const report = await request(backend.server)
      .get('/api/onboarding/v1/report')
      .set('Authorization', GUEST);
    expect(report.status).toBe(200);
    const teams = Object.fromEntries(
      report.body.teams.map((t: { groupRef: string }) => [t.groupRef, t]),
    );
    expect(teams['group:default/data']).toMatchObject({
      onboarding: 1,
      stalled: 1,
    });
    expect(teams['group:default/storefront']).toMatchObject({ onboarding: 2 });
    const payments = await request(backend.server)
      .get('/api/onboarding/v1/teams/report?groupRef=group:default/payments')
      .set('Authorization', GUEST);
    expect(
      payments.body.members.map((m: { userRef: string }) => m.userRef).sort(),
    ).toEqual(['user:default/amira.haddad', 'user:default/guest']);
    // Seeding again changes nothing.
    await scheduler.triggerTask(DEMO_SEED_TASK_ID);
    const again = await request(backend.server)
      .get('/api/onboarding/v1/report')
      .set('Authorization', GUEST);
    expect(again.body).toEqual(report.body);
  });
});

describe('onboarding.stalledAfterDays', () => {
  const read = (value?: unknown) =>
    readStalledAfterDays(
      new ConfigReader(
        value === undefined ? {} : { onboarding: { stalledAfterDays: value } },
      ),
    );

  it('is a whole number of days from 1 to 3650, 14 unless set', () => {
    expect(read()).toBe(14);
    expect(read(30)).toBe(30);
    for (const bad of [0, -1, 2.5, 3651, 1e9]) {
      expect(() => read(bad)).toThrow(
        'onboarding.stalledAfterDays: must be a whole number of days from 1 to 3650',
      );
    }
  });
});

describe('the templates refresh schedule', () => {
  const read = (onboarding: object) => {
    const logger = mockServices.logger.mock();
    const schedule = readTemplatesSchedule(
      new ConfigReader({ onboarding }),
      logger,
    );
    return { schedule, warnings: logger.warn.mock.calls.map(c => c[0]) };
  };

  it('is every 5 minutes on one replica unless configured', () => {
    expect(read({})).toEqual({
      schedule: {
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        initialDelay: { minutes: 1 },
        scope: 'global',
      },
      warnings: [],
    });
  });

  it('reads onboarding.schedules.templatesRefresh as a Backstage schedule', () => {
    expect(
      read({
        schedules: {
          templatesRefresh: { frequency: 'PT10M', timeout: { minutes: 3 } },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { minutes: 10 },
        timeout: { minutes: 3 },
        initialDelay: DEFAULT_TEMPLATES_SCHEDULE.initialDelay,
        scope: 'global',
      },
      warnings: [],
    });
    expect(() =>
      read({ schedules: { templatesRefresh: { frequency: { minutes: 1 } } } }),
    ).toThrow(/timeout/);
  });

  it('still reads the deprecated onboarding.refreshFrequency, with a warning', () => {
    const old = read({ refreshFrequency: { minutes: 15 } });
    expect(old.schedule).toEqual({
      ...DEFAULT_TEMPLATES_SCHEDULE,
      frequency: { minutes: 15 },
    });
    expect(old.warnings).toEqual([
      expect.stringContaining(
        'onboarding.refreshFrequency is deprecated: set onboarding.schedules.templatesRefresh',
      ),
    ]);

    const both = read({
      refreshFrequency: { minutes: 15 },
      schedules: {
        templatesRefresh: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
      },
    });
    expect(both.schedule.frequency).toEqual({ hours: 1 });
    expect(both.warnings).toEqual([
      expect.stringContaining('onboarding.refreshFrequency is ignored'),
    ]);
  });
});
