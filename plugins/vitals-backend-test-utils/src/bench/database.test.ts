import knexFactory from 'knex';
import fs from 'node:fs';
import { openBenchDatabase, wantedBenchDatabase } from './database';

jest.setTimeout(30_000);

describe('wantedBenchDatabase', () => {
  it("reads BENCH_DATABASE, else the bench's default, else SQLite", () => {
    expect(wantedBenchDatabase({ name: 'x', env: {} })).toBe('sqlite');
    expect(wantedBenchDatabase({ name: 'x', default: 'auto', env: {} })).toBe(
      'auto',
    );
    expect(
      wantedBenchDatabase({
        name: 'x',
        default: 'auto',
        env: { BENCH_DATABASE: 'SQLite' },
      }),
    ).toBe('sqlite');
    expect(
      wantedBenchDatabase({ name: 'x', env: { BENCH_DATABASE: 'pg' } }),
    ).toBe('postgres');
    expect(
      wantedBenchDatabase({ name: 'x', env: { BENCH_DATABASE: 'postgresql' } }),
    ).toBe('postgres');
  });

  it('is PostgreSQL whatever BENCH_DATABASE says for a PostgreSQL-only bench', () => {
    expect(
      wantedBenchDatabase({
        name: 'x',
        postgresOnly: true,
        env: { BENCH_DATABASE: 'sqlite' },
      }),
    ).toBe('postgres');
  });

  it('refuses a database it does not know', () => {
    expect(() =>
      wantedBenchDatabase({ name: 'x', env: { BENCH_DATABASE: 'mysql' } }),
    ).toThrow("BENCH_DATABASE must be sqlite, postgres or auto, got 'mysql'");
  });
});

describe('openBenchDatabase', () => {
  it('opens an empty SQLite file in the temp directory and removes it afterwards', async () => {
    const first = await openBenchDatabase({
      name: 'test-utils-selftest',
      env: {},
    });
    expect(first.kind).toBe('sqlite');
    expect(first.location).toMatch(/vitals-bench-test-utils-selftest\.sqlite$/);
    await first.knex.schema.createTable('t', t => t.integer('n'));
    await first.knex('t').insert({ n: 1 });
    await first.analyze();
    await first.cleanUp();
    expect(fs.existsSync(first.location)).toBe(false);

    // BENCH_KEEP leaves the file for a look at it, and the next run starts empty all the same.
    const kept = await openBenchDatabase({
      name: 'test-utils-selftest',
      env: { BENCH_KEEP: '1' },
    });
    await kept.knex.schema.createTable('t', t => t.integer('n'));
    await kept.cleanUp();
    expect(fs.existsSync(kept.location)).toBe(true);
    const again = await openBenchDatabase({
      name: 'test-utils-selftest',
      env: {},
    });
    expect(await again.knex.schema.hasTable('t')).toBe(false);
    await again.cleanUp();
    expect(fs.existsSync(again.location)).toBe(false);
  });

  it('falls back to SQLite when PostgreSQL does not answer and the bench allows either', async () => {
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(() => true);
    // knex itself logs the refused connection when it is not only probing.
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const env = { BENCH_PG_CONNECTION: 'postgresql://postgres@127.0.0.1:1' };
      const db = await openBenchDatabase({
        name: 'test-utils-selftest',
        default: 'auto',
        env,
      });
      expect(db.kind).toBe('sqlite');
      expect(write).toHaveBeenCalledWith(
        expect.stringMatching(/^PostgreSQL did not answer .*; using SQLite\n$/),
      );
      await db.cleanUp();
      await expect(
        openBenchDatabase({
          name: 'test-utils-selftest',
          default: 'postgres',
          env,
        }),
      ).rejects.toThrow();
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
  });

  // On PostgreSQL only where the store tests run on it too (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING).
  const postgres =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (postgres) {
    it('creates a PostgreSQL database of its own and drops it afterwards', async () => {
      const env = { BENCH_PG_CONNECTION: postgres };
      const db = await openBenchDatabase({
        name: 'test-utils-selftest',
        default: 'auto',
        env,
      });
      expect(db.kind).toBe('postgres');
      expect(db.label).toMatch(
        /^PostgreSQL \d+\.\d+.* \(vitals_bench_test_utils_selftest\)$/,
      );
      expect(new URL(db.location).pathname).toBe(
        '/vitals_bench_test_utils_selftest',
      );
      await db.knex.schema.createTable('t', t => t.integer('n'));
      await db.analyze();
      await db.cleanUp();

      const admin = knexFactory({ client: 'pg', connection: postgres });
      try {
        const rows = (
          await admin.raw('select 1 from pg_database where datname = ?', [
            'vitals_bench_test_utils_selftest',
          ])
        ).rows;
        expect(rows).toEqual([]);
      } finally {
        await admin.destroy();
      }
    });
  }
});
