import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { spawn } from 'node:child_process';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { migrateToLatest, withSerialisedMigrations } from './migrationLock';

const fixtures = path.resolve(__dirname, '__fixtures__');
const directory = path.join(fixtures, 'migrations');
const tasksDirectory = path.join(fixtures, 'tasks-migrations');
const quietLog = { warn() {}, error() {}, debug() {}, deprecate() {} };

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

/** `count` clients of their own on the same database: as many processes as far as PostgreSQL can tell. */
function processesOn(knex: Knex, count: number): Knex[] {
  const connection = knex.client.config.connection;
  return Array.from({ length: count }, () =>
    knexFactory({
      client: 'pg',
      connection,
      pool: { min: 0, max: 3 },
      log: quietLog,
    }),
  );
}

async function lockRows(knex: Knex) {
  return knex('knex_migrations_lock').select('is_locked').orderBy('index');
}

async function doneMigrations(knex: Knex) {
  return (await knex('knex_migrations').select('name').orderBy('id')).map(
    row => row.name,
  );
}

const allMigrations = [
  '20240101000000_widgets.js',
  '20240101000001_gadgets.js',
];

describe.each(postgresIds)(
  'migrations with several processes on %s',
  databaseId => {
    let clients: Knex[] = [];
    afterEach(async () => {
      await Promise.all(clients.map(client => client.destroy()));
      clients = [];
    });

    it('plain knex fails when processes migrate an empty database at the same moment (the bug)', async () => {
      const knex = await databases.init(databaseId);
      clients = processesOn(knex, 6);
      const results = await Promise.allSettled(
        clients.map(client => client.migrate.latest({ directory })),
      );
      expect(
        results.filter(result => result.status === 'rejected').length,
      ).toBeGreaterThan(0);
    });

    it('migrateToLatest: six processes on an empty database all succeed, each migration runs once', async () => {
      const knex = await databases.init(databaseId);
      clients = processesOn(knex, 6);
      const results = await Promise.allSettled(
        clients.map(client => migrateToLatest(client, { directory })),
      );
      expect(results.map(result => result.status)).toEqual(
        Array(6).fill('fulfilled'),
      );
      expect(await doneMigrations(knex)).toEqual(allMigrations);
      expect(await lockRows(knex)).toEqual([{ is_locked: 0 }]);
    });

    it('migrateToLatest: processes on a half-migrated database finish it', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ directory });
      clients = processesOn(knex, 4);
      await Promise.all(
        clients.map(client => migrateToLatest(client, { directory })),
      );
      expect(await doneMigrations(knex)).toEqual(allMigrations);
    });

    it.each([
      [
        'two unlocked rows (two processes created the lock table at once)',
        [0, 0],
        /Removed 1 duplicate row/,
      ],
      [
        'a lock left set (a process died mid-migration)',
        [1],
        /Released the migration lock in knex_migrations_lock/,
      ],
    ])(
      'migrateToLatest repairs %s, which blocks plain knex for good',
      async (_, rows, warning) => {
        const knex = await databases.init(databaseId);
        await knex.migrate.up({ directory });
        await knex('knex_migrations_lock').delete();
        await knex('knex_migrations_lock').insert(
          rows.map(is_locked => ({ is_locked })),
        );
        const warnings: string[] = [];
        const logger = {
          info() {},
          warn: (message: string) => warnings.push(message),
        };

        const [plain] = processesOn(knex, 1);
        clients = [plain];
        await expect(plain.migrate.latest({ directory })).rejects.toThrow(
          /already locked/,
        );

        await migrateToLatest(knex, { directory, logger });
        expect(await doneMigrations(knex)).toEqual(allMigrations);
        expect(await lockRows(knex)).toEqual([{ is_locked: 0 }]);
        expect(warnings).toEqual([expect.stringMatching(warning)]);
      },
    );

    it('a process killed mid-migration does not block the next start', async () => {
      const knex = await databases.init(databaseId);
      const connection = knex.client.config.connection;
      const child = spawn(
        process.execPath,
        [
          path.join(fixtures, 'migrateAndHang.js'),
          JSON.stringify(connection),
          directory,
        ],
        {
          env: { ...process.env, FIXTURE_MIGRATION_SLEEP_SECONDS: '30' },
          stdio: 'ignore',
        },
      );
      const exited = new Promise(resolve => child.on('exit', resolve));
      try {
        // Wait until the child sits in the slow migration with knex's lock taken.
        for (let i = 0; i < 200; i++) {
          const { rows } = await knex.raw(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and query like 'select pg_sleep(30)%'`,
          );
          if (rows[0].n > 0) break;
          await new Promise(resolve => setTimeout(resolve, 100));
        }
        expect(await lockRows(knex)).toEqual([{ is_locked: 1 }]);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }

      const start = Date.now();
      await migrateToLatest(knex, {
        directory,
        logger: { info() {}, warn() {} },
      });
      expect(Date.now() - start).toBeLessThan(10_000);
      expect(await doneMigrations(knex)).toEqual(allMigrations);
      expect(await lockRows(knex)).toEqual([{ is_locked: 0 }]);
    });

    it('withSerialisedMigrations: plain migrate.latest calls take turns, and the client works as before', async () => {
      const knex = await databases.init(databaseId);
      clients = processesOn(knex, 5);
      const wrapped = clients.map(client =>
        withSerialisedMigrations(client, { logger: { info() {}, warn() {} } }),
      );
      await Promise.all(
        wrapped.map(client => client.migrate.latest({ directory })),
      );
      expect(await doneMigrations(knex)).toEqual(allMigrations);
      expect(await lockRows(knex)).toEqual([{ is_locked: 0 }]);

      const [client] = wrapped;
      await client('widgets').insert({ id: 'w1' });
      await client.transaction(async trx =>
        trx('gadgets').insert({ id: 'g1' }),
      );
      expect(await client('widgets').select('id')).toEqual([{ id: 'w1' }]);
      expect(await client.schema.hasTable('gadgets')).toBe(true);
      // Listing is not a migration: it passes straight through.
      const [completed, pending] = await client.migrate.list({ directory });
      expect([completed.length, pending.length]).toEqual([2, 0]);
    });

    it("a plugin's migrations and its scheduler's, waiting at once for another replica, do not exhaust a pool of 3", async () => {
      // Backstage gives a plugin and its scheduler one pool (production: max 3). Waiting for the advisory lock must
      // not hold a connection of that pool, or the three waiters hold all three and none can migrate when its turn
      // comes (they wait for a connection until knex's acquire timeout, and the plugin fails to start).
      const knex = await databases.init(databaseId);
      const connection = knex.client.config.connection;
      const replica = knexFactory({
        client: 'pg',
        connection,
        pool: { min: 0, max: 3 },
        acquireConnectionTimeout: 5_000,
        log: quietLog,
      });
      clients = [replica];
      const wrapped = withSerialisedMigrations(replica, {
        logger: { info() {}, warn() {} },
        pollIntervalMs: 50,
      });
      // The other replica is migrating both tables.
      const other = await knex.client.acquireRawConnection();
      const keys = [
        ['knex_migrations_lock'],
        ['tasks_knex_migrations_lock'],
      ].map(([table]) => ['vitals.migrations.database-service', null, table]);
      try {
        for (const key of keys) {
          await other.query(
            `select pg_advisory_lock(hashtext($1), hashtext(coalesce($2::text, current_schema()) || '.' || $3))`,
            key,
          );
        }
        const plugin = migrateToLatest(wrapped, {
          directory,
          logger: { info() {}, warn() {} },
        });
        const scheduler = wrapped.migrate.latest({
          directory: tasksDirectory,
          tableName: 'tasks_knex_migrations',
        });
        await new Promise(resolve => setTimeout(resolve, 500));
        for (const key of keys) {
          await other.query(
            `select pg_advisory_unlock(hashtext($1), hashtext(coalesce($2::text, current_schema()) || '.' || $3))`,
            key,
          );
        }
        const results = await Promise.allSettled([plugin, scheduler]);
        expect(results).toEqual([
          { status: 'fulfilled', value: undefined },
          { status: 'fulfilled', value: expect.anything() },
        ]);
      } finally {
        await knex.client.destroyRawConnection(other);
      }
      expect(await doneMigrations(knex)).toEqual(allMigrations);
      expect(await knex.schema.hasTable('tasks')).toBe(true);
    });

    it('migrateToLatest inside a client that serialises migrations too does not deadlock', async () => {
      const knex = await databases.init(databaseId);
      clients = processesOn(knex, 3);
      const wrapped = clients.map(client =>
        withSerialisedMigrations(client, { logger: { info() {}, warn() {} } }),
      );
      await Promise.all(
        wrapped.map(client =>
          migrateToLatest(client, {
            directory,
            logger: { info() {}, warn() {} },
          }),
        ),
      );
      expect(await doneMigrations(knex)).toEqual(allMigrations);
    });
  },
);

describe.each(
  databases.eachSupportedId().filter(([id]) => id.startsWith('SQLITE')),
)('on %s', databaseId => {
  it('migrateToLatest migrates, and withSerialisedMigrations leaves the client as it is', async () => {
    const knex = await databases.init(databaseId);
    expect(withSerialisedMigrations(knex)).toBe(knex);
    await migrateToLatest(knex, { directory });
    expect(await doneMigrations(knex)).toEqual(allMigrations);
    expect(await lockRows(knex)).toEqual([{ is_locked: 0 }]);
  });
});
