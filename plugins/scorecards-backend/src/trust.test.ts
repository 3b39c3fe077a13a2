import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  exampleFile,
  startTrustBackend,
  TrustCaller,
  TRUST_USERS,
  TrustBackend,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';
import scorecardsPlugin from './index';

jest.setTimeout(180_000);

const PAYMENTS_API = 'component:default/payments-api';

/**
 * The scorecards writes behind the portal's real security: real user tokens for a member of Payments (which owns
 * payments-api) and for a member of Storefront, the portal's CI token with its access restrictions, and no token.
 * Only the owners' member may waive, change, withdraw or refresh.
 */
describe.each(trustDatabaseCases())(
  'scorecards writes with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;
    const refused = { nonMember: 403, ci: 403, none: 401 } as const;

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [
          scorecardsPlugin,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
        ],
        database,
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

    const call = (
      method: 'get' | 'post' | 'patch' | 'delete',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, `/api/scorecards${url}`, who);

    it('lets only a member of the owning team waive a check, change the waiver and withdraw it', async () => {
      const waiver = {
        entityRef: PAYMENTS_API,
        scorecardId: 'production-readiness',
        checkId: 'has-techdocs',
        reason: 'The docs move to the new site this quarter',
        expiresAt: new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString(),
      };
      for (const [who, status] of Object.entries(refused)) {
        const res = await call('post', '/v1/waivers', who as TrustCaller).send(
          waiver,
        );
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      const created = await call('post', '/v1/waivers', 'member').send(waiver);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        entityRef: PAYMENTS_API,
        createdBy: TRUST_USERS.member,
        version: 1,
      });
      const id = created.body.id as string;

      for (const [who, status] of Object.entries(refused)) {
        const res = await call(
          'patch',
          `/v1/waivers/${id}`,
          who as TrustCaller,
        ).send({ reason: 'Not theirs', version: 1 });
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      const changed = await call('patch', `/v1/waivers/${id}`, 'member').send({
        reason: 'Moved to next quarter',
        version: 1,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        reason: 'Moved to next quarter',
        version: 2,
        updatedBy: TRUST_USERS.member,
      });

      for (const [who, status] of Object.entries(refused)) {
        const res = await call(
          'delete',
          `/v1/waivers/${id}?version=2`,
          who as TrustCaller,
        );
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      // Nothing the others tried changed the waiver.
      const read = await call('get', `/v1/waivers/${id}`, 'nonMember');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        reason: 'Moved to next quarter',
        version: 2,
        revokedAt: null,
      });

      expect(
        (await call('delete', `/v1/waivers/${id}?version=2`, 'member')).status,
      ).toBe(204);
      expect(
        (await call('get', `/v1/waivers/${id}`, 'member')).body,
      ).toMatchObject({ revokedBy: TRUST_USERS.member });
    });

    it('lets only a member of the owning team refresh the entity', async () => {
      type Result = { scorecardId: string; evaluatedAt: string };
      const evaluatedAt = (results: Result[]) =>
        results.find(r => r.scorecardId === 'production-readiness')
          ?.evaluatedAt;
      const results = async () =>
        (
          await call(
            'get',
            `/v1/entities/results?entityRef=${PAYMENTS_API}`,
            'member',
          )
        ).body.results;
      const before = evaluatedAt(await results());
      for (const [who, status] of Object.entries(refused)) {
        const res = await call(
          'post',
          '/v1/entities/refresh',
          who as TrustCaller,
        ).send({ entityRef: PAYMENTS_API });
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      // The refused refreshes evaluated nothing.
      expect(evaluatedAt(await results())).toBe(before);
      const refreshed = await call(
        'post',
        '/v1/entities/refresh',
        'member',
      ).send({ entityRef: PAYMENTS_API });
      expect(refreshed.status).toBe(200);
      const after = evaluatedAt(refreshed.body.results);
      expect(after).toEqual(expect.any(String));
      expect(Date.parse(after!)).toBeGreaterThan(
        before ? Date.parse(before) : 0,
      );
    });
  },
);
