// @ts-check

/*
 * The roll-ups had no key, so an on-demand refresh that rebuilt a team's roll-ups while the scheduled evaluation
 * rebuilt all of them could leave two rows for one key (and the org summary counted those entities twice). The
 * roll-ups are derived data: this migration recreates both tables with a primary key and rebuilds their rows from the
 * current results, which also drops any duplicates. The store writes them as upserts from now on.
 *
 * Refs are at most 255 characters here (a catalog ref is at most 191: kind, namespace and name are 63 each) so that
 * the key fits MySQL's 3072-byte index limit in utf8mb4; a longer owner or system (which cannot name a catalog
 * entity) is cut to 255.
 */

const REF_LENGTH = 255;

/**
 * @param {import('knex').Knex} knex
 * @param {boolean} withKeys
 */
async function createRollupTables(knex, withKeys) {
  await knex.schema.createTable('scorecard_check_rollups', table => {
    table.comment(
      'Precomputed: entities and passing entities per scorecard, team, system and check',
    );
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('owner_ref', withKeys ? REF_LENGTH : 512)
      .notNullable()
      .comment('Owner of the entities; empty string for no owner');
    table
      .string('system_ref', withKeys ? REF_LENGTH : 512)
      .notNullable()
      .comment('System of the entities; empty string for no system');
    table.string('check_id', 100).notNullable().comment('Id of the check');
    table
      .integer('entities')
      .notNullable()
      .comment('Number of entities evaluated for the check');
    table
      .integer('passing')
      .notNullable()
      .comment('Number of them passing or waived');
    if (withKeys) {
      table.primary(
        ['scorecard_id', 'owner_ref', 'system_ref', 'check_id'],
        'scorecard_check_rollups_pkey',
      );
    }
    table.index(
      ['scorecard_id', 'owner_ref'],
      'scorecard_check_rollups_scorecard_owner_idx',
    );
  });

  await knex.schema.createTable('scorecard_level_rollups', table => {
    table.comment(
      'Precomputed: entities per scorecard, team, system and level',
    );
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('owner_ref', withKeys ? REF_LENGTH : 512)
      .notNullable()
      .comment('Owner of the entities; empty string for no owner');
    table
      .string('system_ref', withKeys ? REF_LENGTH : 512)
      .notNullable()
      .comment('System of the entities; empty string for no system');
    table
      .string('level_id', 100)
      .notNullable()
      .comment('Level reached; empty string for below the lowest level');
    table
      .integer('entities')
      .notNullable()
      .comment('Number of entities at that level');
    table
      .double('score_sum')
      .notNullable()
      .comment('Sum of their scores, for averages');
    if (withKeys) {
      table.primary(
        ['scorecard_id', 'owner_ref', 'system_ref', 'level_id'],
        'scorecard_level_rollups_pkey',
      );
    }
    table.index(
      ['scorecard_id', 'owner_ref'],
      'scorecard_level_rollups_scorecard_owner_idx',
    );
  });
}

/**
 * Fills the roll-ups from the current results, one row per key.
 * @param {import('knex').Knex} knex
 */
async function rebuildRollups(knex) {
  const owner = `coalesce(substr(owner_ref, 1, ${REF_LENGTH}), '')`;
  const system = `coalesce(substr(system_ref, 1, ${REF_LENGTH}), '')`;
  const level = "coalesce(level_id, '')";
  const checks = knex('scorecard_check_results')
    .select(
      'scorecard_id',
      knex.raw(`${owner} as owner_ref`),
      knex.raw(`${system} as system_ref`),
      'check_id',
      knex.raw('count(*) as entities'),
      knex.raw('sum(case when passed then 1 else 0 end) as passing'),
    )
    .groupByRaw(`scorecard_id, ${owner}, ${system}, check_id`)
    .toSQL();
  await knex.raw(
    `insert into scorecard_check_rollups (scorecard_id, owner_ref, system_ref, check_id, entities, passing) ${checks.sql}`,
    checks.bindings,
  );
  const levels = knex('scorecard_results')
    .select(
      'scorecard_id',
      knex.raw(`${owner} as owner_ref`),
      knex.raw(`${system} as system_ref`),
      knex.raw(`${level} as level_id`),
      knex.raw('count(*) as entities'),
      knex.raw('sum(score) as score_sum'),
    )
    .groupByRaw(`scorecard_id, ${owner}, ${system}, ${level}`)
    .toSQL();
  await knex.raw(
    `insert into scorecard_level_rollups (scorecard_id, owner_ref, system_ref, level_id, entities, score_sum) ${levels.sql}`,
    levels.bindings,
  );
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTable('scorecard_check_rollups');
  await knex.schema.dropTable('scorecard_level_rollups');
  await createRollupTables(knex, true);
  await rebuildRollups(knex);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_check_rollups');
  await knex.schema.dropTable('scorecard_level_rollups');
  await createRollupTables(knex, false);
  await rebuildRollups(knex);
};
