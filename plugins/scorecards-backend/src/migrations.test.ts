import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-scorecards-backend',
  'migrations',
);
const TABLES = [
  'scorecard_results',
  'scorecard_check_results',
  'scorecard_history',
  'scorecard_check_rollups',
  'scorecard_level_rollups',
  'scorecard_daily_summary',
  'scorecard_waivers',
  'scorecard_runs',
  'scorecard_refresh_claims',
  'scorecard_check_promotions',
];

const at = (iso: string) => new Date(iso);
const checksJson = (passed: boolean) =>
  JSON.stringify([
    {
      checkId: 'docs',
      value: passed,
      passed,
      score: passed ? 100 : 0,
      message: null,
      waiver: null,
    },
  ]);

function resultRow(
  entityRef: string,
  ownerRef: string,
  levelId: string,
  evaluatedAt: string,
  passed: boolean,
) {
  return {
    entity_ref: entityRef,
    scorecard_id: 'prod',
    owner_ref: ownerRef,
    system_ref: 'system:default/payments',
    level_id: levelId,
    level_index: levelId === 'silver' ? 1 : 0,
    score: passed ? 100 : 50,
    checks: checksJson(passed),
    evaluated_at: at(evaluatedAt),
    changed_at: at(evaluatedAt),
  };
}

function waiverRow(id: string, entityRef: string, createdAt: string) {
  return {
    id,
    entity_ref: entityRef,
    scorecard_id: 'prod',
    check_id: 'docs',
    reason: 'Docs move in Q1',
    expires_at: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    created_at: at(createdAt),
    created_by: 'user:default/alice',
    updated_at: at(createdAt),
    updated_by: 'user:default/alice',
    revoked_at: null,
    revoked_by: null,
    version: 1,
  };
}

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

        // One roll-up row per key.
        const rollup = {
          scorecard_id: 'prod',
          owner_ref: 'group:default/payments',
          system_ref: '',
          check_id: 'docs',
          entities: 1,
          passing: 1,
        };
        await knex('scorecard_check_rollups').insert(rollup);
        expect(
          await errorMessageOf(knex('scorecard_check_rollups').insert(rollup)),
        ).toMatch(/unique|duplicate/i);

        // One waiver in force per entity and check; withdrawn ones (in_force null) do not count.
        const waiver = waiverRow(
          '6a1b8f5e-1111-4222-8333-444455556666',
          'component:default/payments-api',
          '2026-11-20T10:00:00Z',
        );
        await knex('scorecard_waivers').insert({ ...waiver, in_force: true });
        await knex('scorecard_waivers').insert({
          ...waiver,
          id: '6a1b8f5e-1111-4222-8333-444455556667',
          in_force: null,
        });
        await knex('scorecard_waivers').insert({
          ...waiver,
          id: '6a1b8f5e-1111-4222-8333-444455556668',
          in_force: null,
        });
        expect(
          await errorMessageOf(
            knex('scorecard_waivers').insert({
              ...waiver,
              id: '6a1b8f5e-1111-4222-8333-444455556669',
              in_force: true,
            }),
          ),
        ).toMatch(/unique|duplicate/i);
      },
    });
    expect(schema).toMatchObject({
      up: { tables: TABLES },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES },
    });
  });

  it('lower-cases stored refs, keeps the newer of two spellings, and leaves one roll-up row and one waiver in force per key', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({ directory: migrationsDir }); // the first migration only
    // The same entity under two spellings; the mixed-case result is the newer one.
    await knex('scorecard_results').insert([
      resultRow(
        'component:default/Payments-API',
        'group:default/Payments',
        'silver',
        '2026-11-21T10:00:00Z',
        true,
      ),
      resultRow(
        'component:default/payments-api',
        'group:default/payments',
        'bronze',
        '2026-11-20T10:00:00Z',
        false,
      ),
      resultRow(
        'component:default/Ledger',
        'group:default/payments',
        'bronze',
        '2026-11-21T10:00:00Z',
        false,
      ),
    ]);
    const checkRow = (
      entityRef: string,
      ownerRef: string,
      passed: boolean,
    ) => ({
      entity_ref: entityRef,
      scorecard_id: 'prod',
      check_id: 'docs',
      owner_ref: ownerRef,
      system_ref: 'system:default/payments',
      passed,
    });
    await knex('scorecard_check_results').insert([
      checkRow(
        'component:default/Payments-API',
        'group:default/Payments',
        true,
      ),
      checkRow(
        'component:default/payments-api',
        'group:default/payments',
        false,
      ),
      checkRow('component:default/Ledger', 'group:default/payments', false),
    ]);
    const historyRow = (
      entityRef: string,
      day: string,
      levelId: string,
      recordedAt: string,
    ) => ({
      entity_ref: entityRef,
      scorecard_id: 'prod',
      day,
      level_id: levelId,
      level_index: levelId === 'silver' ? 1 : 0,
      score: 50,
      failing_checks: '[]',
      recorded_at: at(recordedAt),
    });
    await knex('scorecard_history').insert([
      historyRow(
        'component:default/payments-api',
        '2026-11-20',
        'bronze',
        '2026-11-20T10:00:00Z',
      ),
      historyRow(
        'component:default/Payments-API',
        '2026-11-20',
        'silver',
        '2026-11-20T18:00:00Z',
      ),
      historyRow(
        'component:default/Payments-API',
        '2026-11-21',
        'silver',
        '2026-11-21T10:00:00Z',
      ),
    ]);
    // Roll-ups written twice by two concurrent rebuilds.
    const levelRollup = {
      scorecard_id: 'prod',
      owner_ref: 'group:default/payments',
      system_ref: 'system:default/payments',
      level_id: 'bronze',
      entities: 2,
      score_sum: 100,
    };
    await knex('scorecard_level_rollups').insert([levelRollup, levelRollup]);
    const summary = (ownerRef: string, entities: number) => ({
      day: '2026-11-21',
      scorecard_id: 'prod',
      owner_ref: ownerRef,
      level_id: 'bronze',
      entities,
      score_sum: 50 * entities,
    });
    await knex('scorecard_daily_summary').insert([
      summary('group:default/Payments', 1),
      summary('group:default/payments', 2),
    ]);
    // Two waivers in force for one check (a past race), under two spellings.
    await knex('scorecard_waivers').insert([
      waiverRow(
        '6a1b8f5e-1111-4222-8333-000000000001',
        'component:default/Payments-API',
        '2026-11-20T10:00:00Z',
      ),
      waiverRow(
        '6a1b8f5e-1111-4222-8333-000000000002',
        'component:default/payments-api',
        '2026-11-21T10:00:00Z',
      ),
    ]);

    await knex.migrate.latest({ directory: migrationsDir });

    const results = await knex('scorecard_results').orderBy('entity_ref');
    expect(results.map(r => [r.entity_ref, r.owner_ref, r.level_id])).toEqual([
      ['component:default/ledger', 'group:default/payments', 'bronze'],
      ['component:default/payments-api', 'group:default/payments', 'silver'],
    ]);
    const checks = await knex('scorecard_check_results').orderBy('entity_ref');
    expect(
      checks.map(r => [r.entity_ref, r.owner_ref, Boolean(r.passed)]),
    ).toEqual([
      ['component:default/ledger', 'group:default/payments', false],
      ['component:default/payments-api', 'group:default/payments', true],
    ]);
    const history = await knex('scorecard_history').orderBy('day');
    expect(history.map(r => [r.entity_ref, r.day, r.level_id])).toEqual([
      ['component:default/payments-api', '2026-11-20', 'silver'],
      ['component:default/payments-api', '2026-11-21', 'silver'],
    ]);
    // Rebuilt from the results: one row per key, each entity counted once.
    const levels = await knex('scorecard_level_rollups').orderBy('level_id');
    expect(
      levels.map(r => [r.owner_ref, r.level_id, Number(r.entities)]),
    ).toEqual([
      ['group:default/payments', 'bronze', 1],
      ['group:default/payments', 'silver', 1],
    ]);
    expect(
      (await knex('scorecard_check_rollups')).map(r => [
        r.check_id,
        Number(r.entities),
        Number(r.passing),
      ]),
    ).toEqual([['docs', 2, 1]]);
    const summaries = await knex('scorecard_daily_summary');
    expect(summaries.map(r => [r.owner_ref, Number(r.entities)])).toEqual([
      ['group:default/payments', 3],
    ]);
    // The newer waiver holds the check; the older one is withdrawn, on record.
    const waivers = await knex('scorecard_waivers').orderBy('id');
    expect(
      waivers.map(w => [
        w.entity_ref,
        w.in_force === null ? null : Boolean(w.in_force),
        w.revoked_by,
        Number(w.version),
      ]),
    ).toEqual([
      ['component:default/payments-api', null, 'scorecards:migration', 2],
      ['component:default/payments-api', true, null, 1],
    ]);
  });
});
