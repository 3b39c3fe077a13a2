import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-dora-backend',
  'migrations',
);
const TABLES = [
  'dora_deployments',
  'dora_deployment_commits',
  'dora_changes',
  'dora_incidents',
  'dora_entities',
  'dora_settings',
  'dora_scope_figures',
  'dora_pipeline_runs',
  'dora_flow_figures',
  'dora_pipeline_versions',
  'dora_pipeline_figures',
];

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('migrates up, all the way down and up again', async () => {
    const knex = await databases.init(databaseId);
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        // Epoch milliseconds beyond 2^31 fit.
        await knex('dora_deployments').insert({
          id: 'd-1',
          entity_ref: 'component:default/a',
          environment: 'production',
          status: 'success',
          started_at: null,
          finished_at: Date.parse('2026-11-26T10:00:00Z'),
          url: null,
          commit_count: 0,
          counted: 1,
          received_at: Date.now(),
        });
        const row = await knex('dora_deployments').first();
        expect(Number(row.finished_at)).toBe(
          Date.parse('2026-11-26T10:00:00Z'),
        );
        expect(Number(row.failed)).toBe(0);
        const commit = {
          deployment_id: 'd-1',
          entity_ref: 'component:default/a',
          sha: 'x',
        };
        expect(
          await errorMessageOf(
            knex('dora_deployment_commits').insert([commit, commit]),
          ),
        ).toMatch(/unique|duplicate/i);
        // Entities stored before data versions existed start at 0; the next write raises it.
        await knex('dora_entities').insert({
          entity_ref: 'component:default/a',
          first_event_at: 1,
          last_event_at: 1,
        });
        expect(Number((await knex('dora_entities').first()).version)).toBe(0);
        // One row of kept flow figures per group, window and large-PR threshold.
        const figures = {
          scope_ref: 'group:default/payments',
          window_from: Date.parse('2026-09-01T00:00:00Z'),
          window_to: Date.parse('2026-12-01T00:00:00Z'),
          large_pr_lines: 400,
          members_hash: 'a'.repeat(64),
          data_version: '9007199254740993',
          figures: '{}',
          computed_at: Date.parse('2026-11-30T10:00:00Z'),
        };
        await knex('dora_flow_figures').insert(figures);
        expect(
          await errorMessageOf(knex('dora_flow_figures').insert(figures)),
        ).toMatch(/unique|duplicate/i);
        await knex('dora_flow_figures').insert({
          ...figures,
          large_pr_lines: 200,
        });
      },
    });
    expect(schema).toMatchObject({
      up: { tables: TABLES },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES },
    });
  });
});
