import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vitalsTestDatabases } from './databases';
import { errorMessageOf, existingTables, migrateUpDownUp } from './migrations';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

// Two migrations of a small plugin schema, written the way the plugins write theirs.
const directory = fs.mkdtempSync(
  path.join(os.tmpdir(), 'vitals-test-utils-migrations-'),
);
fs.writeFileSync(
  path.join(directory, '20260101000000_init.js'),
  `exports.up = async knex => {
     await knex.schema.createTable('widgets', t => { t.string('id').primary(); t.string('name').notNullable().unique(); });
   };
   exports.down = async knex => { await knex.schema.dropTable('widgets'); };`,
);
fs.writeFileSync(
  path.join(directory, '20260102000000_parts.js'),
  `exports.up = async knex => {
     await knex.schema.createTable('widget_parts', t => { t.string('widget_id').notNullable(); t.string('part').notNullable(); });
   };
   exports.down = async knex => { await knex.schema.dropTable('widget_parts'); };`,
);
const TABLES = ['widgets', 'widget_parts'];

afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  it('reports the schema after migrating up, rolling everything back and migrating up again', async () => {
    const knex = await databases.init(databaseId);
    const seen: string[][] = [];
    const result = await migrateUpDownUp(knex, {
      directory,
      tables: TABLES,
      whenUp: async () => {
        seen.push(await existingTables(knex, TABLES));
        await knex('widgets').insert({ id: 'w1', name: 'gear' });
      },
    });
    expect(seen).toEqual([TABLES]);
    const migrations = ['20260101000000_init.js', '20260102000000_parts.js'];
    expect(result).toEqual({
      up: { tables: TABLES, migrations },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES, migrations },
    });
    // Rolled back all the way: the row written in between is gone.
    expect(await knex('widgets').select()).toEqual([]);
  });

  it('lists only the tables that exist, in the order asked for', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({ directory, name: '20260101000000_init.js' });
    expect(await existingTables(knex, ['nothing', ...TABLES])).toEqual([
      'widgets',
    ]);
  });

  it("gives a failing query's message and nothing for one that succeeds", async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    expect(
      await errorMessageOf(knex('widgets').insert({ id: 'w1', name: 'gear' })),
    ).toBeUndefined();
    expect(
      await errorMessageOf(knex('widgets').insert({ id: 'w2', name: 'gear' })),
    ).toMatch(/unique|duplicate/i);
  });
});
