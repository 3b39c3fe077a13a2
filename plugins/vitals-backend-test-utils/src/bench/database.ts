import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** @public */
export type BenchDatabaseKind = 'sqlite' | 'postgres';

/**
 * A database of its own for one bench run.
 *
 * @public
 */
export interface BenchDatabase {
  kind: BenchDatabaseKind;
  /** What to print, e.g. `PostgreSQL 15.8 (vitals_bench_tech_debt)`. */
  label: string;
  knex: Knex;
  /** The connection string of the bench database (PostgreSQL) or the SQLite file's name. */
  location: string;
  /** Refreshes the planner's statistics after seeding (PostgreSQL; nothing to do on SQLite). */
  analyze(): Promise<void>;
  /** Closes the connections and drops the database or removes the file, unless BENCH_KEEP is set. */
  cleanUp(): Promise<void>;
}

/** @public */
export interface OpenBenchDatabaseOptions {
  /** Names the database: `vitals_bench_<name>` on PostgreSQL, `vitals-bench-<name>.sqlite` in the temp directory. */
  name: string;
  /**
   * What to use when BENCH_DATABASE is not set: `sqlite` (the default), `postgres`, or `auto` (PostgreSQL when it
   * answers, else SQLite).
   */
  default?: BenchDatabaseKind | 'auto';
  /** The bench runs PostgreSQL-only SQL: BENCH_DATABASE is not read. */
  postgresOnly?: boolean;
  /** Where BENCH_DATABASE, BENCH_PG_CONNECTION and BENCH_KEEP are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/** @public */
export const DEFAULT_BENCH_PG_CONNECTION =
  'postgresql://postgres@127.0.0.1:5432';

/**
 * The kind of database BENCH_DATABASE asks for.
 *
 * @public
 */
export function wantedBenchDatabase(
  options: OpenBenchDatabaseOptions,
): BenchDatabaseKind | 'auto' {
  if (options.postgresOnly) return 'postgres';
  const wanted =
    (options.env ?? process.env).BENCH_DATABASE?.toLowerCase() ||
    options.default ||
    'sqlite';
  if (wanted === 'sqlite' || wanted === 'auto') return wanted;
  if (['postgres', 'postgresql', 'pg'].includes(wanted)) return 'postgres';
  throw new Error(
    `BENCH_DATABASE must be sqlite, postgres or auto, got '${wanted}'`,
  );
}

/**
 * Opens an empty database for a bench: a SQLite file in the temp directory, or a PostgreSQL database created on the
 * server of BENCH_PG_CONNECTION (dropped first when a previous run left it).
 *
 * @public
 */
export async function openBenchDatabase(
  options: OpenBenchDatabaseOptions,
): Promise<BenchDatabase> {
  const env = options.env ?? process.env;
  const wanted = wantedBenchDatabase(options);
  if (wanted !== 'sqlite') {
    try {
      return await openPostgres(options.name, env, wanted === 'auto');
    } catch (error) {
      if (wanted === 'postgres') throw error;
      process.stdout.write(
        `PostgreSQL did not answer (${
          (error as Error).message
        }); using SQLite\n`,
      );
    }
  }
  return openSqlite(options.name, env);
}

const QUIET_LOG = { warn() {}, error() {}, debug() {}, deprecate() {} };

async function openPostgres(
  name: string,
  env: NodeJS.ProcessEnv,
  probing: boolean,
): Promise<BenchDatabase> {
  const database = `vitals_bench_${name.replace(/-/g, '_')}`;
  const connection = env.BENCH_PG_CONNECTION ?? DEFAULT_BENCH_PG_CONNECTION;
  const admin = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 1 },
    // When only probing whether PostgreSQL is there, do not wait long for it, and leave the reporting to the caller.
    ...(probing ? { acquireConnectionTimeout: 3000, log: QUIET_LOG } : {}),
  });
  try {
    // with (force): a bench's test backend may not have closed its connection pools yet.
    await admin.raw('drop database if exists ?? with (force)', [database]);
    await admin.raw('create database ??', [database]);
  } catch (error) {
    await admin.destroy();
    throw error;
  }
  const url = new URL(connection);
  url.pathname = `/${database}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
  const version = (await knex.raw('show server_version')).rows[0]
    .server_version;
  return {
    kind: 'postgres',
    label: `PostgreSQL ${version} (${database})`,
    knex,
    location: url.toString(),
    async analyze() {
      await knex.raw('analyze');
    },
    async cleanUp() {
      await knex.destroy();
      if (!env.BENCH_KEEP)
        await admin.raw('drop database if exists ?? with (force)', [database]);
      await admin.destroy();
    },
  };
}

function openSqlite(name: string, env: NodeJS.ProcessEnv): BenchDatabase {
  const filename = path.join(os.tmpdir(), `vitals-bench-${name}.sqlite`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${filename}${suffix}`, { force: true });
  };
  remove();
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  return {
    kind: 'sqlite',
    label: `SQLite (better-sqlite3, ${filename})`,
    knex,
    location: filename,
    async analyze() {},
    async cleanUp() {
      await knex.destroy();
      if (!env.BENCH_KEEP) remove();
    },
  };
}
