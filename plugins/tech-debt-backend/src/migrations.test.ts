import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-tech-debt-backend',
  'migrations',
);
const TABLES = [
  'tech_debt_items',
  'tech_debt_item_events',
  'tech_debt_budgets',
];
const MIGRATIONS = [
  '20261126000000_init.js',
  '20261127000000_status_filter_indexes.js',
];

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        // The schema takes a full item row, an event and a budget.
        await knex('tech_debt_items').insert({
          id: '6a1b8f5e-1111-4222-8333-444455556666',
          entity_ref: 'component:default/payments-api',
          owner_ref: 'group:default/payments',
          system_ref: null,
          title: 't',
          description: '',
          category: 'code',
          impact: 3,
          effort_days: 1.5,
          interest_hours: null,
          priority: 2,
          status: 'open',
          assignee: null,
          tracker_url: null,
          tags: '[]',
          version: 1,
          created_at: new Date(),
          created_by: 'user:default/a',
          updated_at: new Date(),
          updated_by: 'user:default/a',
          resolved_at: null,
        });
        await knex('tech_debt_item_events').insert({
          item_id: '6a1b8f5e-1111-4222-8333-444455556666',
          entity_ref: 'component:default/payments-api',
          action: 'created',
          actor: 'user:default/a',
          occurred_at: new Date(),
          changes: '{}',
        });
        await knex('tech_debt_budgets').insert({
          group_ref: 'group:default/payments',
          quarter: '2026-Q4',
          capacity_days: 100,
          share_percent: 20,
          version: 1,
          updated_at: new Date(),
          updated_by: 'user:default/a',
        });
        // One budget per group and quarter.
        const duplicate = await errorMessageOf(
          knex('tech_debt_budgets').insert({
            group_ref: 'group:default/payments',
            quarter: '2026-Q4',
            capacity_days: 1,
            share_percent: 1,
            version: 1,
            updated_at: new Date(),
            updated_by: 'user:default/b',
          }),
        );
        expect(duplicate).toMatch(/unique|duplicate/i);
      },
    });
    expect(schema).toEqual({
      up: { tables: TABLES, migrations: MIGRATIONS },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES, migrations: MIGRATIONS },
    });
    expect(await knex('tech_debt_items').count({ count: '*' })).toEqual([
      { count: databaseId === 'SQLITE_3' ? 0 : '0' },
    ]);
  });
});
