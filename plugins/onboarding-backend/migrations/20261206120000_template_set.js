// @ts-check

/**
 * The onboarding templates every replica serves, stored once so that all replicas read the same set and a template
 * file that becomes unreadable or invalid leaves the last good set in place.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('onboarding_template_sets', table => {
    table.comment(
      'The last good onboarding templates read from onboarding.templates: one row, shared by every replica',
    );
    table
      .integer('id')
      .primary()
      .notNullable()
      .comment('Always 1: there is one template set');
    table
      .integer('revision')
      .notNullable()
      .comment(
        'Grows by one on every change; replicas compare it to notice a new set',
      );
    // longtext on MySQL (a text column there holds 64 KB); plain text elsewhere.
    table
      .text('templates', 'longtext')
      .notNullable()
      .comment('The templates served, as JSON: [{ template, source }]');
    table
      .text('problems', 'longtext')
      .notNullable()
      .comment(
        'The problems of the last read, as JSON: [{ source, template?, message }]',
      );
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When this set was stored');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('onboarding_template_sets');
};
