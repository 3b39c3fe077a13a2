// @ts-check

/*
 * The org page (GET /v1/teams) is served from figures computed once per team and window and kept for as long as the
 * data they were computed from is unchanged: a team of 200 entities pools tens of thousands of changes, and an exact
 * median has to look at every one of them. A team's stored figures are valid while the catalog pools the same entities
 * for it (members_hash) and none of those entities has been written since (the sum of their `dora_entities.version`,
 * which every write of an entity's events increases).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_entities', table => {
    table
      .bigInteger('version')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Raised by one in every transaction that writes events of the entity; stored team figures name the sum',
      );
  });

  await knex.schema.createTable('dora_scope_figures', table => {
    table.comment(
      'DORA figures of a group (what it pools) for one window, valid while members_hash and data_version hold',
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
      .string('benchmark', 8)
      .notNullable()
      .comment('The tier benchmark the figures were rated with (2023, 2021)');
    table
      .string('members_hash', 64)
      .notNullable()
      .comment('SHA-256 of the sorted entity refs the group pooled');
    table
      .bigInteger('data_version')
      .notNullable()
      .comment('Sum of dora_entities.version of those entities when computed');
    table
      .text('metrics')
      .notNullable()
      .comment(
        'The metrics as GET /v1/metrics answers them, JSON, without entityRefs',
      );
    table
      .bigInteger('computed_at')
      .notNullable()
      .comment('When the figures were computed, epoch milliseconds');
    table.primary(['scope_ref', 'window_from', 'window_to', 'benchmark']);
    table.index(['computed_at'], 'dora_scope_figures_computed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_scope_figures');
  await knex.schema.alterTable('dora_entities', table => {
    table.dropColumn('version');
  });
};
