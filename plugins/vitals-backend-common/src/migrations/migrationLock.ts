import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  isPostgres,
  PostgresSession,
  withPostgresSession,
} from '../database/postgresSession';

/**
 * Which lock a caller takes. Locks of different purposes never wait for each other, so that `migrateToLatest` (a
 * plugin's own call) can run inside a database service that serialises every migration too (the nested
 * `knex.migrate.latest` then takes the other lock, always in that order, so two processes cannot deadlock).
 *
 * @public
 */
export type MigrationLockPurpose = 'plugin' | 'database-service';

/**
 * Where the lock of one migrations table is taken and which knex tables it repairs.
 *
 * @public
 */
export interface MigrationLockOptions {
  /** knex's migrations table (default `knex_migrations`); its lock table is `<tableName>_lock`. */
  tableName?: string;
  /** The schema of the migrations table; the connection's current schema when left out. */
  schemaName?: string;
  /** Says what was repaired and that the process waits for another one. knex's own logger when left out. */
  logger?: Pick<LoggerService, 'info' | 'warn'>;
  /** See {@link MigrationLockPurpose}; `plugin` when left out. */
  purpose?: MigrationLockPurpose;
  /** How often to ask for the lock while another process holds it, in ms (default 200). */
  pollIntervalMs?: number;
}

/**
 * What {@link withMigrationLock} found and fixed in knex's lock table before it ran the migrations.
 *
 * @public
 */
export interface MigrationLockRepair {
  /** Extra rows removed from the lock table (two processes that created it at once each inserted one). */
  duplicateRowsRemoved: number;
  /** Whether the table said "locked" although no process was migrating (a process died mid-migration). */
  staleLockReleased: boolean;
}

const DEFAULT_TABLE_NAME = 'knex_migrations';

// Advisory locks are per database already; the key also names the schema and the lock table, so that a plugin's
// migrations and those of the scheduler or the auth key store in the same database do not wait for each other.
const LOCK_KEY_SQL = `hashtext($1), hashtext(coalesce($2::text, current_schema()) || '.' || $3)`;

function lockKeyParams(
  purpose: MigrationLockPurpose,
  schemaName: string | undefined,
  lockTableName: string,
) {
  return [`vitals.migrations.${purpose}`, schemaName ?? null, lockTableName];
}

async function takeAdvisoryLock(
  connection: PostgresSession,
  params: unknown[],
  what: string,
  logger: Pick<LoggerService, 'info'>,
  pollIntervalMs: number,
): Promise<void> {
  // pg_try_advisory_lock in a loop rather than the blocking pg_advisory_lock: a statement_timeout cannot cut the wait
  // short, and the log says why start-up pauses.
  let waitingSince: number | undefined;
  for (;;) {
    const { rows } = await connection.query(
      `select pg_try_advisory_lock(${LOCK_KEY_SQL}) as taken`,
      params,
    );
    if (rows[0]?.taken) {
      if (waitingSince !== undefined) {
        logger.info(
          `Another process finished migrating ${what} after ${
            Date.now() - waitingSince
          } ms; checking for new migrations`,
        );
      }
      return;
    }
    if (waitingSince === undefined) {
      waitingSince = Date.now();
      logger.info(`Waiting for another process to finish migrating ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, pollIntervalMs));
  }
}

async function releaseAdvisoryLock(
  connection: PostgresSession,
  params: unknown[],
): Promise<void> {
  await connection.query(`select pg_advisory_unlock(${LOCK_KEY_SQL})`, params);
}

/**
 * Repairs knex's lock table so that `migrate.latest` can take it: exactly one row, unlocked. Only safe while holding
 * the advisory lock, that is while no other process migrates this table.
 *
 * @public
 */
export async function repairMigrationLockTable(
  knex: Knex,
  options: { tableName?: string; schemaName?: string } = {},
): Promise<MigrationLockRepair> {
  const lockTableName = `${options.tableName ?? DEFAULT_TABLE_NAME}_lock`;
  const schema = () =>
    options.schemaName
      ? knex.schema.withSchema(options.schemaName)
      : knex.schema;
  const table = () =>
    options.schemaName
      ? knex(lockTableName).withSchema(options.schemaName)
      : knex(lockTableName);
  if (!(await schema().hasTable(lockTableName))) {
    return { duplicateRowsRemoved: 0, staleLockReleased: false };
  }
  const [{ keep }] = await table().min({ keep: 'index' });
  const duplicateRowsRemoved =
    keep === null ? 0 : await table().whereNot('index', keep).delete();
  const staleLockReleased =
    (await table().whereNot('is_locked', 0).update({ is_locked: 0 })) > 0;
  return { duplicateRowsRemoved, staleLockReleased };
}

/**
 * Runs `fn` (which migrates one knex migrations table) while no other process does the same, and first repairs knex's
 * lock table (see {@link repairMigrationLockTable}).
 *
 * On PostgreSQL it holds a session advisory lock from before knex looks at its tables until `fn` settles: replicas
 * starting together take turns instead of failing with `MigrationLocked`, and racing to create knex's lock table can no
 * longer leave two rows in it. The lock's session is a connection of its own, outside the knex pool, so that waiting
 * never takes a connection the migrations need. The advisory lock goes away with the session, so a process killed
 * mid-migration never blocks the next start; the lock row it left behind is reset by the next process to take the
 * advisory lock. On other databases (SQLite: one process) it just runs `fn`.
 *
 * @public
 */
export async function withMigrationLock<T>(
  knex: Knex,
  options: MigrationLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  if (!isPostgres(knex)) return fn();
  const knexLogger = knex.client.logger;
  const logger = options.logger ?? {
    info: (message: string) => knexLogger.debug?.(message),
    warn: (message: string) => knexLogger.warn?.(message),
  };
  const lockTableName = `${options.tableName ?? DEFAULT_TABLE_NAME}_lock`;
  const database = (
    knex.client.config?.connection as { database?: string } | undefined
  )?.database;
  const what = `${database ? `database ${database}, ` : ''}table ${
    options.schemaName ? `${options.schemaName}.` : ''
  }${options.tableName ?? DEFAULT_TABLE_NAME}`;
  const keys = lockKeyParams(
    options.purpose ?? 'plugin',
    options.schemaName,
    lockTableName,
  );
  // A connection outside the plugin's pool: waiting must not take a connection that migrations need (see
  // withPostgresSession).
  return withPostgresSession(knex, async connection => {
    await takeAdvisoryLock(
      connection,
      keys,
      what,
      logger,
      options.pollIntervalMs ?? 200,
    );
    try {
      const repair = await repairMigrationLockTable(knex, options);
      if (repair.duplicateRowsRemoved > 0) {
        logger.warn(
          `Removed ${repair.duplicateRowsRemoved} duplicate row(s) from ${lockTableName} (${what}): processes that once created it at the same moment each added one`,
        );
      }
      if (repair.staleLockReleased) {
        logger.warn(
          `Released the migration lock in ${lockTableName} (${what}): a process stopped mid-migration and left it set; no process is migrating now`,
        );
      }
      return await fn();
    } finally {
      // Closing the session releases the lock too, so a failed unlock changes nothing.
      await releaseAdvisoryLock(connection, keys).catch(() => undefined);
    }
  });
}

/**
 * `knex.migrate.latest(config)`, one process at a time on PostgreSQL, after repairing knex's lock table (see
 * {@link withMigrationLock}). Each Vitals store calls it instead of `migrate.latest`, so that several backend replicas
 * on one database may start together and a replica killed mid-migration never blocks the next start.
 *
 * @public
 */
export async function migrateToLatest(
  knex: Knex,
  config: Knex.MigratorConfig & Pick<MigrationLockOptions, 'logger'>,
): Promise<void> {
  const { logger, ...migratorConfig } = config;
  await withMigrationLock(
    knex,
    {
      tableName: migratorConfig.tableName,
      schemaName: migratorConfig.schemaName,
      logger,
      purpose: 'plugin',
    },
    () => knex.migrate.latest(migratorConfig),
  );
}

const SERIALISED_MIGRATOR_METHODS = new Set([
  'latest',
  'up',
  'down',
  'rollback',
]);

/**
 * The same knex client, except that `migrate.latest`, `up`, `down` and `rollback` run inside
 * {@link withMigrationLock} (purpose `database-service`). The replica-safe database service hands plugins this client,
 * so that every plugin's migrations (Backstage's own included: catalog, auth, scheduler, notifications, ...) are
 * serialised across replicas without changing the plugins.
 *
 * @public
 */
export function withSerialisedMigrations(
  knex: Knex,
  options: Pick<MigrationLockOptions, 'logger' | 'pollIntervalMs'> = {},
): Knex {
  if (!isPostgres(knex)) return knex;
  return new Proxy(knex, {
    get(target, property, receiver) {
      if (property !== 'migrate')
        return Reflect.get(target, property, receiver);
      const migrator = target.migrate;
      return new Proxy(migrator, {
        get(m, method) {
          const value = Reflect.get(m, method, m);
          if (typeof value !== 'function') return value;
          if (!SERIALISED_MIGRATOR_METHODS.has(String(method)))
            return value.bind(m);
          return (config?: Knex.MigratorConfig, ...rest: unknown[]) =>
            withMigrationLock(
              target,
              {
                tableName:
                  config?.tableName ??
                  target.client.config?.migrations?.tableName,
                schemaName:
                  config?.schemaName ??
                  target.client.config?.migrations?.schemaName,
                logger: options.logger,
                pollIntervalMs: options.pollIntervalMs,
                purpose: 'database-service',
              },
              () => value.call(m, config, ...rest),
            );
        },
      });
    },
  });
}
