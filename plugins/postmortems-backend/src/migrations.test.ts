import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-postmortems-backend',
  'migrations',
);
const TABLES = [
  'postmortem_incidents',
  'postmortems',
  'postmortem_authors',
  'postmortem_history',
  'postmortem_action_items',
  'postmortem_notifications',
  'postmortem_sync_state',
];
const MIGRATIONS = ['20261210100000_init.js'];
const PM = '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11';

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        await knex('postmortem_incidents').insert({
          id: 'pagerduty:PGR0VU2',
          entity_ref: 'component:default/payments-api',
          owner_ref: 'group:default/payments',
          created_at: 1_764_000_000_000,
          resolved_at: null,
          severity: 'SEV2',
          severity_key: 'sev2',
          url: null,
          deployment_id: null,
          restore_minutes: null,
          synced_at: 1_764_000_000_000,
        });
        const postmortem = {
          id: PM,
          incident_id: 'pagerduty:PGR0VU2',
          entity_ref: 'component:default/payments-api',
          title: 't',
          status: 'draft',
          template_id: 'blameless',
          summary: '',
          customer_impact: '',
          timeline: '[]',
          contributing_factors: '',
          what_went_well: '',
          what_was_hard: '',
          lessons: '',
          extra_sections: '{}',
          version: 1,
          created_at: 1,
          created_by: 'user:default/a',
          updated_at: 1,
          updated_by: 'user:default/a',
          published_at: null,
        };
        await knex('postmortems').insert(postmortem);
        // One postmortem per incident.
        expect(
          await errorMessageOf(
            knex('postmortems').insert({
              ...postmortem,
              id: '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d12',
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        await knex('postmortem_authors').insert({
          postmortem_id: PM,
          user_ref: 'user:default/a',
          position: 0,
        });
        await knex('postmortem_history').insert({
          postmortem_id: PM,
          version: 1,
          action: 'created',
          actor: 'user:default/a',
          at: 1,
          changes: '{}',
        });
        await knex('postmortem_action_items').insert({
          postmortem_id: PM,
          debt_item_id: '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01',
          origin: 'created',
          due_date: '2026-12-31',
          added_at: 1,
          added_by: 'user:default/a',
        });
        await knex('postmortem_notifications').insert({
          notice_key: 'missing:pagerduty:PGR0VU2',
          team_ref: 'group:default/payments',
          sent_at: 1,
        });
        expect(
          await errorMessageOf(
            knex('postmortem_notifications').insert({
              notice_key: 'missing:pagerduty:PGR0VU2',
              team_ref: null,
              sent_at: 2,
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        await knex('postmortem_sync_state').insert({ name: 'x', value: 1 });
      },
    });
    expect(schema).toEqual({
      up: { tables: TABLES, migrations: MIGRATIONS },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES, migrations: MIGRATIONS },
    });
  });
});
