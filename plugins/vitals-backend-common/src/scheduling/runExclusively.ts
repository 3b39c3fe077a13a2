import { Knex } from 'knex';

/**
 * What {@link runExclusively} did.
 *
 * @public
 */
export type ExclusiveRun<T> = { ran: true; result: T } | { ran: false };

function isPostgres(knex: Knex): boolean {
  const dialect = knex.client.config?.client;
  return (
    dialect === 'pg' ||
    dialect === 'postgres' ||
    dialect === 'postgresql' ||
    knex.client.dialect === 'postgresql'
  );
}

/**
 * Runs `fn` unless a process (this one or another replica) is running `fn` under the same `name` on the same database
 * right now; then it returns `{ ran: false }` at once.
 *
 * For scheduled work that must never run twice at the same time, such as a demo seed that checks "is there data yet?"
 * and then writes. A task with scope `global` already runs on one replica at a time, but only while each run finishes
 * within its timeout: once the timeout passes, another replica may start the task while the first run still goes on.
 * This closes that gap. On PostgreSQL it holds a session advisory lock on a connection of the pool of its own while `fn`
 * runs (released when `fn` settles, or by the server when the process dies, so a crash never blocks the next run). On
 * other databases (SQLite: one process, whose scheduler already runs a task once at a time) it just runs `fn`.
 *
 * @public
 */
export async function runExclusively<T>(
  knex: Knex,
  name: string,
  fn: () => Promise<T>,
): Promise<ExclusiveRun<T>> {
  if (!isPostgres(knex)) return { ran: true, result: await fn() };
  const connection = await knex.client.acquireConnection();
  try {
    const key = [`vitals.exclusive-run`, name];
    const { rows } = await connection.query(
      'select pg_try_advisory_lock(hashtext($1), hashtext($2)) as taken',
      key,
    );
    if (!rows[0]?.taken) return { ran: false };
    try {
      return { ran: true, result: await fn() };
    } finally {
      await connection.query(
        'select pg_advisory_unlock(hashtext($1), hashtext($2))',
        key,
      );
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
