// @ts-check

/*
 * DORA's 2024 model: the rework rate counts the deployments a sender flags as unplanned fixes of a production problem
 * (besides those that restored an incident, which are found from the incident links at read time). The metrics read
 * the counted deployments of a window from one index; the flag joins it so that the reads stay index-only. Figures
 * kept for the org page were computed without the new figures and are dropped: the next request computes them again.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_deployments', table => {
    table
      .integer('rework')
      .notNullable()
      .defaultTo(0)
      .comment(
        '1 when the sender flagged the deployment as rework (an unplanned fix of a production problem), else 0',
      );
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropIndex([], 'dora_deployments_entity_counted_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.index(
      ['entity_ref', 'counted', 'finished_at', 'failed', 'rework'],
      'dora_deployments_entity_counted_idx',
    );
  });
  await knex('dora_scope_figures').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropIndex([], 'dora_deployments_entity_counted_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.index(
      ['entity_ref', 'counted', 'finished_at', 'failed'],
      'dora_deployments_entity_counted_idx',
    );
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropColumn('rework');
  });
  await knex('dora_scope_figures').delete();
};
