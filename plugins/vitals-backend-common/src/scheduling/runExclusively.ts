import { Knex } from 'knex';
import { isPostgres, withPostgresSession } from '../database/postgresSession';

/**
 * What {@link runExclusively} did.
 *
 * @public
 */
export type ExclusiveRun<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `fn` unless a process (this one or another replica) is running `fn` under the same `name` on the same database
 * right now; then it returns `{ ran: false }` at once.
 *
 * For scheduled work that must never run twice at the same time, such as a demo seed that checks "is there data yet?"
 * and then writes. A task with scope `global` already runs on one replica at a time, but only while each run finishes
 * within its timeout: once the timeout passes, another replica may start the task while the first run still goes on.
 * This closes that gap. On PostgreSQL it holds a session advisory lock while `fn` runs, on a connection of its own
 * outside the pool (released when `fn` settles, or by the server when the process dies, so a crash never blocks the
 * next run). On other databases (SQLite: one process, whose scheduler already runs a task once at a time) it just runs
 * `fn`.
 *
 * @public
 */
export async function runExclusively<T>(
  knex: Knex,
  name: string,
  fn: () => Promise<T>,
): Promise<ExclusiveRun<T>> {
  if (!isPostgres(knex)) return { ran: true, result: await fn() };
  // A connection outside the pool, which `fn` has whole (see withPostgresSession).
  return withPostgresSession(knex, async connection => {
    const key = [`vitals.exclusive-run`, name];
    const { rows } = await connection.query(
      'select pg_try_advisory_lock(hashtext($1), hashtext($2)) as taken',
      key,
    );
    if (!rows[0]?.taken) return { ran: false };
    try {
      return { ran: true, result: await fn() };
    } finally {
      // Closing the session releases the lock too, so a failed unlock changes nothing.
      await connection
        .query('select pg_advisory_unlock(hashtext($1), hashtext($2))', key)
        .catch(() => undefined);
    }
  });
}
