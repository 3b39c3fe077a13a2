import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const migrationsDir = resolvePackagePath('@vitals/plugin-dora-backend', 'migrations');
const TABLES = ['dora_deployments', 'dora_deployment_commits', 'dora_changes', 'dora_incidents', 'dora_entities', 'dora_settings'];

async function existingTables(knex: Knex): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLES) if (await knex.schema.hasTable(table)) found.push(table);
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
    // Epoch milliseconds beyond 2^31 fit.
    await knex('dora_deployments').insert({
      id: 'd-1', entity_ref: 'component:default/a', environment: 'production', status: 'success', started_at: null,
      finished_at: Date.parse('2026-11-26T10:00:00Z'), url: null, commit_count: 0, counted: 1, received_at: Date.now(),
    });
    const row = await knex('dora_deployments').first();
    expect(Number(row.finished_at)).toBe(Date.parse('2026-11-26T10:00:00Z'));
    expect(Number(row.failed)).toBe(0);
    const duplicate = await knex('dora_deployment_commits')
      .insert([{ deployment_id: 'd-1', entity_ref: 'component:default/a', sha: 'x' }, { deployment_id: 'd-1', entity_ref: 'component:default/a', sha: 'x' }])
      .then(() => 'inserted', (error: unknown) => String((error as Error)?.message));
    expect(duplicate).toMatch(/unique|duplicate/i);

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await existingTables(knex)).toEqual([]);
    await knex.migrate.latest({ directory: migrationsDir });
    expect(await existingTables(knex)).toEqual(TABLES);
  });
});
