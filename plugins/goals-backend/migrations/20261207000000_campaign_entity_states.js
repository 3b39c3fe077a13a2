// @ts-check

/**
 * The entity states of a campaign's last snapshot, kept as one document so that a campaign page reads one row, not
 * one row per entity (a campaign may ask 10,000 entities). campaign_entities stays: it answers "which campaigns ask
 * this entity or team" through its indexes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('campaign_entity_states', table => {
    table.comment(
      'Entity states of a campaign at the last snapshot, as its page shows them',
    );
    table
      .string('campaign_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE')
      .comment('The campaign');
    table
      .text('entity_states', 'longtext')
      .notNullable()
      .comment(
        'JSON array of { entityRef, ownerRef, state, failingChecks, waivedChecks }: open first, then waived, then done, each by entity ref',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('campaign_entity_states');
};
