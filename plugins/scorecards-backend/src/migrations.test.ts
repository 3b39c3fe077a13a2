import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { errorMessageOf, migrateUpDownUp, vitalsTestDatabases } from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

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

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
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
        // One current result per entity and scorecard.
        const duplicate = await errorMessageOf(
          knex('scorecard_results').insert({
            entity_ref: 'component:default/payments-api',
            scorecard_id: 'prod',
            level_index: 0,
            score: 1,
            checks: '[]',
            evaluated_at: new Date(),
            changed_at: new Date(),
          }),
        );
        expect(duplicate).toMatch(/unique|duplicate/i);
      },
    });
    expect(schema).toMatchObject({ up: { tables: TABLES }, down: { tables: [], migrations: [] }, upAgain: { tables: TABLES } });
  });
});
