// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('tech_debt_items', table => {
    table.comment('Debt items, one row per item, attached to a catalog entity');
    table.string('id', 36).primary().notNullable().comment('UUID of the item');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the entity the item belongs to');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('spec.owner of the entity as last seen in the catalog');
    table
      .string('system_ref', 512)
      .nullable()
      .comment('spec.system of the entity as last seen in the catalog');
    table.string('title', 200).notNullable().comment('Short title');
    table.text('description').notNullable().comment('Markdown description');
    table
      .string('category', 32)
      .notNullable()
      .comment('One of the debt categories');
    table
      .integer('impact')
      .notNullable()
      .comment('Impact from 1 (minor) to 5 (severe)');
    table
      .double('effort_days')
      .notNullable()
      .comment('Estimated effort in ideal engineer-days');
    table
      .double('interest_hours')
      .nullable()
      .comment('Hours lost per month while unpaid');
    table
      .double('priority')
      .notNullable()
      .comment('Derived priority, see computePriority');
    table
      .string('status', 32)
      .notNullable()
      .comment('open, planned, in_progress, resolved or wont_fix');
    table
      .string('assignee', 512)
      .nullable()
      .comment('User entity ref of the assignee');
    table
      .string('tracker_url', 2048)
      .nullable()
      .comment('Link to the item in an issue tracker');
    table.text('tags').notNullable().comment('JSON array of lower-case tags');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version, +1 on every change');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the item was created');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that created the item');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the item last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed the item');
    table
      .timestamp('resolved_at', { useTz: true })
      .nullable()
      .comment('When the item last entered resolved');
    table.index(
      ['entity_ref', 'priority'],
      'tech_debt_items_entity_priority_idx',
    );
    table.index(['priority'], 'tech_debt_items_priority_idx');
    table.index(
      ['owner_ref', 'priority'],
      'tech_debt_items_owner_priority_idx',
    );
    table.index(
      ['system_ref', 'priority'],
      'tech_debt_items_system_priority_idx',
    );
    table.index(['status', 'priority'], 'tech_debt_items_status_priority_idx');
    table.index(
      ['owner_ref', 'resolved_at'],
      'tech_debt_items_owner_resolved_idx',
    );
  });

  await knex.schema.createTable('tech_debt_item_events', table => {
    table.comment('Append-only history of debt items: who changed what, when');
    table.bigIncrements('id').primary().comment('Sequence of the event');
    table
      .string('item_id', 36)
      .notNullable()
      .comment('The item the event is about (kept after deletion)');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Entity of the item at the time of the event');
    table
      .string('action', 16)
      .notNullable()
      .comment('created, updated or deleted');
    table
      .string('actor', 512)
      .notNullable()
      .comment('Principal that made the change');
    table
      .timestamp('occurred_at', { useTz: true })
      .notNullable()
      .comment('When the change happened');
    table
      .text('changes')
      .notNullable()
      .comment('JSON object of field -> { from, to }');
    table.index(['item_id', 'id'], 'tech_debt_item_events_item_idx');
  });

  await knex.schema.createTable('tech_debt_budgets', table => {
    table.comment(
      'Share of capacity a team reserves for debt work, per quarter',
    );
    table
      .string('group_ref', 512)
      .notNullable()
      .comment('Group entity ref of the team');
    table.string('quarter', 7).notNullable().comment('Quarter, e.g. 2026-Q4');
    table
      .double('capacity_days')
      .notNullable()
      .comment('Engineer-days the team has in the quarter');
    table
      .double('share_percent')
      .notNullable()
      .comment('Percent of capacity reserved for debt work');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the budget last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed the budget');
    table.primary(['group_ref', 'quarter']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('tech_debt_budgets');
  await knex.schema.dropTable('tech_debt_item_events');
  await knex.schema.dropTable('tech_debt_items');
};
