// @ts-check

/**
 * Pages of a campaign's entities by state (the campaign page's "Not done" and "Waived" tables) read an index range in
 * order and count from the index, instead of scanning and sorting all the campaign's entities (up to 10,000). On
 * PostgreSQL the entity ref is indexed in code-unit order ("C"), the order the page lists them in.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(
      'create index campaign_entities_page_idx on campaign_entities (campaign_id, state, entity_ref collate "C")',
    );
    return;
  }
  await knex.schema.alterTable('campaign_entities', table => {
    table.index(
      ['campaign_id', 'state', 'entity_ref'],
      'campaign_entities_page_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('campaign_entities', table => {
    table.dropIndex([], 'campaign_entities_page_idx');
  });
};
