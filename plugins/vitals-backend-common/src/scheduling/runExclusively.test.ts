import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { runExclusively } from './runExclusively';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

describe.each(databases.eachSupportedId())(
  'runExclusively on %s',
  databaseId => {
    let others: Knex[] = [];
    afterEach(async () => {
      await Promise.all(others.map(k => k.destroy()));
      others = [];
    });

    /** A client of its own on the same database (PostgreSQL): another replica as far as the server can tell. */
    function anotherProcess(knex: Knex): Knex {
      if (!databaseId.startsWith('POSTGRES')) return knex;
      const other = knexFactory({
        client: 'pg',
        connection: knex.client.config.connection,
        pool: { min: 0, max: 2 },
      });
      others.push(other);
      return other;
    }

    it('runs once when two processes start the same work at the same moment, and again afterwards', async () => {
      const knex = await databases.init(databaseId);
      const other = anotherProcess(knex);
      let runs = 0;
      const work = async () => {
        runs += 1;
        await new Promise(resolve => setTimeout(resolve, 300));
        return runs;
      };
      const results = await Promise.all([
        runExclusively(knex, 'seed', work),
        runExclusively(other, 'seed', work),
      ]);
      // SQLite is one process, whose scheduler runs a task once at a time: there is nothing to exclude there.
      const exclusive = databaseId.startsWith('POSTGRES');
      expect(runs).toBe(exclusive ? 1 : 2);
      expect(results.map(r => r.ran).sort()).toEqual(
        exclusive ? [false, true] : [true, true],
      );
      // The lock is gone once the work is done, also when the work fails.
      await expect(
        runExclusively(knex, 'seed', async () =>
          Promise.reject(new Error('boom')),
        ),
      ).rejects.toThrow('boom');
      expect(await runExclusively(other, 'seed', async () => 'again')).toEqual({
        ran: true,
        result: 'again',
      });
    });

    it('does not hold back work of another name', async () => {
      const knex = await databases.init(databaseId);
      const other = anotherProcess(knex);
      const slow = runExclusively(
        knex,
        'seed',
        () => new Promise(resolve => setTimeout(() => resolve('slow'), 300)),
      );
      expect(
        await runExclusively(other, 'snapshot', async () => 'fast'),
      ).toEqual({ ran: true, result: 'fast' });
      expect(await slow).toEqual({ ran: true, result: 'slow' });
    });
  },
);

// PostgreSQL only: SQLite's pool is one connection, which a transaction takes whole.
describe.each(
  databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES')),
)('runExclusively with a small pool on %s', databaseId => {
  let small: Knex | undefined;
  afterEach(async () => {
    await small?.destroy();
  });

  it('leaves the work the whole pool: work that needs both connections of a pool of two runs', async () => {
    const knex = await databases.init(databaseId);
    const client = knexFactory({
      client: 'pg',
      connection: knex.client.config.connection,
      pool: { min: 0, max: 2 },
      acquireConnectionTimeout: 5_000,
    });
    small = client;
    // A transaction holds one connection while a query outside it needs the other.
    const run = await runExclusively(client, 'both-connections', () =>
      client.transaction(async trx => {
        await trx.raw('select 1');
        const outside = await client.raw('select 2 as n');
        return outside.rows[0].n;
      }),
    );
    expect(run).toEqual({ ran: true, result: 2 });
  });
});
