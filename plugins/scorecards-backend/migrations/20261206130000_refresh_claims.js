// @ts-check

/*
 * `POST /v1/entities/refresh` evaluates an entity at once, calling every fact provider. It is limited to one refresh
 * per entity per interval across all backend replicas: a refresh claims the entity's row (insert, or update when the
 * last claim is older than the interval); a refresh that cannot claim it gets 429.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_refresh_claims', table => {
    table.comment(
      'Last on-demand refresh of each entity, to limit refreshes per entity across replicas',
    );
    table
      .string('entity_ref', 512)
      .primary()
      .notNullable()
      .comment('Canonical ref of the refreshed entity');
    table
      .timestamp('refreshed_at', { useTz: true })
      .notNullable()
      .comment('When the last refresh was claimed');
    table
      .string('refreshed_by', 512)
      .notNullable()
      .comment('Principal that asked for it');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_refresh_claims');
};
