import {
  mockScheduler,
  startTrustBackend,
  TrustCaller,
  TRUST_USERS,
  TrustBackend,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';
import ownershipPlugin from './index';
import { SNAPSHOT_TASK_ID } from './plugin';

jest.setTimeout(180_000);

/**
 * The ownership write — confirming that a team still owns an entity — with real tokens behind the portal's policy: a
 * member of the owning team (the guest, in Payments), a signed-in member of another team (Li Wei, Storefront), the
 * portal's static CI token, and no token. Only the member may confirm.
 */
describe.each(trustDatabaseCases())(
  'ownership writes with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;
    const scheduler = mockScheduler();

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [ownershipPlugin],
        database,
        scheduler,
      });
      await scheduler.triggerTask(SNAPSHOT_TASK_ID);
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const call = (method: 'get' | 'post', url: string, who: TrustCaller) =>
      trust.call(method, `/api/ownership/v1${url}`, who);

    const confirmationOf = async (path: string) =>
      (await call('get', `/entities/${path}`, 'member')).body.confirmation;

    it('lets only a member of the owning team confirm ownership', async () => {
      const path = 'component/default/payments-api';
      for (const who of ['nonMember', 'ci'] as const) {
        const res = await call(
          'post',
          `/entities/${path}/confirmations`,
          who,
        ).send({ comment: `By ${who}` });
        expect({ who, status: res.status }).toEqual({ who, status: 403 });
      }
      expect(
        (await call('post', `/entities/${path}/confirmations`, 'none').send({}))
          .status,
      ).toBe(401);
      expect(await confirmationOf(path)).toMatchObject({
        status: 'never',
        lastConfirmedBy: null,
      });

      const confirmed = await call(
        'post',
        `/entities/${path}/confirmations`,
        'member',
      ).send({ comment: 'Still ours' });
      expect(confirmed.status).toBe(201);
      expect(confirmed.body).toMatchObject({
        ownerRef: 'group:default/payments',
        confirmedBy: TRUST_USERS.member,
      });
      expect(await confirmationOf(path)).toMatchObject({
        status: 'current',
        lastConfirmedBy: TRUST_USERS.member,
      });
    });

    it("refuses the CI token and other teams confirming a team's ownership for it", async () => {
      // checkout-api belongs to Storefront: the guest (Payments) may not confirm it, nor may the CI token.
      const path = 'component/default/checkout-api';
      for (const who of ['member', 'ci'] as const) {
        const res = await call(
          'post',
          `/entities/${path}/confirmations`,
          who,
        ).send({});
        expect({ who, status: res.status }).toEqual({ who, status: 403 });
      }
      expect(await confirmationOf(path)).toMatchObject({ status: 'never' });
      // Its own team may.
      expect(
        (
          await call(
            'post',
            `/entities/${path}/confirmations`,
            'nonMember',
          ).send({})
        ).status,
      ).toBe(201);
      const history = await call('get', `/entities/${path}/history`, 'member');
      expect(
        history.body.events
          .filter((e: { type: string }) => e.type === 'confirmed')
          .map((e: { actor: string }) => e.actor),
      ).toEqual([TRUST_USERS.nonMember]);
    });

    it('lets every signed-in person read, and nobody without a token', async () => {
      for (const who of ['member', 'nonMember'] as const) {
        expect((await call('get', '/report', who)).status).toBe(200);
      }
      expect((await call('get', '/report', 'none')).status).toBe(401);
      // The CI token is restricted to the DORA plugin: refused before the ownership router sees it.
      expect((await call('get', '/report', 'ci')).status).toBe(403);
    });
  },
);
