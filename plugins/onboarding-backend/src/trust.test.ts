import {
  exampleFile,
  startTrustBackend,
  TrustCaller,
  TRUST_USERS,
  TrustBackend,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';
import { Checklist, MyOnboarding } from '@vitals/plugin-onboarding-common';
import onboardingPlugin from './index';

jest.setTimeout(180_000);

const GUEST = encodeURIComponent(TRUST_USERS.member);
const step = (onboarding: MyOnboarding, checklistId: string, stepId: string) =>
  onboarding.checklists
    .find((c: Checklist) => c.id === checklistId)
    ?.steps.find(s => s.id === stepId);

/**
 * Onboarding writes with the portal's real security: real user tokens for the guest (whose onboarding it is, a member
 * of Payments), Li (Storefront, someone else), Priya (Platform, the admin group), the CI token of app-config.yaml
 * (restricted to DORA event ingestion), and no token at all.
 */
describe.each(trustDatabaseCases())(
  'onboarding writes with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [onboardingPlugin],
        database,
        config: {
          onboarding: {
            templates: [{ target: exampleFile('onboarding.yaml') }],
          },
        },
      });
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const call = (
      method: 'get' | 'post' | 'put',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, `/api/onboarding${url}`, who);
    const guestOnboarding = async () =>
      (await call('get', `/v1/users/${GUEST}/checklists`, 'admin'))
        .body as MyOnboarding;

    it('lets only the person start their own onboarding, or an admin; reading it starts nothing', async () => {
      const start = (who: TrustCaller) =>
        call('post', `/v1/users/${GUEST}/checklists`, who).send({});
      expect((await start('none')).status).toBe(401);
      expect((await start('ci')).status).toBe(403);
      expect((await start('nonMember')).status).toBe(403);
      expect(
        (await call('post', '/v1/me/checklists', 'ci').send({})).status,
      ).toBe(403);
      expect(
        (await call('post', '/v1/me/checklists', 'none').send({})).status,
      ).toBe(401);
      // Reading someone's onboarding, as anyone signed in, never starts it.
      expect(
        (await call('get', `/v1/users/${GUEST}/checklists`, 'nonMember')).body,
      ).toMatchObject({ started: false, checklists: [] });
      expect((await guestOnboarding()).started).toBe(false);

      const own = await start('member');
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        userRef: TRUST_USERS.member,
        started: true,
      });
      expect(own.body.checklists.map((c: Checklist) => c.id)).toContain(
        'payments-team',
      );

      // An admin may start someone else's: Li's, who has not opened My onboarding.
      const byAdmin = await call(
        'post',
        `/v1/users/${encodeURIComponent(TRUST_USERS.nonMember)}/checklists`,
        'admin',
      ).send({});
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({
        userRef: TRUST_USERS.nonMember,
        started: true,
      });
    });

    it('lets only the person tick their own steps', async () => {
      const tick = (who: TrustCaller) =>
        call(
          'put',
          '/v1/me/checklists/payments-team/steps/read-runbook',
          who,
        ).send({ done: true });
      expect((await tick('none')).status).toBe(401);
      expect((await tick('ci')).status).toBe(403);
      // Li's /me is Li: she has no Payments checklist, and the guest's stays untouched.
      expect((await tick('nonMember')).status).toBe(404);
      expect(
        step(await guestOnboarding(), 'payments-team', 'read-runbook')?.done,
      ).toBe(false);

      const own = await tick('member');
      expect(own.status).toBe(200);
      expect(
        step(await guestOnboarding(), 'payments-team', 'read-runbook'),
      ).toMatchObject({ done: true, completedBy: 'user' });
    });

    it('takes docs visits from people only', async () => {
      const visit = (who: TrustCaller) =>
        call('post', '/v1/me/visits', who).send({
          entityRef: 'component:default/payments-api',
          kind: 'docs',
        });
      expect((await visit('none')).status).toBe(401);
      expect((await visit('ci')).status).toBe(403);
      expect((await visit('member')).status).toBe(204);
      expect(
        step(await guestOnboarding(), 'payments-team', 'payments-api-docs')
          ?.done,
      ).toBe(true);
    });

    it('lets only an admin reset someone’s progress: not the person, not another user, not the CI token', async () => {
      const reset = (who: TrustCaller) =>
        call('post', `/v1/users/${GUEST}/reset`, who).send({
          checklistId: 'payments-team',
        });
      expect((await reset('none')).status).toBe(401);
      expect((await reset('ci')).status).toBe(403);
      expect((await reset('nonMember')).status).toBe(403);
      expect((await reset('member')).status).toBe(403);
      expect(
        step(await guestOnboarding(), 'payments-team', 'read-runbook')?.done,
      ).toBe(true);

      expect((await reset('admin')).status).toBe(204);
      expect(
        step(await guestOnboarding(), 'payments-team', 'read-runbook')?.done,
      ).toBe(false);
      const history = await call(
        'get',
        `/v1/history?userRef=${GUEST}&limit=100`,
        'member',
      );
      expect(history.body.items).toContainEqual(
        expect.objectContaining({
          stepId: 'read-runbook',
          by: 'reset',
          actorRef: TRUST_USERS.admin,
          done: false,
        }),
      );
    });

    it('gives the CI token nothing of onboarding, not even reads', async () => {
      expect(
        (await call('get', `/v1/users/${GUEST}/checklists`, 'ci')).status,
      ).toBe(403);
      expect((await call('get', '/v1/report', 'ci')).status).toBe(403);
      expect((await call('get', '/v1/report', 'none')).status).toBe(401);
    });
  },
);
