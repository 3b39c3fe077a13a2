import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const migrationsDir = resolvePackagePath('@vitals/plugin-tech-debt-backend', 'migrations');
const TABLES = ['tech_debt_items', 'tech_debt_item_events', 'tech_debt_budgets'];

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
    const [completed] = await knex.migrate.list({ directory: migrationsDir });
    expect(completed.map((m: { name: string }) => m.name)).toEqual([
      '20261126000000_init.js',
      '20261127000000_status_filter_indexes.js',
    ]);

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
    // One budget per group and quarter. (The driver's error may come from another realm than jest's, so compare
    // messages rather than using rejects.toThrow.)
    const duplicate = await knex('tech_debt_budgets')
      .insert({
        group_ref: 'group:default/payments',
        quarter: '2026-Q4',
        capacity_days: 1,
        share_percent: 1,
        version: 1,
        updated_at: new Date(),
        updated_by: 'user:default/b',
      })
      .then(
        () => 'inserted',
        (error: unknown) => String((error as Error)?.message),
      );
    expect(duplicate).toMatch(/unique|duplicate/i);

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await existingTables(knex)).toEqual([]);
    const [afterRollback] = await knex.migrate.list({ directory: migrationsDir });
    expect(afterRollback).toEqual([]);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await existingTables(knex)).toEqual(TABLES);
    expect(await knex('tech_debt_items').count({ count: '*' })).toEqual([
      { count: databaseId === 'SQLITE_3' ? 0 : '0' },
    ]);
  });
});
