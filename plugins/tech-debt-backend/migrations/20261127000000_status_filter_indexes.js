// @ts-check

/**
 * Indexes for the org register filtered by team or system and status (e.g. a team's open items): with only
 * (owner_ref, priority) and (status, priority), SQLite walked every item of the status to find one team's, about
 * 100 ms per page at 100,000 items. The trailing id matches the list's tie-break order.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('tech_debt_items', table => {
    table.index(
      ['owner_ref', 'status', 'priority', 'id'],
      'tech_debt_items_owner_status_priority_idx',
    );
    table.index(
      ['system_ref', 'status', 'priority', 'id'],
      'tech_debt_items_system_status_priority_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('tech_debt_items', table => {
    table.dropIndex([], 'tech_debt_items_owner_status_priority_idx');
    table.dropIndex([], 'tech_debt_items_system_status_priority_idx');
  });
};
