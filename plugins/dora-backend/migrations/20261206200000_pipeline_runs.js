// @ts-check

/*
 * CI/CD friction: one row per attempt of a pipeline run, as CI or GitHub's workflow_run webhook reported it. Instants
 * are epoch milliseconds and flags 0/1 integers, as in the other DORA tables.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_pipeline_runs', table => {
    table.comment(
      'Pipeline run attempts as CI reported them, one row per (run id, attempt); the latest report wins',
    );
    table
      .string('id', 200)
      .notNullable()
      .comment('Run id given by the sender, the same for every attempt');
    table
      .integer('attempt')
      .notNullable()
      .comment('1 for the first attempt, 2 for the first re-run, ...');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the catalog entity the pipeline builds');
    table
      .string('pipeline', 200)
      .notNullable()
      .comment('Pipeline (workflow) name');
    table.string('branch', 255).notNullable().comment('Branch or tag built');
    table
      .integer('on_default_branch')
      .notNullable()
      .comment('1 when branch is the repository default branch, else 0');
    table.string('sha', 100).notNullable().comment('Commit built');
    table
      .string('trigger', 100)
      .notNullable()
      .comment(
        'What started the run (push, pull_request, schedule, manual, ...)',
      );
    table
      .string('status', 16)
      .notNullable()
      .comment('queued, in_progress, success, failure, cancelled or skipped');
    table
      .bigInteger('queued_at')
      .notNullable()
      .comment('When the run was queued, epoch milliseconds (UTC)');
    table
      .bigInteger('started_at')
      .nullable()
      .comment('When it started, epoch milliseconds (UTC)');
    table
      .bigInteger('finished_at')
      .nullable()
      .comment(
        'When it finished, epoch milliseconds (UTC); null while running',
      );
    table.string('url', 2048).nullable().comment('Link to the run in CI');
    table
      .bigInteger('received_at')
      .notNullable()
      .comment('When the latest report arrived, epoch milliseconds');
    table
      .bigInteger('state_at')
      .notNullable()
      .comment(
        'Version of the stored state: the latest of its timestamps and updatedAt, epoch milliseconds',
      );
    table.primary(['id', 'attempt'], 'dora_pipeline_runs_pkey');
    // The window reads of an entity (figures and drill-down, newest first).
    table.index(['entity_ref', 'queued_at'], 'dora_pipeline_runs_window_idx');
    // Per pipeline and commit: whether a later attempt of a failed run passed (flaky).
    table.index(
      ['entity_ref', 'pipeline', 'sha', 'status'],
      'dora_pipeline_runs_commit_idx',
    );
    // Per pipeline on the default branch, by finish: the run before a failure and the next success (time to green).
    table.index(
      ['entity_ref', 'pipeline', 'on_default_branch', 'finished_at'],
      'dora_pipeline_runs_branch_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_pipeline_runs');
};
