import { Knex } from 'knex';

/** Whether the knex client talks to PostgreSQL. */
export function isPostgres(knex: Knex): boolean {
  const dialect = knex.client.config?.client;
  return (
    dialect === 'pg' ||
    dialect === 'postgres' ||
    dialect === 'postgresql' ||
    knex.client.dialect === 'postgresql'
  );
}

/** The part of a `pg` client that a session of its own needs. */
export interface PostgresSession {
  query(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/**
 * Runs `fn` with a PostgreSQL connection of its own: opened with the knex client's settings (search path included) but
 * outside its pool, and closed when `fn` settles.
 *
 * For session advisory locks held while other work runs. Backstage gives a plugin and everything it uses (its
 * scheduler, its migrations) one small pool; a lock held, or waited for, on a connection of that pool takes a
 * connection from the very work it guards, and three such waiters fill a pool of three for good.
 */
export async function withPostgresSession<T>(
  knex: Knex,
  fn: (session: PostgresSession) => Promise<T>,
): Promise<T> {
  // A connection given as a function (cloud credentials) is only read when the pool opens its first connection.
  if (knex.client.connectionSettings === undefined) await knex.raw('select 1');
  const session: PostgresSession = await knex.client.acquireRawConnection();
  try {
    return await fn(session);
  } finally {
    await knex.client.destroyRawConnection(session);
  }
}
