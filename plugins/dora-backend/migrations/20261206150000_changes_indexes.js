// @ts-check

/*
 * Every write of a change keeps each index of dora_changes up to date, and at millions of rows that upkeep is most of
 * what a batch of events costs the database. The index on deployment_id served three reads, which now go without it:
 *   - the changes a re-sent deployment was linked to: they are among the changes its previous commit list names
 *     (read before the list is replaced), found through dora_changes_entity_sha_idx;
 *   - GET /v1/changes?deploymentId=: through the deployment's commit list the same way;
 *   - the data-health report's changes never deployed: a partial index of only those (deployment_id is null), which
 *     a change written already linked (the usual case) never touches.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'create index dora_changes_undeployed_idx on dora_changes (entity_ref) where deployment_id is null',
  );
  await knex.schema.alterTable('dora_changes', table => {
    table.dropIndex([], 'dora_changes_deployment_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dora_changes', table => {
    table.index(['deployment_id'], 'dora_changes_deployment_idx');
  });
  await knex.raw('drop index dora_changes_undeployed_idx');
};
