import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import vitalsPolicy from '@vitals/plugin-permission-backend-module-vitals-policy';
import knexFactory from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { POSTGRES15_CONNECTION_STRING_VARIABLE } from './databases';
import { EXAMPLES_DIR, exampleCatalogConfig } from './examples';
import {
  mockScheduler,
  MockScheduler,
  serverUrl,
  waitForExampleCatalog,
} from './testBackend';

/**
 * The people of the example org (examples/org.yaml) the trust tests act as.
 *
 * @public
 */
export const TRUST_USERS = {
  /** A member of Payments, which owns component:default/payments-api, ledger-service and fraud-detector. */
  member: 'user:default/guest',
  /** A member of Storefront: signed in, but owns nothing of Payments'. */
  nonMember: 'user:default/li.wei',
  /** A member of Platform, the portal's admin group (`vitals.adminGroups`). */
  admin: 'user:default/priya.nair',
} as const;

/**
 * Who a trust test acts as: the people of {@link TRUST_USERS}, the portal's CI token, or nobody (no token).
 *
 * @public
 */
export type TrustCaller = keyof typeof TRUST_USERS | 'ci' | 'none';

/** The header that tells the test sign-in provider who signs in. */
const TEST_USER_HEADER = 'x-vitals-test-user';
const TEST_PROVIDER_ID = 'vitals-test';

/**
 * An auth provider for tests only: it signs in as the catalog user named in a request header, through the auth
 * backend's real sign-in (`signInWithCatalogUser`), so the token is a real Backstage user token with the ownership
 * claims the catalog gives that user.
 *
 * @public
 */
export const authModuleTestSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'vitals-test-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: TEST_PROVIDER_ID,
          factory: createProxyAuthProviderFactory<{ userRef: string }>({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const userRef = req.header(TEST_USER_HEADER);
                if (!userRef) {
                  throw new AuthenticationError(
                    `No ${TEST_USER_HEADER} header`,
                  );
                }
                return { result: { userRef } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userRef }),
          }),
        });
      },
    });
  },
});

/**
 * A database a trust backend runs on: SQLite in memory, or a fresh set of PostgreSQL databases.
 *
 * @public
 */
export interface TrustDatabase {
  /** `SQLITE_3` or `POSTGRES_15`, for test names. */
  id: string;
  /** The `backend.database` config. */
  config: JsonObject;
  /** Drops what the backend created (a no-op for SQLite in memory). Call after the backend stopped. */
  cleanup(): Promise<void>;
}

let trustDatabaseCount = 0;

/**
 * The databases the trust suites run on: SQLite always, PostgreSQL 15 too when
 * `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` is set. On PostgreSQL every backend gets its own database
 * prefix, so it starts empty, and `cleanup()` drops its databases.
 *
 * @public
 */
export function trustDatabases(
  env: NodeJS.ProcessEnv = process.env,
): TrustDatabase[] {
  const databases: TrustDatabase[] = [
    {
      id: 'SQLITE_3',
      config: { client: 'better-sqlite3', connection: ':memory:' },
      cleanup: async () => {},
    },
  ];
  const connection = env[POSTGRES15_CONNECTION_STRING_VARIABLE];
  if (connection) {
    trustDatabaseCount += 1;
    const prefix = `vitals_trust_${
      process.pid
    }_${trustDatabaseCount}_${Date.now().toString(36)}_`;
    databases.push({
      id: 'POSTGRES_15',
      // Small pools: a trust backend opens a database per plugin, and tests run in parallel on one server.
      config: {
        client: 'pg',
        connection,
        prefix,
        knexConfig: { pool: { min: 0, max: 3 } },
      },
      cleanup: () => dropPostgresDatabases(connection, prefix),
    });
  }
  return databases;
}

/**
 * {@link trustDatabases} as `[id, database]` rows for `describe.each(...)('... on %s', (_id, database) => ...)`.
 *
 * @public
 */
export function trustDatabaseCases(
  env: NodeJS.ProcessEnv = process.env,
): Array<readonly [string, TrustDatabase]> {
  return trustDatabases(env).map(database => [database.id, database] as const);
}

/**
 * Drops every PostgreSQL database whose name starts with `prefix`.
 *
 * @public
 */
export async function dropPostgresDatabases(
  connection: string,
  prefix: string,
): Promise<void> {
  const admin = knexFactory({
    client: 'pg',
    connection: { connectionString: connection, database: 'postgres' },
  });
  try {
    const { rows } = await admin.raw<{ rows: { datname: string }[] }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
      [prefix],
    );
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

/** The portal's own config file, app-config.yaml at the root of the repository. */
function portalConfig(): JsonObject {
  return parse(
    fs.readFileSync(path.join(EXAMPLES_DIR, '..', 'app-config.yaml'), 'utf8'),
  ) as JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` merged into `base`: objects key by key, anything else replaced. */
function merge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isObject(current) && isObject(value) ? merge(current, value) : value!;
  }
  return out;
}

/** @public */
export interface TrustBackendOptions {
  /** The features under test, e.g. `[techDebtPlugin]`; the catalog, auth and permission backends are added. */
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** The database to run on, one of {@link trustDatabases}. */
  database: TrustDatabase;
  /** More config, merged over what the trust backend sets (which is the portal's own for auth and permissions). */
  config?: JsonObject;
  /** The scheduler; a mock scheduler that runs no task on its own unless given. */
  scheduler?: MockScheduler;
}

/** @public */
export interface TrustBackend {
  backend: TestBackend;
  /** The base URL of the running backend, e.g. `http://localhost:40123`. */
  baseUrl: string;
  /** `Bearer <token>` for the static CI token of the portal's app-config.yaml, with its access restrictions. */
  ciAuthorization: string;
  /** `Bearer <token>` of a real user token for `userRef`, issued by the auth backend's sign-in; cached per user. */
  signIn(userRef: string): Promise<string>;
  /** The `Authorization` header of a caller (undefined for `none`); every person is signed in at start. */
  authorization(who: TrustCaller): string | undefined;
  /** A supertest request to `path` (e.g. `/api/tech-debt/v1/items`) as `who`. */
  call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    who: TrustCaller,
  ): request.Test;
  /** Stops the backend and drops its databases. */
  stop(): Promise<void>;
}

/**
 * Starts a test backend with the portal's real security: the auth backend issuing real user tokens, Backstage's real
 * auth, httpAuth, userInfo and permissions services, the permission backend with the Vitals policy (and its catalog
 * rule), the catalog with the example org, the portal's static CI token with its access restrictions and admin groups
 * as app-config.yaml has them, and the real events service. It resolves when the example catalog is served.
 *
 * @public
 */
export async function startTrustBackend(
  options: TrustBackendOptions,
): Promise<TrustBackend> {
  const portal = portalConfig();
  const portalBackend = (portal.backend ?? {}) as JsonObject;
  const portalAuth = (portalBackend.auth ?? {}) as JsonObject;
  const externalAccess = (portalAuth.externalAccess ?? []) as JsonObject[];
  const staticToken = externalAccess
    .map(entry => entry.options as JsonObject | undefined)
    .find(opts => typeof opts?.token === 'string')?.token as string | undefined;
  if (!staticToken) {
    throw new Error(
      'app-config.yaml configures no static external-access token',
    );
  }

  const config = merge(
    {
      app: { baseUrl: 'http://localhost:3000' },
      backend: { database: options.database.config, auth: { externalAccess } },
      auth: { providers: { [TEST_PROVIDER_ID]: { enabled: true } } },
      permission: { enabled: true },
      catalog: exampleCatalogConfig(),
      vitals: {
        adminGroups: ((portal.vitals as JsonObject | undefined)?.adminGroups ??
          []) as string[],
      },
    },
    options.config ?? {},
  );

  const scheduler = options.scheduler ?? mockScheduler();
  const backend = await startTestBackend({
    features: [
      ...options.features,
      catalogPlugin,
      permissionPlugin,
      vitalsPolicy,
      authPlugin,
      authModuleTestSignIn,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      eventsServiceFactory,
      scheduler.factory(),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });

  const baseUrl = serverUrl(backend.server);
  const tokens = new Map<string, Promise<string>>();
  const signIn = (userRef: string) => {
    if (!tokens.has(userRef)) {
      tokens.set(userRef, issueUserToken(baseUrl, userRef));
    }
    return tokens.get(userRef)!;
  };

  const headers: Partial<Record<TrustCaller, string>> = {
    ci: `Bearer ${staticToken}`,
  };
  try {
    const member = await signIn(TRUST_USERS.member);
    await waitForExampleCatalog(backend.server, { authorization: member });
    for (const who of Object.keys(TRUST_USERS) as Array<
      keyof typeof TRUST_USERS
    >) {
      headers[who] = await signIn(TRUST_USERS[who]);
    }
  } catch (error) {
    await backend.stop();
    await options.database.cleanup();
    throw error;
  }

  return {
    backend,
    baseUrl,
    ciAuthorization: `Bearer ${staticToken}`,
    signIn,
    authorization: who => headers[who],
    call(method, url, who) {
      const req = request(backend.server)[method](url);
      return headers[who] ? req.set('Authorization', headers[who]!) : req;
    },
    async stop() {
      await backend.stop();
      await options.database.cleanup();
    },
  };
}

/**
 * Signs in through the test provider. The catalog may not have read the user yet just after start, so a refused
 * sign-in is tried again for up to a minute.
 */
async function issueUserToken(
  baseUrl: string,
  userRef: string,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/auth/${TEST_PROVIDER_ID}/refresh`, {
      headers: {
        [TEST_USER_HEADER]: userRef,
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    const text = await res.text();
    if (res.ok) {
      const token = JSON.parse(text)?.backstageIdentity?.token;
      if (typeof token === 'string') {
        return `Bearer ${token}`;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Could not sign in as ${userRef}: ${res.status} ${text.slice(0, 300)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
