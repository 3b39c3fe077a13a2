// @ts-check

/*
 * The Flow page's pipeline table of a team (GET /v1/pipelines?entityRef=<group>) pools every run of the group's
 * entities in the window, and its facts (flaky, turned red, back to green) each look at other runs: tens of thousands of
 * rows a request for a team of 200 services. A group's figures for a window of whole UTC days are kept here, named by
 * what they were computed from: the entities the catalog pooled for the group (members_hash) and the sum of their
 * pipeline data versions (dora_pipeline_versions.version, raised by every write of an entity's pipeline runs). Kept
 * figures are served only while that sum is unchanged, so they are always exact.
 *
 * dora_pipeline_versions is its own table rather than a column of dora_entities: an entity that has only sent pipeline
 * runs has not sent DORA events (GET /v1/activity, the DORA org page), and a pipeline run does not change the DORA figures
 * that dora_entities.version keeps.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_pipeline_versions', table => {
    table.comment(
      'Per entity, a number raised by every write of its pipeline runs; see dora_pipeline_figures',
    );
    table.string('entity_ref', 512).primary().notNullable();
    table
      .bigInteger('version')
      .notNullable()
      .comment(
        'Raised by one for each write that changed a pipeline run of the entity',
      );
  });
  // Entities with runs stored before this migration start at version 1.
  await knex.raw(
    'insert into dora_pipeline_versions (entity_ref, version) select distinct entity_ref, 1 from dora_pipeline_runs',
  );
  await knex.schema.createTable('dora_pipeline_figures', table => {
    table.comment(
      'GET /v1/pipelines of a group (what it pools) for one window of whole UTC days, exact as of computed_at',
    );
    table
      .string('scope_ref', 512)
      .notNullable()
      .comment('The group whose entities the figures pool');
    table
      .bigInteger('window_from')
      .notNullable()
      .comment('Start of the window, epoch milliseconds (inclusive)');
    table
      .bigInteger('window_to')
      .notNullable()
      .comment('End of the window, epoch milliseconds (exclusive)');
    table
      .string('members_hash', 64)
      .notNullable()
      .comment('SHA-256 of the sorted entity refs the group pooled');
    table
      .bigInteger('data_version')
      .notNullable()
      .comment(
        'Sum of dora_pipeline_versions.version of those entities, read before the figures were computed',
      );
    table
      .text('figures')
      .notNullable()
      .comment(
        'figures and pipelines as GET /v1/pipelines answers them for the group, JSON',
      );
    table
      .bigInteger('computed_at')
      .notNullable()
      .comment('When the data versions were read, epoch milliseconds');
    table.primary(['scope_ref', 'window_from', 'window_to']);
    table.index(['computed_at'], 'dora_pipeline_figures_computed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_pipeline_figures');
  await knex.schema.dropTable('dora_pipeline_versions');
};
