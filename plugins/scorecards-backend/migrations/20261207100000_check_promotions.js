// @ts-check

/*
 * Checks promoted to permanent requirements (for instance when a campaign ends): each row says that a check of a
 * configured scorecard counts towards a level (by default the scorecard's lowest). The backend merges the rows in
 * force with the configured definitions wherever it reads them. Rows are never deleted: a withdrawn promotion keeps
 * its row with `withdrawn_at`, so the record says who made what permanent, when, and why.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_check_promotions', table => {
    table.comment(
      'Checks promoted to permanent requirements, merged with the configured scorecard definitions',
    );
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('scorecard_id', 100)
      .notNullable()
      .comment('Id of the configured scorecard');
    table
      .string('check_id', 100)
      .notNullable()
      .comment('Id of the check within the scorecard');
    table
      .string('level_id', 100)
      .notNullable()
      .comment(
        'Level the check counts towards while the promotion is in force',
      );
    table
      .string('configured_level_id', 100)
      .notNullable()
      .comment('Level the configured definition gave the check when promoted');
    table.string('origin_kind', 20).notNullable().comment('campaign or manual');
    table
      .string('origin_id', 100)
      .nullable()
      .comment('Id of the campaign it came from, if any');
    table
      .string('origin_title', 200)
      .nullable()
      .comment('Name of the campaign when promoted, if any');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was promoted');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that promoted it');
    table
      .timestamp('withdrawn_at', { useTz: true })
      .nullable()
      .comment('When it was withdrawn; null while in force');
    table
      .string('withdrawn_by', 512)
      .nullable()
      .comment('Principal that withdrew it');
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Optimistic concurrency version, +1 per change');
    table
      .boolean('in_force')
      .nullable()
      .comment(
        'True while in force, null once withdrawn: unique with the check, so one promotion holds a check',
      );
    table.unique(['scorecard_id', 'check_id', 'in_force'], {
      indexName: 'scorecard_check_promotions_in_force_key',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_check_promotions');
};
