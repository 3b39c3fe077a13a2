import {
  AuthService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  EXAMPLES_DIR,
  startTrustBackend,
  TrustBackend,
  TrustCaller,
  trustDatabaseCases,
  TRUST_USERS,
} from '@vitals/backend-test-utils';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import techDebtPlugin from './index';

jest.setTimeout(180_000);

/** Stand-ins for other plugins of the same backend: they only hold on to their real auth service. */
const pluginAuth: Record<string, AuthService> = {};
const standIn = (pluginId: string) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { auth: coreServices.auth },
        async init({ auth }) {
          pluginAuth[pluginId] = auth;
        },
      });
    },
  });

/** A static token whose subject pretends to be the postmortems plugin, restricted to the tech-debt plugin. */
const IMPOSTOR_TOKEN = 'vitals-trust-impostor-token-0123456789';

function portalExternalAccess(): JsonObject[] {
  const portal = parse(
    fs.readFileSync(path.join(EXAMPLES_DIR, '..', 'app-config.yaml'), 'utf8'),
  );
  return portal.backend.auth.externalAccess;
}

const SNAPSHOT = {
  entityRef: 'component:default/payments-api',
  createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  resolvedAt: null,
  severity: 'SEV1',
  postmortemId: 'pm-1',
  postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
  title: 'Double card captures',
};

/**
 * Incident links with real tokens behind the portal's policy: a member of Payments (which owns payments-api), a
 * member of Storefront, the portal's CI token, no token; and the ways the postmortems plugin calls: on behalf of the
 * person (their own permission decides) and with its own service credentials (refreshing a link only). Another
 * plugin's service and a static token claiming to be the postmortems plugin may not.
 */
describe.each(trustDatabaseCases())(
  'incident links with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [techDebtPlugin, standIn('postmortems'), standIn('intruder')],
        database,
        config: {
          backend: {
            auth: {
              externalAccess: [
                ...portalExternalAccess(),
                {
                  type: 'static',
                  options: {
                    token: IMPOSTOR_TOKEN,
                    subject: 'plugin:postmortems',
                  },
                  accessRestrictions: [{ plugin: 'tech-debt' }],
                },
              ],
            },
          },
        },
      });
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const api = (url: string) => `/api/tech-debt/v1${url}`;
    const call = (
      method: 'get' | 'post' | 'put' | 'delete',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, api(url), who);
    const as = (
      method: 'get' | 'put' | 'delete',
      url: string,
      authorization: string,
    ) => trust.call(method, api(url), 'none').set('Authorization', authorization);

    /** A token of `pluginId` for the tech-debt plugin: its own, or on behalf of a signed-in person. */
    async function pluginToken(
      pluginId: string,
      onBehalfOf?: keyof typeof TRUST_USERS,
    ): Promise<string> {
      const auth = pluginAuth[pluginId];
      const credentials = onBehalfOf
        ? await auth.authenticate(
            (await trust.signIn(TRUST_USERS[onBehalfOf])).replace(
              /^Bearer /,
              '',
            ),
          )
        : await auth.getOwnServiceCredentials();
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'tech-debt',
      });
      return `Bearer ${token}`;
    }

    async function newItem(entityRef: string, who: TrustCaller) {
      const res = await call('post', '/items', who).send({
        entityRef,
        title: `Incident follow-up on ${entityRef} ${Math.random()}`,
        category: 'architecture',
        impact: 4,
        effortDays: 3,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    const link = (itemId: string, incidentId: string) =>
      `/items/${itemId}/incidents/${encodeURIComponent(incidentId)}`;

    async function linksOf(itemId: string) {
      return (await call('get', `/items/${itemId}`, 'member')).body.incidents;
    }

    it("lets only a member of the owning team link and unlink incidents on the team's item", async () => {
      const item = await newItem('component:default/payments-api', 'member');
      const url = link(item, 'pagerduty:TRUST1');
      for (const who of ['nonMember', 'ci'] as const) {
        expect({
          who,
          put: (await call('put', url, who).send(SNAPSHOT)).status,
        }).toEqual({ who, put: 403 });
      }
      expect((await call('put', url, 'none').send(SNAPSHOT)).status).toBe(401);
      expect(await linksOf(item)).toEqual([]);

      const linked = await call('put', url, 'member').send(SNAPSHOT);
      expect(linked.status).toBe(200);
      expect(linked.body.incidents[0]).toMatchObject({
        incidentId: 'pagerduty:TRUST1',
        linkedBy: TRUST_USERS.member,
      });

      for (const who of ['nonMember', 'ci'] as const) {
        expect({ who, del: (await call('delete', url, who)).status }).toEqual({
          who,
          del: 403,
        });
      }
      expect(await linksOf(item)).toHaveLength(1);
      expect((await call('delete', url, 'member')).status).toBe(204);
      expect(await linksOf(item)).toEqual([]);
    });

    it("gives a member of another team no way to move or change a link by reusing its incident id", async () => {
      const payments = await newItem(
        'component:default/payments-api',
        'member',
      );
      const storefront = await newItem(
        'component:default/checkout-api',
        'nonMember',
      );
      const incident = 'pagerduty:SHARED';
      expect(
        (await call('put', link(payments, incident), 'member').send(SNAPSHOT))
          .status,
      ).toBe(200);
      const before = await linksOf(payments);

      // Storefront links the same incident to its own item, with another story: its own link, nothing else moves.
      const own = await call('put', link(storefront, incident), 'nonMember').send(
        {
          ...SNAPSHOT,
          entityRef: 'component:default/checkout-api',
          resolvedAt: SNAPSHOT.createdAt,
          severity: 'SEV4',
          postmortemId: null,
          postmortemUrl: null,
        },
      );
      expect(own.status).toBe(200);
      expect(own.body.outcome).toBe('linked');
      // Nor can Storefront change, refresh or remove Payments' link with the id.
      expect(
        (
          await call('put', link(payments, incident), 'nonMember').send({
            ...SNAPSHOT,
            severity: 'SEV4',
          })
        ).status,
      ).toBe(403);
      expect(
        (await call('delete', link(payments, incident), 'nonMember')).status,
      ).toBe(403);
      expect(await linksOf(payments)).toEqual(before);
      const history = (
        await call('get', `/items/${payments}/events`, 'member')
      ).body.events.map((e: { action: string; actor: string }) => [
        e.action,
        e.actor,
      ]);
      expect(history).toEqual([
        ['linked', TRUST_USERS.member],
        ['created', TRUST_USERS.member],
      ]);
    });

    it('lets the postmortems plugin link on behalf of a person, decided by that person’s permission', async () => {
      const item = await newItem('component:default/payments-api', 'member');
      const forMember = await pluginToken('postmortems', 'member');
      const forNonMember = await pluginToken('postmortems', 'nonMember');

      const refused = await as(
        'put',
        link(item, 'pagerduty:OBO'),
        forNonMember,
      ).send(SNAPSHOT);
      expect(refused.status).toBe(403);
      const res = await as('put', link(item, 'pagerduty:OBO'), forMember).send(
        SNAPSHOT,
      );
      expect(res.status).toBe(200);
      expect(res.body.incidents[0].linkedBy).toBe(TRUST_USERS.member);
    });

    it("lets the postmortems plugin's own service refresh a link a person made, and no other service", async () => {
      const item = await newItem('component:default/payments-api', 'member');
      const url = link(item, 'pagerduty:REFRESH');
      expect((await call('put', url, 'member').send(SNAPSHOT)).status).toBe(
        200,
      );
      const resolvedAt = new Date(
        Date.parse(SNAPSHOT.createdAt) + 95 * 60_000,
      ).toISOString();
      const resolved = { ...SNAPSHOT, resolvedAt };

      const postmortems = await pluginToken('postmortems');
      const intruder = await pluginToken('intruder');
      // Another plugin, a static token calling itself the postmortems plugin, the CI token: none may refresh.
      for (const [who, authorization] of [
        ['intruder', intruder],
        ['impostor', `Bearer ${IMPOSTOR_TOKEN}`],
        ['ci', trust.ciAuthorization],
      ]) {
        expect({
          who,
          status: (await as('put', url, authorization).send(resolved)).status,
        }).toEqual({ who, status: 403 });
      }
      // The impostor is a valid token for this plugin: it reads, like any service.
      expect(
        (await as('get', `/items/${item}`, `Bearer ${IMPOSTOR_TOKEN}`)).status,
      ).toBe(200);
      expect((await linksOf(item))[0].resolvedAt).toBeNull();

      // The postmortems plugin may neither link a new incident nor unlink one…
      expect(
        (
          await as('put', link(item, 'pagerduty:NEW'), postmortems).send(
            resolved,
          )
        ).status,
      ).toBe(403);
      expect((await as('delete', url, postmortems)).status).toBe(403);
      // …but it refreshes the snapshot: resolved, 95 minutes to restore.
      const refreshed = await as('put', url, postmortems).send(resolved);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toMatchObject({
        outcome: 'refreshed',
        incidents: [
          {
            incidentId: 'pagerduty:REFRESH',
            resolvedAt,
            restoreMinutes: 95,
            linkedBy: TRUST_USERS.member,
          },
        ],
      });
      const [latest] = (await call('get', `/items/${item}/events`, 'member'))
        .body.events;
      expect(latest).toMatchObject({
        action: 'link_refreshed',
        actor: 'service:plugin:postmortems',
      });
      const stored = (await call('get', `/items/${item}`, 'member')).body;
      expect(stored.measuredInterest).toEqual({
        windowDays: 90,
        incidents: 1,
        restoreMinutes: 95,
      });
    });
  },
);
