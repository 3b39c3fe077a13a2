import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-onboarding-backend',
  'migrations',
);
const TABLES = [
  'onboarding_checklists',
  'onboarding_step_states',
  'onboarding_step_history',
  'onboarding_shas',
  'onboarding_visits',
  'onboarding_people',
  'onboarding_team_members',
  'onboarding_template_sets',
];

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        const row = {
          entity_ref: 'component:default/payments-api',
          sha: 'abc',
          user_ref: 'user:default/guest',
          merged_at: new Date(),
        };
        await knex('onboarding_shas').insert(row);
        // One record per entity and commit, so that a re-sent event cannot count twice.
        expect(
          await errorMessageOf(knex('onboarding_shas').insert(row)),
        ).toMatch(/unique|duplicate/i);
        // One template set, shared by every replica.
        const set = {
          id: 1,
          revision: 1,
          templates: '[]',
          problems: '[]',
          updated_at: new Date(),
        };
        await knex('onboarding_template_sets').insert(set);
        expect(
          await errorMessageOf(knex('onboarding_template_sets').insert(set)),
        ).toMatch(/unique|duplicate/i);
      },
    });
    expect(schema).toMatchObject({
      up: { tables: TABLES },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES },
    });
  });
});
