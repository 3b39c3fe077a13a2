// @ts-check
// A second migrations table in the same database, as Backstage's scheduler keeps beside a plugin's own
// (backstage_backend_tasks__knex_migrations).

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('tasks', table => {
    table.comment('Test table');
    table.string('id').primary().comment('Test id');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('tasks');
};
