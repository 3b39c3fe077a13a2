// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_results', table => {
    table.comment(
      'Current result of each scorecard for each entity it applies to; replaced at every evaluation',
    );
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the evaluated entity');
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('spec.owner of the entity at evaluation, as a full ref');
    table
      .string('system_ref', 512)
      .nullable()
      .comment('spec.system of the entity at evaluation, as a full ref');
    table
      .string('level_id', 100)
      .nullable()
      .comment('Highest level reached; null when below the lowest level');
    table
      .integer('level_index')
      .notNullable()
      .comment('Index of level_id in the definition, -1 when none');
    table
      .double('score')
      .notNullable()
      .comment('Mean of the check scores, 0-100');
    table
      .text('checks')
      .notNullable()
      .comment(
        'JSON array of check results: value, pass/fail, score, message, waiver',
      );
    table
      .timestamp('evaluated_at', { useTz: true })
      .notNullable()
      .comment('When the entity was last evaluated');
    table
      .timestamp('changed_at', { useTz: true })
      .notNullable()
      .comment('When level or score last changed');
    table.primary(['entity_ref', 'scorecard_id']);
    table.index(['owner_ref', 'scorecard_id'], 'scorecard_results_owner_idx');
    table.index(
      ['scorecard_id', 'evaluated_at'],
      'scorecard_results_scorecard_evaluated_idx',
    );
  });

  await knex.schema.createTable('scorecard_check_results', table => {
    table.comment(
      'Current pass/fail of each check for each entity, one row per check, for the roll-ups',
    );
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the evaluated entity');
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('check_id', 100)
      .notNullable()
      .comment('Id of the check within the scorecard');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('Owner of the entity at evaluation');
    table
      .string('system_ref', 512)
      .nullable()
      .comment('System of the entity at evaluation');
    table
      .boolean('passed')
      .notNullable()
      .comment('True when the check passed or an active waiver covered it');
    table.primary(['entity_ref', 'scorecard_id', 'check_id']);
    table.index(
      ['scorecard_id', 'owner_ref'],
      'scorecard_check_results_scorecard_owner_idx',
    );
  });

  await knex.schema.createTable('scorecard_history', table => {
    table.comment(
      'Append-only history: the scorecard state of an entity per day, written only on days it changed',
    );
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the entity');
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('day', 10)
      .notNullable()
      .comment('UTC day of the state, YYYY-MM-DD');
    table
      .string('level_id', 100)
      .nullable()
      .comment('Level reached that day; null when none');
    table
      .integer('level_index')
      .notNullable()
      .comment('Index of the level, -1 when none');
    table.double('score').notNullable().comment('Score that day, 0-100');
    table
      .text('failing_checks')
      .notNullable()
      .comment('JSON array of the ids of checks failing (not waived)');
    table
      .timestamp('recorded_at', { useTz: true })
      .notNullable()
      .comment('When this state was last written');
    table.primary(['entity_ref', 'scorecard_id', 'day']);
  });

  await knex.schema.createTable('scorecard_check_rollups', table => {
    table.comment(
      'Precomputed: entities and passing entities per scorecard, team, system and check',
    );
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('owner_ref', 512)
      .notNullable()
      .comment('Owner of the entities; empty string for no owner');
    table
      .string('system_ref', 512)
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
      .string('owner_ref', 512)
      .notNullable()
      .comment('Owner of the entities; empty string for no owner');
    table
      .string('system_ref', 512)
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
    table.index(
      ['scorecard_id', 'owner_ref'],
      'scorecard_level_rollups_scorecard_owner_idx',
    );
  });

  await knex.schema.createTable('scorecard_daily_summary', table => {
    table.comment(
      'Append-only: level distribution per scorecard and team, snapshotted after each full evaluation',
    );
    table
      .string('day', 10)
      .notNullable()
      .comment(
        'UTC day of the snapshot, YYYY-MM-DD (the last run of the day wins)',
      );
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard definition');
    table
      .string('owner_ref', 512)
      .notNullable()
      .comment('Owner of the entities; empty string for no owner');
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
    table.primary(['day', 'scorecard_id', 'owner_ref', 'level_id']);
    table.index(
      ['scorecard_id', 'day'],
      'scorecard_daily_summary_scorecard_day_idx',
    );
  });

  await knex.schema.createTable('scorecard_waivers', table => {
    table.comment(
      'Waivers: an owner exempts an entity from a check, with a reason, until an expiry',
    );
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the waiver');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the waived entity');
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the scorecard');
    table
      .string('check_id', 100)
      .notNullable()
      .comment('Id of the waived check');
    table.text('reason').notNullable().comment('Why the check does not apply');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('When the waiver stops applying');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the waiver was granted');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that granted it');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the waiver last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed it');
    table
      .timestamp('revoked_at', { useTz: true })
      .nullable()
      .comment('When it was withdrawn; null while in force');
    table
      .string('revoked_by', 512)
      .nullable()
      .comment('Principal that withdrew it');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version, +1 on every change');
    table.index(['entity_ref', 'scorecard_id'], 'scorecard_waivers_entity_idx');
  });

  await knex.schema.createTable('scorecard_runs', table => {
    table.comment('Log of full evaluations, newest last');
    table.bigIncrements('id').primary().comment('Sequence of the run');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('When the run started');
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('When it finished; null while running or failed');
    table
      .integer('entities')
      .nullable()
      .comment('Entities the catalog returned');
    table.integer('results').nullable().comment('Scorecard results written');
    table.text('error').nullable().comment('Error message when the run failed');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_runs');
  await knex.schema.dropTable('scorecard_waivers');
  await knex.schema.dropTable('scorecard_daily_summary');
  await knex.schema.dropTable('scorecard_level_rollups');
  await knex.schema.dropTable('scorecard_check_rollups');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('scorecard_check_results');
  await knex.schema.dropTable('scorecard_results');
};
