// @ts-check

/*
 * Flow figures (PR cycle time in four parts, PR size, pull requests waiting for a first review) read the changes by
 * merge time and the open, unreviewed pull requests by opening time. The size comes with the change event; a pull
 * request closed without being merged stops waiting.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_changes', table => {
    table
      .integer('additions')
      .nullable()
      .comment('Lines the pull request adds, as sent; null when not reported');
    table
      .integer('deletions')
      .nullable()
      .comment(
        'Lines the pull request deletes, as sent; null when not reported',
      );
    table
      .bigInteger('closed_at')
      .nullable()
      .comment(
        'Pull request closed without being merged, epoch milliseconds; it no longer waits for a review',
      );
    table.index(['entity_ref', 'merged_at'], 'dora_changes_entity_merged_idx');
  });
  // Only the open pull requests without a review: a handful of rows, which a merged change never touches.
  await knex.raw(
    'create index dora_changes_waiting_idx on dora_changes (entity_ref, created_at) where merged_at is null and closed_at is null and first_review_at is null and created_at is not null',
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('drop index dora_changes_waiting_idx');
  await knex.schema.alterTable('dora_changes', table => {
    table.dropIndex([], 'dora_changes_entity_merged_idx');
  });
  await knex.schema.alterTable('dora_changes', table => {
    table.dropColumn('closed_at');
    table.dropColumn('deletions');
    table.dropColumn('additions');
  });
};
