import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  exampleFile,
  mockScheduler,
  startTrustBackend,
  TrustBackend,
  TrustCaller,
  trustDatabaseCases,
  TRUST_USERS,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real scorecards backend, not shipped
import scorecardsPlugin from '@vitals/plugin-scorecards-backend';
import goalsPlugin from './index';

jest.setTimeout(240_000);

const PAYMENTS_API = 'component:default/payments-api';
const dayOf = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 24 * 3600 * 1000)
    .toISOString()
    .slice(0, 10);

/**
 * Promoting an ended campaign, end to end: the goals and scorecards backends behind the portal's real policy, with
 * real user tokens. The campaign asks Payments for TechDocs (`has-techdocs`, a gold check of the example
 * "Production readiness"); made permanent, it is required at bronze, and payments-api (no TechDocs) falls below
 * bronze at the next evaluation. Only an admin may promote; the goals backend calls scorecards with the caller's own
 * token, so scorecards' permission decides for that person.
 */
describe.each(trustDatabaseCases())(
  'promoting a campaign with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;
    const scheduler = mockScheduler();

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [
          goalsPlugin,
          scorecardsPlugin,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
        ],
        database,
        scheduler,
        config: {
          scorecards: {
            definitionFiles: [exampleFile('scorecards.yaml')],
            // Only the catalog's facts: the other Vitals backends are not part of this test.
            providers: {
              techDebt: { enabled: false },
              dora: { enabled: false },
              ownership: { enabled: false },
              onboarding: { enabled: false },
            },
          },
        },
      });
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const goals = (
      method: 'get' | 'post' | 'patch',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, `/api/goals/v1${url}`, who);
    const scorecards = (
      method: 'get' | 'post' | 'delete',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, `/api/scorecards/v1${url}`, who);

    const techDocsCheck = async () => {
      const res = await scorecards(
        'get',
        '/definitions/production-readiness',
        'nonMember',
      );
      expect(res.status).toBe(200);
      return res.body.checks.find(
        (c: { id: string }) => c.id === 'has-techdocs',
      );
    };
    const paymentsLevel = async () => {
      const res = await scorecards(
        'get',
        `/entities/results?entityRef=${PAYMENTS_API}`,
        'member',
      );
      return res.body.results.find(
        (r: { scorecardId: string }) =>
          r.scorecardId === 'production-readiness',
      ).levelId;
    };

    it('lets an admin alone make an ended campaign permanent; the check is then required at bronze', async () => {
      await scheduler.triggerTask('scorecards-evaluate');
      // payments-api passes every bronze check (owner, description, system, source link); it has no TechDocs.
      expect(await paymentsLevel()).toBe('bronze');
      expect(await techDocsCheck()).toMatchObject({ level: 'gold' });
      expect((await techDocsCheck()).promotion).toBeUndefined();

      const created = await goals('post', '/campaigns', 'admin').send({
        name: 'TechDocs for every Payments service',
        checks: [
          { scorecardId: 'production-readiness', checkId: 'has-techdocs' },
        ],
        selection: { owner: ['group:default/payments'], kind: ['component'] },
        deadline: dayOf(7),
      });
      expect(created.status).toBe(201);
      const id = created.body.id;

      const running = await goals(
        'post',
        `/campaigns/${id}/promote`,
        'admin',
      ).send({ version: created.body.version });
      expect(running.status).toBe(409);
      expect(running.body.error.message).toMatch(
        /runs until .*: its checks can be made permanent once it has ended/,
      );

      // The deadline moves to yesterday: the campaign has ended.
      const ended = await goals('patch', `/campaigns/${id}`, 'admin').send({
        version: created.body.version,
        deadline: dayOf(-1),
      });
      expect(ended.status).toBe(200);
      expect(ended.body.status).toBe('ended');
      const version = ended.body.version;

      for (const [who, status] of [
        ['member', 403],
        ['nonMember', 403],
        ['ci', 403],
        ['none', 401],
      ] as const) {
        const res = await goals('post', `/campaigns/${id}/promote`, who).send({
          version,
        });
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      // Nor may a team member or a service write the promotion in scorecards directly.
      for (const [who, status] of [
        ['member', 403],
        ['ci', 403],
      ] as const) {
        const res = await scorecards('post', '/promotions', who).send({
          checks: [
            { scorecardId: 'production-readiness', checkId: 'has-techdocs' },
          ],
        });
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      expect(await techDocsCheck()).toMatchObject({ level: 'gold' });

      const promoted = await goals(
        'post',
        `/campaigns/${id}/promote`,
        'admin',
      ).send({ version });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({
        promotedBy: TRUST_USERS.admin,
        promotedChecks: [
          {
            scorecardId: 'production-readiness',
            checkId: 'has-techdocs',
            levelId: 'bronze',
          },
        ],
      });
      expect(promoted.body.promotedAt).toEqual(expect.any(String));

      // Scorecards recorded it as the admin's (the caller's token), with the campaign as its origin.
      expect(await techDocsCheck()).toMatchObject({
        level: 'bronze',
        promotion: {
          configuredLevel: 'gold',
          promotedBy: TRUST_USERS.admin,
          origin: {
            kind: 'campaign',
            id,
            title: 'TechDocs for every Payments service',
          },
        },
      });
      const events = await goals('get', `/campaigns/${id}/events`, 'member');
      // (A reminder went out at launch too: the deadline was a week away.)
      expect(events.body.events.at(-1)).toMatchObject({
        action: 'promoted',
        actor: TRUST_USERS.admin,
        details: { checks: promoted.body.promotedChecks },
      });

      // The promotion started an evaluation: payments-api no longer reaches bronze without TechDocs.
      await scheduler.triggerTask('scorecards-evaluate');
      expect(await paymentsLevel()).toBeNull();

      // Promoting the campaign again is a clear 409.
      const again = await goals(
        'post',
        `/campaigns/${id}/promote`,
        'admin',
      ).send({ version: promoted.body.version });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already made permanent by/);

      // An admin withdraws it in scorecards; a stale version is a 409; the check is back at gold.
      const promotionId = promoted.body.promotedChecks[0].promotionId;
      expect(
        (
          await scorecards(
            'delete',
            `/promotions/${promotionId}?version=1`,
            'member',
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await scorecards(
            'delete',
            `/promotions/${promotionId}?version=2`,
            'admin',
          )
        ).status,
      ).toBe(409);
      expect(
        (
          await scorecards(
            'delete',
            `/promotions/${promotionId}?version=1`,
            'admin',
          )
        ).status,
      ).toBe(204);
      expect(await techDocsCheck()).toMatchObject({ level: 'gold' });
      await scheduler.triggerTask('scorecards-evaluate');
      expect(await paymentsLevel()).toBe('bronze');
    });
  },
);
