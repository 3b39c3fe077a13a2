// @ts-check

/**
 * What an ended campaign's promotion made permanent: the scorecards backend keeps the promotions themselves; the
 * campaign keeps which checks at which level, so its page says so without asking scorecards.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('campaigns', table => {
    table
      .text('promoted_checks')
      .nullable()
      .comment(
        'JSON array of { scorecardId, checkId, levelId, promotionId } made permanent when promoted; null before',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('campaigns', table => {
    table.dropColumn('promoted_checks');
  });
};
