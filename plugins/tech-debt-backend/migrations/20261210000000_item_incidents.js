// @ts-check

/**
 * The incidents a debt item came from (postmortem action items, issue 13): one row per item and DORA incident, holding
 * a snapshot of the incident as the linking caller saw it, so that the register can measure an item's interest
 * (incidents and restore minutes in the last 90 days) without asking the DORA plugin on every read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('tech_debt_item_incidents', table => {
    table.comment(
      'Incidents linked to debt items, one row per item and incident, with a snapshot of the incident',
    );
    table
      .string('item_id', 36)
      .notNullable()
      .comment('The debt item (tech_debt_items.id); removed with the item');
    table
      .string('incident_id', 200)
      .notNullable()
      .comment('The DORA incident id as sent, e.g. pagerduty:PGR0VU2');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the entity the incident happened on');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the incident started');
    table
      .bigInteger('created_ms')
      .notNullable()
      .comment(
        'created_at in milliseconds since 1970, for minute arithmetic that reads the same on every database',
      );
    table
      .timestamp('resolved_at', { useTz: true })
      .nullable()
      .comment('When the incident was resolved; null while it is ongoing');
    table
      .double('restore_minutes')
      .nullable()
      .comment(
        'Minutes to restore service of a resolved incident; null while it is ongoing',
      );
    table
      .string('severity', 50)
      .nullable()
      .comment('Severity as the incident tool names it, e.g. SEV1');
    table
      .string('title', 500)
      .nullable()
      .comment('Title of the incident or its postmortem');
    table
      .string('postmortem_id', 200)
      .nullable()
      .comment('Id of the postmortem the link came from');
    table
      .string('postmortem_url', 2048)
      .nullable()
      .comment('Link to the postmortem');
    table
      .timestamp('linked_at', { useTz: true })
      .notNullable()
      .comment('When the incident was first linked to the item');
    table
      .string('linked_by', 512)
      .notNullable()
      .comment('Principal that first linked it');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the snapshot last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed the snapshot');
    table.primary(['item_id', 'incident_id']);
    // Measured interest and the repeat-incidents report read the links of a window.
    table.index(
      ['created_ms', 'item_id'],
      'tech_debt_item_incidents_created_idx',
    );
    table.index(['incident_id'], 'tech_debt_item_incidents_incident_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('tech_debt_item_incidents');
};
