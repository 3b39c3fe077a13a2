// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('postmortem_incidents', table => {
    table.comment(
      'The DORA incidents, as last read from the DORA API, with the owner of their entity: what coverage and follow-through are counted over',
    );
    table
      .string('id', 200)
      .primary()
      .notNullable()
      .comment('DORA incident id, e.g. pagerduty:PGR0VU2');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the affected entity');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment(
        'Owner of the entity as last seen in the catalog (canonical ref)',
      );
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('Incident opened, epoch milliseconds');
    table
      .bigInteger('resolved_at')
      .nullable()
      .comment('Incident resolved, epoch milliseconds; null while open');
    table.string('severity', 50).nullable().comment('Severity as DORA has it');
    table
      .string('severity_key', 50)
      .nullable()
      .comment(
        'Severity trimmed and lower-cased, compared with the qualifying ones',
      );
    table.string('url', 2048).nullable().comment('Link to the incident');
    table
      .string('deployment_id', 200)
      .nullable()
      .comment('The deployment DORA links the incident to');
    table
      .integer('restore_minutes')
      .nullable()
      .comment('Minutes from opened to resolved, as DORA computes them');
    table
      .bigInteger('synced_at')
      .notNullable()
      .comment('When this row was last read from DORA, epoch milliseconds');
    table.index(
      ['entity_ref', 'created_at'],
      'pm_incidents_entity_created_idx',
    );
    table.index(['owner_ref', 'created_at'], 'pm_incidents_owner_created_idx');
    // The org page and the follow-through read a window of incidents by creation, their severity and owner: covered
    // by this index without reading the rows.
    table.index(
      ['created_at', 'severity_key', 'owner_ref', 'id'],
      'pm_incidents_window_idx',
    );
  });

  await knex.schema.createTable('postmortems', table => {
    table.comment('Postmortems, at most one per incident');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('incident_id', 200)
      .notNullable()
      .unique('postmortems_incident_unique')
      .comment('The DORA incident (postmortem_incidents.id)');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the affected entity (the incident entity)');
    table.string('title', 200).notNullable().comment('One line');
    table
      .string('status', 32)
      .notNullable()
      .comment('draft, in_review or published');
    table
      .string('template_id', 100)
      .notNullable()
      .comment('The template it was started from');
    table.text('summary').notNullable().comment('Markdown');
    table.text('customer_impact').notNullable().comment('Markdown');
    table
      .text('timeline')
      .notNullable()
      .comment('JSON array of { at, text }, sorted by at');
    table.text('contributing_factors').notNullable().comment('Markdown');
    table.text('what_went_well').notNullable().comment('Markdown');
    table.text('what_was_hard').notNullable().comment('Markdown');
    table.text('lessons').notNullable().comment('Markdown');
    table
      .text('extra_sections')
      .notNullable()
      .comment('JSON object: Markdown of the sections a template adds, by id');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version, +1 on every change');
    table.bigInteger('created_at').notNullable().comment('Epoch milliseconds');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that created it');
    table
      .bigInteger('updated_at')
      .notNullable()
      .comment('Epoch milliseconds of the last change');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal of the last change');
    table
      .bigInteger('published_at')
      .nullable()
      .comment('When it was published, epoch milliseconds');
    table.index(['entity_ref'], 'postmortems_entity_idx');
    table.index(['status'], 'postmortems_status_idx');
  });

  await knex.schema.createTable('postmortem_authors', table => {
    table.comment('The authors of each postmortem');
    table
      .string('postmortem_id', 36)
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE')
      .comment('postmortems.id');
    table
      .string('user_ref', 512)
      .notNullable()
      .comment('Canonical User entity ref');
    table
      .integer('position')
      .notNullable()
      .comment('Order the authors were given in');
    table.primary(['postmortem_id', 'user_ref']);
    table.index(['user_ref'], 'postmortem_authors_user_idx');
  });

  await knex.schema.createTable('postmortem_history', table => {
    table.comment('Append-only history of every change of a postmortem');
    table.increments('id').primary().comment('Order of the entries');
    table
      .string('postmortem_id', 36)
      .notNullable()
      .comment('postmortems.id (kept as is; history is never deleted)');
    table
      .integer('version')
      .notNullable()
      .comment('The postmortem version after the change');
    table
      .string('action', 32)
      .notNullable()
      .comment('created, updated, action_item_added or action_item_removed');
    table.string('actor', 512).notNullable().comment('Who made the change');
    table.bigInteger('at').notNullable().comment('Epoch milliseconds');
    table
      .text('changes')
      .notNullable()
      .comment('JSON object: field name to { from, to }');
    table.index(['postmortem_id', 'id'], 'postmortem_history_pm_idx');
  });

  await knex.schema.createTable('postmortem_action_items', table => {
    table.comment(
      'Action items: tech-debt items linked to a postmortem, with the debt item as last read from the register',
    );
    table
      .string('postmortem_id', 36)
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE')
      .comment('postmortems.id');
    table
      .string('debt_item_id', 36)
      .notNullable()
      .comment('Id of the item in the tech-debt register');
    table
      .string('origin', 16)
      .notNullable()
      .comment('created (from the postmortem) or linked (existing item)');
    table
      .string('due_date', 10)
      .nullable()
      .comment('YYYY-MM-DD it should be done by; null for none');
    table.bigInteger('added_at').notNullable().comment('Epoch milliseconds');
    table.string('added_by', 512).notNullable().comment('Who added it');
    table
      .string('debt_title', 200)
      .nullable()
      .comment('Title of the debt item as last read; null when never read');
    table
      .string('debt_status', 32)
      .nullable()
      .comment('Status of the debt item as last read; null when never read');
    table
      .string('debt_entity_ref', 512)
      .nullable()
      .comment('Entity of the debt item as last read');
    table
      .string('debt_owner_ref', 512)
      .nullable()
      .comment('Owner of the debt item as last read');
    table
      .string('debt_assignee', 512)
      .nullable()
      .comment('Assignee of the debt item as last read');
    table
      .boolean('debt_gone')
      .notNullable()
      .defaultTo(false)
      .comment('The register no longer has the item (deleted)');
    table
      .bigInteger('debt_checked_at')
      .nullable()
      .comment('When the debt item was last read, epoch milliseconds');
    table.primary(['postmortem_id', 'debt_item_id']);
    table.index(['debt_item_id'], 'pm_action_items_debt_idx');
    // Overdue action items: by due date, with what tells whether they are open.
    table.index(
      ['due_date', 'debt_gone', 'debt_status', 'postmortem_id'],
      'pm_action_items_due_idx',
    );
  });

  await knex.schema.createTable('postmortem_notifications', table => {
    table.comment(
      'What the follow-through job has notified, so that a re-run (on any replica) does not notify it again',
    );
    table
      .string('notice_key', 600)
      .primary()
      .notNullable()
      .comment(
        'What was notified, e.g. missing:<incident id> or overdue:<postmortem id>:<debt item id>',
      );
    table
      .string('team_ref', 512)
      .nullable()
      .comment('The team that was notified');
    table
      .bigInteger('sent_at')
      .notNullable()
      .comment('When it was claimed for sending, epoch milliseconds');
  });

  await knex.schema.createTable('postmortem_sync_state', table => {
    table.comment('Small state of the scheduled jobs, by name');
    table
      .string('name', 100)
      .primary()
      .notNullable()
      .comment('e.g. incidents.fullSyncAt');
    table.bigInteger('value').notNullable().comment('Epoch milliseconds');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('postmortem_sync_state');
  await knex.schema.dropTable('postmortem_notifications');
  await knex.schema.dropTable('postmortem_action_items');
  await knex.schema.dropTable('postmortem_history');
  await knex.schema.dropTable('postmortem_authors');
  await knex.schema.dropTable('postmortems');
  await knex.schema.dropTable('postmortem_incidents');
};
