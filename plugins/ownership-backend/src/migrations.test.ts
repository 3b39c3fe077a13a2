import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const migrationsDir = resolvePackagePath('@vitals/plugin-ownership-backend', 'migrations');
const TABLES = [
  'ownership_entities',
  'ownership_groups',
  'ownership_group_closure',
  'ownership_confirmations',
  'ownership_history',
];

async function existingTables(knex: Knex): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLES) {
    if (await knex.schema.hasTable(table)) found.push(table);
  }
  return found;
}

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  it('migrates up, all the way down and up again', async () => {
    await knex.migrate.latest({ directory: migrationsDir });
    expect(await existingTables(knex)).toEqual(TABLES);

    await knex('ownership_confirmations').insert({
      entity_ref: 'component:default/payments-api',
      owner_ref: 'group:default/payments',
      confirmed_by: 'user:default/guest',
      confirmed_at: new Date(),
      comment: null,
    });
    // One current confirmation per entity and owner. (The driver's error may come from another realm than jest's.)
    const duplicate = await knex('ownership_confirmations')
      .insert({
        entity_ref: 'component:default/payments-api',
        owner_ref: 'group:default/payments',
        confirmed_by: 'user:default/jonas.berg',
        confirmed_at: new Date(),
        comment: null,
      })
      .then(
        () => 'inserted',
        (error: unknown) => String((error as Error)?.message),
      );
    expect(duplicate).toMatch(/unique|duplicate/i);

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await existingTables(knex)).toEqual([]);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await existingTables(knex)).toEqual(TABLES);
  });
});
