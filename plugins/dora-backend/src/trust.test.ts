import {
  startTrustBackend,
  TrustBackend,
  TrustCaller,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';
import doraPlugin from './index';

jest.setTimeout(180_000);

/**
 * DORA ingestion behind the portal's real security: real user tokens of a member of Payments (which owns
 * payments-api) and of a member of Storefront (which owns storefront-web), the CI token of app-config.yaml (restricted
 * to `dora.event.create`), and nobody. The write is allowed for the owners and CI; an event id is never taken from
 * the entity it belongs to, by anyone.
 */
describe.each(trustDatabaseCases())(
  'DORA writes with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;

    beforeAll(async () => {
      trust = await startTrustBackend({ features: [doraPlugin], database });
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const post = (who: TrustCaller, events: object[]) =>
      trust.call('post', '/api/dora/v1/events', who).send({ events });
    const deployment = (
      id: string,
      entityRef: string,
      finishedAt = '2026-01-06T10:00:00Z',
    ) => ({
      type: 'deployment',
      id,
      entityRef,
      environment: 'production',
      status: 'success',
      finishedAt,
      commitShas: ['abc'],
    });
    const deploymentsOf = async (entityRef: string) => {
      const res = await trust.call(
        'get',
        `/api/dora/v1/deployments?entityRef=${entityRef}&from=2026-01-01&to=2026-02-01`,
        'member',
      );
      expect(res.status).toBe(200);
      return res.body.items.map((d: { id: string }) => d.id).sort();
    };

    it('lets the owning team and CI send events for payments-api, and nobody else', async () => {
      const expected = {
        member: 200,
        nonMember: 403,
        ci: 200,
        none: 401,
      } as const;
      for (const who of ['member', 'nonMember', 'ci', 'none'] as const) {
        const res = await post(who, [
          deployment(`trust-${who}`, 'component:default/payments-api'),
        ]);
        expect([who, res.status]).toEqual([who, expected[who]]);
      }
      expect(await deploymentsOf('component:default/payments-api')).toEqual([
        'trust-ci',
        'trust-member',
      ]);
    });

    it('refuses every re-post of another entity’s event id with 409, and leaves the event where it was', async () => {
      // Storefront's deployment, sent by Storefront's CI, and Payments' own.
      expect(
        (
          await post('ci', [
            deployment('sf-web-1', 'component:default/storefront-web'),
          ])
        ).status,
      ).toBe(200);
      expect(
        (
          await post('member', [
            deployment('pay-1', 'component:default/payments-api'),
          ])
        ).status,
      ).toBe(200);

      // Each tries the id of the other team's deployment on an entity it may write.
      const attacks = {
        member: deployment('sf-web-1', 'component:default/payments-api'),
        nonMember: deployment('pay-1', 'component:default/storefront-web'),
        ci: deployment('sf-web-1', 'component:default/payments-api'),
      };
      for (const [who, event] of Object.entries(attacks) as Array<
        [keyof typeof attacks, object]
      >) {
        const res = await post(who, [event]);
        expect([who, res.status, res.body.error?.name]).toEqual([
          who,
          409,
          'ConflictError',
        ]);
      }
      expect((await post('none', [attacks.member])).status).toBe(401);

      expect(await deploymentsOf('component:default/storefront-web')).toEqual([
        'sf-web-1',
      ]);
      expect(await deploymentsOf('component:default/payments-api')).toEqual([
        'pay-1',
        'trust-ci',
        'trust-member',
      ]);
      // Re-sending one's own event stays idempotent.
      expect(
        (
          await post('member', [
            deployment('pay-1', 'component:default/payments-api'),
          ])
        ).status,
      ).toBe(200);
      expect(
        (
          await post('nonMember', [
            deployment('sf-web-1', 'component:default/storefront-web'),
          ])
        ).status,
      ).toBe(200);
    });

    it('refuses an incident naming another entity’s deployment with 400', async () => {
      const res = await post('member', [
        {
          type: 'incident',
          id: 'pay-inc-1',
          entityRef: 'component:default/payments-api',
          createdAt: '2026-01-06T11:00:00Z',
          deploymentId: 'sf-web-1',
        },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('events[0].deploymentId');
    });
  },
);
