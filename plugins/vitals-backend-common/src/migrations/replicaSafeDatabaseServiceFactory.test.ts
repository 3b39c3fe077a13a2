import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createBackendPlugin,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { POSTGRES15_CONNECTION_STRING_VARIABLE } from '@vitals/backend-test-utils';
import knexFactory from 'knex';
import path from 'node:path';
import { replicaSafeDatabaseServiceFactory } from './replicaSafeDatabaseServiceFactory';

const directory = path.resolve(__dirname, '__fixtures__/migrations');
const connectionString = process.env[POSTGRES15_CONNECTION_STRING_VARIABLE];

jest.setTimeout(60_000);

/** A plugin that migrates its database in init with plain knex, as Backstage's own plugins (catalog, auth, ...) do. */
const widgetsPlugin = createBackendPlugin({
  pluginId: 'widgets',
  register(env) {
    env.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        const knex = await database.getClient();
        await knex.migrate.latest({ directory });
      },
    });
  },
});

async function startReplica(prefix: string, database: ServiceFactory) {
  return startTestBackend({
    features: [
      database,
      widgetsPlugin,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'pg', connection: connectionString, prefix },
          },
        },
      }),
    ],
  });
}

const describeOnPostgres = connectionString ? describe : describe.skip;

describeOnPostgres('replicaSafeDatabaseServiceFactory on PostgreSQL', () => {
  const prefixes: string[] = [];
  const admin = connectionString
    ? knexFactory({ client: 'pg', connection: connectionString })
    : undefined;

  afterAll(async () => {
    for (const prefix of prefixes) {
      await admin!.raw('drop database if exists ?? with (force)', [
        `${prefix}widgets`,
      ]);
    }
    await admin?.destroy();
  });

  function freshPrefix() {
    const prefix = `vitals_replica_safe_${process.pid}_${prefixes.length}_`;
    prefixes.push(prefix);
    return prefix;
  }

  it("with Backstage's own database service, replicas starting together fail (the bug)", async () => {
    const prefix = freshPrefix();
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => startReplica(prefix, databaseServiceFactory)),
    );
    await Promise.all(
      results.map(r => (r.status === 'fulfilled' ? r.value.stop() : undefined)),
    );
    expect(results.some(r => r.status === 'rejected')).toBe(true);
  });

  it('three replicas starting together on an empty database all start, and migrate it once', async () => {
    const prefix = freshPrefix();
    const results = await Promise.allSettled(
      [0, 1, 2].map(() =>
        startReplica(prefix, replicaSafeDatabaseServiceFactory),
      ),
    );
    await Promise.all(
      results.map(r => (r.status === 'fulfilled' ? r.value.stop() : undefined)),
    );
    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);

    const url = new URL(connectionString!);
    url.pathname = `/${prefix}widgets`;
    const db = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      expect(
        (await db('knex_migrations').select('name')).map(r => r.name),
      ).toEqual(['20240101000000_widgets.js', '20240101000001_gadgets.js']);
      expect(await db('knex_migrations_lock').select('is_locked')).toEqual([
        { is_locked: 0 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
