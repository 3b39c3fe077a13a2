import {
  coreServices,
  createServiceFactory,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { exampleCatalogConfig, exampleFile, inMemoryDatabase, serverUrl, waitForExampleCatalog } from '@vitals/backend-test-utils';
import onboardingPlugin from '@vitals/plugin-onboarding-backend';
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import { catalogModuleVitalsPermissionRules } from './modules/catalogPermissionRules';
import { permissionModuleVitalsPolicy } from './modules/permissionPolicy';

jest.setTimeout(90_000);

/**
 * Ownership claims as the real sign-in resolver would put them in the token: the user and the groups they are a member
 * of (examples/org.yaml). The default mock userInfo would only return the user itself.
 */
const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/guest': ['group:default/payments'],
  'user:default/li.wei': ['group:default/storefront'],
  'user:default/priya.nair': ['group:default/platform'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { type: string; userEntityRef?: string };
      if (principal.type !== 'user' || !principal.userEntityRef) {
        throw new Error(`No user info for a ${principal.type} principal`);
      }
      return {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: [principal.userEntityRef, ...(MEMBERSHIPS[principal.userEntityRef] ?? [])],
      };
    },
  }),
});

/**
 * The mock httpAuth of the test backend turns a plugin's on-behalf-of token into plain user credentials, without the
 * `actor` that real tokens carry. The permission backend then takes the catalog's conditional read check (which has no
 * resourceRef) for a direct user request and rejects it with 400. This httpAuth marks on-behalf-of requests with an
 * actor, as the real auth service does, and leaves everything else to the mock.
 */
const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';
/** An error the backend's error handler maps to a status by its name, as with those of @backstage/errors. */
const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });
const oboAwareHttpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    const service = {
      async credentials(req: any, options?: { allow?: string[] }) {
        const token = String(req.headers.authorization ?? '').match(/^Bearer[ ]+(\S+)$/i)?.[1];
        if (token?.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
          const { obo, target } = JSON.parse(token.slice(MOCK_SERVICE_TOKEN_PREFIX.length));
          if (obo) {
            if (target && target !== plugin.getId()) {
              throw namedError('AuthenticationError', `Token for '${target}' sent to '${plugin.getId()}'`);
            }
            if (options?.allow && !options.allow.includes('user')) {
              throw namedError('NotAllowedError', `This endpoint does not allow 'user' credentials`);
            }
            return mockCredentials.user(obo, { actor: { subject: 'plugin:on-behalf-of' } });
          }
        }
        return inner.credentials(req, options as any);
      },
      issueUserCookie: (res: any, options?: any) => inner.issueUserCookie(res, options),
    };
    return service as HttpAuthService;
  },
});

describe('the portal permission policy on tech-debt', () => {
  let backend: TestBackend;
  let baseUrl: string;

  async function call(
    method: string,
    url: string,
    options: { user?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(options.user ?? 'user:default/guest'),
        ...(options.body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const item = (entityRef: string) => ({
    entityRef,
    title: 'Permission test item',
    category: 'code',
    impact: 3,
    effortDays: 1,
  });

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        // The real permission client, talking to the real permission backend (the test backend's default would
        // also be this one, but be explicit: the point is the real policy).
        permissionsServiceFactory,
        userInfoFactory,
        oboAwareHttpAuthFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            permission: { enabled: true },
            vitals: { adminGroups: ['group:default/platform'] },
            onboarding: { templates: [{ target: exampleFile('onboarding.yaml') }] },
            catalog: exampleCatalogConfig(),
          },
        }),
        catalogPlugin,
        catalogModuleVitalsPermissionRules,
        permissionPlugin,
        permissionModuleVitalsPolicy,
        techDebtPlugin,
        onboardingPlugin,
      ],
    });
    baseUrl = serverUrl(backend.server);
    await waitForExampleCatalog(backend.server, { authorization: mockCredentials.user.header('user:default/guest') });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it("lets a member of Payments add debt to a Payments component, not to Storefront's", async () => {
    const allowed = await call('POST', '/api/tech-debt/v1/items', { body: item('component:default/payments-api') });
    expect(allowed.status).toBe(201);
    expect(allowed.body).toMatchObject({ ownerRef: 'group:default/payments', createdBy: 'user:default/guest' });

    const denied = await call('POST', '/api/tech-debt/v1/items', { body: item('component:default/checkout-api') });
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('NotAllowedError');

    const list = await call('GET', '/api/tech-debt/v1/items?entityRef=component:default/checkout-api');
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(0);
  });

  it('lets only the owners edit and delete an item', async () => {
    const created = await call('POST', '/api/tech-debt/v1/items', {
      user: 'user:default/li.wei',
      body: item('component:default/checkout-api'),
    });
    expect(created.status).toBe(201);

    const patch = await call('PATCH', `/api/tech-debt/v1/items/${created.body.id}`, { body: { version: 1, title: 'Hijacked' } });
    expect(patch.status).toBe(403);
    const del = await call('DELETE', `/api/tech-debt/v1/items/${created.body.id}`);
    expect(del.status).toBe(403);

    const ownerPatch = await call('PATCH', `/api/tech-debt/v1/items/${created.body.id}`, {
      user: 'user:default/li.wei',
      body: { version: 1, status: 'planned' },
    });
    expect(ownerPatch.status).toBe(200);
    expect(ownerPatch.body).toMatchObject({ title: 'Permission test item', status: 'planned', version: 2 });
  });

  it("lets a member of Payments set the Payments budget, not Storefront's", async () => {
    const allowed = await call('PUT', '/api/tech-debt/v1/budgets/2026-Q4?groupRef=group:default/payments', {
      body: { capacityDays: 100, sharePercent: 20 },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ groupRef: 'group:default/payments', reservedDays: 20, version: 1 });

    const denied = await call('PUT', '/api/tech-debt/v1/budgets/2026-Q4?groupRef=group:default/storefront', {
      body: { capacityDays: 100, sharePercent: 20 },
    });
    expect(denied.status).toBe(403);
    const read = await call('GET', '/api/tech-debt/v1/budgets/2026-Q4?groupRef=group:default/storefront');
    expect(read.status).toBe(200);
    expect(read.body.version).toBeNull();
  });

  it('denies changes to a user without ownership claims but lets everyone read', async () => {
    const stranger = 'user:default/stranger';
    const post = await call('POST', '/api/tech-debt/v1/items', { user: stranger, body: item('component:default/payments-api') });
    expect(post.status).toBe(403);
    const read = await call('GET', '/api/tech-debt/v1/summary?entityRef=component:default/payments-api', { user: stranger });
    expect(read.status).toBe(200);
    expect(read.body.openCount).toBeGreaterThanOrEqual(1);
  });

  it('lets only members of the admin groups (vitals.adminGroups) reset onboarding progress', async () => {
    const denied = await call('POST', '/api/onboarding/v1/users/user:default%2Fli.wei/reset', { body: {} });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('onboarding.progress.reset');

    const allowed = await call('POST', '/api/onboarding/v1/users/user:default%2Fli.wei/reset', {
      user: 'user:default/priya.nair',
      body: {},
    });
    expect(allowed.status).toBe(204);
  });
});
