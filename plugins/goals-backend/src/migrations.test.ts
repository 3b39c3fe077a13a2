import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-goals-backend',
  'migrations',
);
const TABLES = [
  'goals',
  'goal_key_results',
  'goal_key_result_values',
  'goal_events',
  'campaigns',
  'campaign_entities',
  'campaign_teams',
  'campaign_burnup',
  'campaign_reminders',
  'campaign_events',
  'campaign_entity_states',
];

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        const now = new Date();
        await knex('goals').insert({
          id: '6a1b8f5e-1111-4222-8333-444455556666',
          objective: 'o',
          description: '',
          owner_ref: null,
          period: '2026-Q4',
          period_start: now,
          period_end: now,
          version: 1,
          created_at: now,
          created_by: 'user:default/a',
          updated_at: now,
          updated_by: 'user:default/a',
        });
        await knex('goal_key_results').insert({
          id: '6a1b8f5e-1111-4222-8333-444455556667',
          goal_id: '6a1b8f5e-1111-4222-8333-444455556666',
          position: 0,
          title: 't',
          figure: '{}',
          source: 'dora',
          direction: 'down',
          target: 24.5,
          baseline: null,
          baseline_at: null,
          current_value: 30.25,
          current_at: now,
          available: true,
          unavailable_reason: null,
        });
        await knex('goal_key_result_values').insert({
          key_result_id: '6a1b8f5e-1111-4222-8333-444455556667',
          day: '2026-10-01',
          value: 30.25,
        });
        const [{ value }] = await knex('goal_key_result_values').select(
          'value',
        );
        expect(Number(value)).toBe(30.25);
      },
    });
    expect(schema.up.tables).toEqual(TABLES);
    expect(schema.down.tables).toEqual([]);
    expect(schema.down.migrations).toEqual([]);
    expect(schema.upAgain).toEqual(schema.up);
    expect(schema.up.migrations).toEqual([
      '20261201000000_init.js',
      '20261207000000_campaign_entity_states.js',
      '20261207120000_campaign_promoted_checks.js',
      '20261208000000_campaign_entities_page_idx.js',
    ]);
  });
});
