import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const migrationsDir = resolvePackagePath('@vitals/plugin-scorecards-backend', 'migrations');
const TABLES = [
  'scorecard_results',
  'scorecard_check_results',
  'scorecard_history',
  'scorecard_check_rollups',
  'scorecard_level_rollups',
  'scorecard_daily_summary',
  'scorecard_waivers',
  'scorecard_runs',
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

    await knex('scorecard_results').insert({
      entity_ref: 'component:default/payments-api',
      scorecard_id: 'prod',
      owner_ref: null,
      system_ref: null,
      level_id: null,
      level_index: -1,
      score: 12.5,
      checks: '[]',
      evaluated_at: new Date(),
      changed_at: new Date(),
    });
    // One current result per entity and scorecard. (Compare messages: the driver's error may come from another realm.)
    const duplicate = await knex('scorecard_results')
      .insert({
        entity_ref: 'component:default/payments-api',
        scorecard_id: 'prod',
        level_index: 0,
        score: 1,
        checks: '[]',
        evaluated_at: new Date(),
        changed_at: new Date(),
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
