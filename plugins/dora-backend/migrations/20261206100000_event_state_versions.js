// @ts-check

/*
 * Updates to an event must never move it backwards in time: a late or replayed webhook (a PagerDuty
 * `incident.triggered` after `incident.resolved`) must not undo newer state. Each event row records the version of the
 * state it holds, the latest of the event's own timestamps (and of `updatedAt` when the sender gave one); an update
 * older than that is ignored. Rows written before this migration keep null and are compared by their timestamps.
 */

const TABLES = ['dora_deployments', 'dora_changes', 'dora_incidents'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of TABLES) {
    await knex.schema.alterTable(name, table => {
      table
        .bigInteger('state_at')
        .nullable()
        .comment(
          'Version of the stored state: latest of the event timestamps and updatedAt, epoch milliseconds; older updates are ignored. Null: derived from the timestamps',
        );
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of [...TABLES].reverse()) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('state_at');
    });
  }
};
