// @ts-check
// A test migration shaped like the catalog's large ones: outside a transaction (so knex's lock row is committed while
// it runs) and slow enough (a pause on PostgreSQL) for other processes to arrive meanwhile.

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  // Outside a transaction a crash can stop it halfway, so it must be able to run again over what it did.
  if (!(await knex.schema.hasTable('widgets'))) {
    await knex.schema.createTable('widgets', table => {
      table.comment('Test table');
      table.string('id').primary().comment('Test id');
    });
  }
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `select pg_sleep(${Number(
        process.env.FIXTURE_MIGRATION_SLEEP_SECONDS ?? 0.5,
      )})`,
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('widgets');
};

exports.config = { transaction: false };
