// @ts-check

/*
 * The flow org page (GET /v1/flow/teams) is served from each group's flow figures kept per window instead of from
 * every pull request the org merged in the window: a team's medians and p75s are exact only over all of its pull
 * requests, so they are computed once, kept here, and computed again by a scheduled refresh (and by a request that
 * finds none it may serve). Kept figures name what they were computed from, as dora_scope_figures does for the DORA
 * org page: the entities the catalog pooled for the group (members_hash) and the sum of their data versions
 * (dora_entities.version, raised by every write of an entity's events).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_flow_figures', table => {
    table.comment(
      'Flow figures of a group (what it pools) for one window, exact as of computed_at; see GET /v1/flow/teams',
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
      .integer('large_pr_lines')
      .notNullable()
      .comment(
        'dora.flow.largePrLines the figures were computed with (a pull request over it is large)',
      );
    table
      .string('members_hash', 64)
      .notNullable()
      .comment('SHA-256 of the sorted entity refs the group pooled');
    table
      .bigInteger('data_version')
      .notNullable()
      .comment(
        'Sum of dora_entities.version of those entities, read before the figures were computed',
      );
    table
      .text('figures')
      .notNullable()
      .comment(
        'pullRequests, unreviewed, parts and size as GET /v1/flow answers them for the group, JSON',
      );
    table
      .bigInteger('computed_at')
      .notNullable()
      .comment(
        'When the data versions were read, epoch milliseconds: the figures hold every write committed before it',
      );
    table.primary(['scope_ref', 'window_from', 'window_to', 'large_pr_lines']);
    table.index(['computed_at'], 'dora_flow_figures_computed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_flow_figures');
};
