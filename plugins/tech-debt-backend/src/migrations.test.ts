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
  'tech_debt_item_incidents',
];
const MIGRATIONS = [
  '20261126000000_init.js',
  '20261127000000_status_filter_indexes.js',
  '20261210000000_item_incidents.js',
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
        // An incident link with every column set, and one with only what is required; one link per item and incident.
        const link = {
          item_id: '6a1b8f5e-1111-4222-8333-444455556666',
          incident_id: 'pagerduty:PGR0VU2',
          entity_ref: 'component:default/payments-api',
          created_at: new Date('2026-11-20T08:12:00Z'),
          created_ms: Date.parse('2026-11-20T08:12:00Z'),
          resolved_at: new Date('2026-11-20T09:27:00Z'),
          restore_minutes: 75,
          severity: 'SEV2',
          title: 'Card captures timed out',
          postmortem_id: 'pm-1',
          postmortem_url: 'https://backstage.example.com/postmortems/pm-1',
          linked_at: new Date(),
          linked_by: 'user:default/a',
          updated_at: new Date(),
          updated_by: 'user:default/a',
        };
        await knex('tech_debt_item_incidents').insert(link);
        await knex('tech_debt_item_incidents').insert({
          ...link,
          incident_id: 'pagerduty:ONGOING',
          resolved_at: null,
          restore_minutes: null,
          severity: null,
          title: null,
          postmortem_id: null,
          postmortem_url: null,
        });
        // Milliseconds of 2099 fit the column on every database.
        await knex('tech_debt_item_incidents').insert({
          ...link,
          incident_id: 'late',
          created_ms: Date.parse('2099-12-31T23:59:59.999Z'),
        });
        const [{ created_ms }] = await knex('tech_debt_item_incidents')
          .where({ incident_id: 'late' })
          .select('created_ms');
        expect(Number(created_ms)).toBe(Date.parse('2099-12-31T23:59:59.999Z'));
        expect(
          await errorMessageOf(knex('tech_debt_item_incidents').insert(link)),
        ).toMatch(/unique|duplicate/i);
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
