// @ts-check
// A plain test migration (in a transaction).

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('gadgets', table => {
    table.comment('Test table');
    table.string('id').primary().comment('Test id');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gadgets');
};
