import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const migrationsDir = resolvePackagePath('@vitals/plugin-onboarding-backend', 'migrations');
const TABLES = [
  'onboarding_checklists',
  'onboarding_step_states',
  'onboarding_step_history',
  'onboarding_shas',
  'onboarding_visits',
  'onboarding_people',
  'onboarding_team_members',
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

    const row = { entity_ref: 'component:default/payments-api', sha: 'abc', user_ref: 'user:default/guest', merged_at: new Date() };
    await knex('onboarding_shas').insert(row);
    // One record per entity and commit, so that a re-sent event cannot count twice.
    const duplicate = await knex('onboarding_shas')
      .insert(row)
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
