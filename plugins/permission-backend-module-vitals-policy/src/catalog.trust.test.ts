import {
  exampleFile,
  startTrustBackend,
  TrustCaller,
  TrustBackend,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';

jest.setTimeout(180_000);

/**
 * The portal's catalog behind the Vitals policy, with real tokens: a signed-in member of Payments, a member of
 * Storefront, a member of Platform (the admin group), the CI token of app-config.yaml, and nobody.
 */
describe.each(trustDatabaseCases())(
  'the catalog behind the Vitals policy, on %s',
  (_id, database) => {
    let trust: TrustBackend;

    beforeAll(async () => {
      trust = await startTrustBackend({ features: [], database });
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const call = (
      method: 'get' | 'post' | 'delete',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, url, who);

    async function uidOf(name: string): Promise<string> {
      const res = await call(
        'get',
        `/api/catalog/entities/by-name/component/default/${name}`,
        'member',
      );
      expect(res.status).toBe(200);
      return res.body.metadata.uid;
    }

    it('lets everyone signed in read the catalog, and nobody else', async () => {
      for (const who of ['member', 'nonMember', 'admin'] as const) {
        expect(
          (
            await call(
              'get',
              '/api/catalog/entities/by-name/component/default/legacy-reporting',
              who,
            )
          ).status,
        ).toBe(200);
      }
      expect(
        (
          await call(
            'get',
            '/api/catalog/entities/by-name/component/default/legacy-reporting',
            'none',
          )
        ).status,
      ).toBe(401);
      // The CI token is valid for the DORA plugin only: refused (403) everywhere else.
      expect(
        (
          await call(
            'get',
            '/api/catalog/entities/by-name/component/default/legacy-reporting',
            'ci',
          )
        ).status,
      ).toBe(403);
    });

    it("refuses to delete another team's entity, and lets its owners and the admins delete it", async () => {
      // Legacy reporting belongs to Analytics: neither the guest (Payments) nor Li (Storefront) may delete it.
      const legacy = await uidOf('legacy-reporting');
      for (const who of ['member', 'nonMember'] as const) {
        expect(
          (await call('delete', `/api/catalog/entities/by-uid/${legacy}`, who))
            .status,
        ).toBe(403);
      }
      expect(
        (await call('delete', `/api/catalog/entities/by-uid/${legacy}`, 'ci'))
          .status,
      ).toBe(403);
      expect(
        (await call('delete', `/api/catalog/entities/by-uid/${legacy}`, 'none'))
          .status,
      ).toBe(401);
      expect(
        (
          await call(
            'get',
            '/api/catalog/entities/by-name/component/default/legacy-reporting',
            'member',
          )
        ).status,
      ).toBe(200);

      // Ledger belongs to Payments: Li may not delete it, the guest may.
      const ledger = await uidOf('ledger-service');
      expect(
        (
          await call(
            'delete',
            `/api/catalog/entities/by-uid/${ledger}`,
            'nonMember',
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await call(
            'delete',
            `/api/catalog/entities/by-uid/${ledger}`,
            'member',
          )
        ).status,
      ).toBe(204);

      // A member of Platform, the admin group, may delete anyone's.
      expect(
        (
          await call(
            'delete',
            `/api/catalog/entities/by-uid/${legacy}`,
            'admin',
          )
        ).status,
      ).toBe(204);
      expect(
        (
          await call(
            'get',
            '/api/catalog/entities/by-name/component/default/legacy-reporting',
            'member',
          )
        ).status,
      ).toBe(404);
    });

    it('lets only the owners and the admins refresh an entity', async () => {
      const refresh = (who: TrustCaller) =>
        call('post', '/api/catalog/refresh', who).send({
          entityRef: 'component:default/payments-api',
        });
      expect((await refresh('nonMember')).status).toBe(403);
      expect((await refresh('ci')).status).toBe(403);
      expect((await refresh('none')).status).toBe(401);
      expect((await refresh('member')).status).toBe(200);
      expect((await refresh('admin')).status).toBe(200);
    });

    it('leaves registering and removing locations to the admins', async () => {
      const register = (who: TrustCaller) =>
        call('post', '/api/catalog/locations?dryRun=true', who).send({
          type: 'file',
          target: exampleFile('entities.yaml'),
        });
      expect((await register('member')).status).toBe(403);
      expect((await register('nonMember')).status).toBe(403);
      expect((await register('ci')).status).toBe(403);
      expect((await register('none')).status).toBe(401);
      // The admin gets past the permission check: the catalog then judges the location itself (the portal registers
      // url locations only).
      const byAdmin = await register('admin');
      expect(byAdmin.status).toBe(400);
      expect(byAdmin.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('allowed type'),
      });

      // Removing is decided before the location is looked up: refused to the member, a plain "not found" for the admin.
      const id = '8c1e0f38-2f1d-4a55-9d4e-0b7d3d0c1a11';
      expect(
        (await call('delete', `/api/catalog/locations/${id}`, 'member')).status,
      ).toBe(403);
      expect(
        (await call('delete', `/api/catalog/locations/${id}`, 'ci')).status,
      ).toBe(403);
      expect(
        (await call('delete', `/api/catalog/locations/${id}`, 'admin')).status,
      ).toBe(404);
    });
  },
);
