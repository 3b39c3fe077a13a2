// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('goals', table => {
    table.comment('Goals (objectives), one row per goal');
    table.string('id', 36).primary().notNullable().comment('UUID of the goal');
    table.string('objective', 200).notNullable().comment('The objective');
    table.text('description').notNullable().comment('Markdown description');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('Canonical ref of the owning Group; null for an org goal');
    table
      .string('period', 16)
      .notNullable()
      .comment('The period, e.g. 2026-Q4, 2026-H1 or 2026');
    table
      .timestamp('period_start', { useTz: true })
      .notNullable()
      .comment('Start of the period (inclusive, UTC)');
    table
      .timestamp('period_end', { useTz: true })
      .notNullable()
      .comment('End of the period (exclusive, UTC)');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version, +1 on every change');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the goal was created');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that created the goal');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the goal last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed the goal');
    table.index(['owner_ref', 'period'], 'goals_owner_period_idx');
    table.index(['period_end'], 'goals_period_end_idx');
  });

  await knex.schema.createTable('goal_key_results', table => {
    table.comment('Key results of goals, each bound to a figure');
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the key result');
    table
      .string('goal_id', 36)
      .notNullable()
      .references('id')
      .inTable('goals')
      .onDelete('CASCADE')
      .comment('The goal it belongs to');
    table
      .integer('position')
      .notNullable()
      .comment('Order within the goal, from 0');
    table.string('title', 200).notNullable().comment('What is measured');
    table
      .text('figure')
      .notNullable()
      .comment('JSON figure descriptor: source, metric, scope, params');
    table
      .string('source', 32)
      .notNullable()
      .comment('The figure source, copied out of figure for filtering');
    table.string('direction', 8).notNullable().comment('up or down');
    table.double('target').notNullable().comment('The target value');
    table
      .double('baseline')
      .nullable()
      .comment('The value at the start of the period; null until recorded');
    table
      .timestamp('baseline_at', { useTz: true })
      .nullable()
      .comment('When the baseline was recorded');
    table
      .double('current_value')
      .nullable()
      .comment('The latest value read or typed in');
    table
      .timestamp('current_at', { useTz: true })
      .nullable()
      .comment('When current_value was read or typed in');
    table
      .boolean('available')
      .notNullable()
      .comment('Whether the figure could be read at the last try');
    table
      .string('unavailable_reason', 1000)
      .nullable()
      .comment('Why the figure could not be read at the last try');
    table.index(['goal_id'], 'goal_key_results_goal_idx');
  });

  await knex.schema.createTable('goal_key_result_values', table => {
    table.comment('Daily values of key results: the trend line');
    table
      .string('key_result_id', 36)
      .notNullable()
      .references('id')
      .inTable('goal_key_results')
      .onDelete('CASCADE')
      .comment('The key result');
    table.string('day', 10).notNullable().comment('The day, YYYY-MM-DD (UTC)');
    table
      .double('value')
      .nullable()
      .comment('The value that day (the last read of the day); null: no data');
    table.primary(['key_result_id', 'day']);
  });

  await knex.schema.createTable('goal_events', table => {
    table.comment('Append-only history of goals');
    table.bigIncrements('id').comment('Order of the events');
    table
      .string('goal_id', 36)
      .notNullable()
      .comment('The goal (kept after the goal is deleted)');
    table
      .string('action', 32)
      .notNullable()
      .comment('created, updated, deleted, baseline_recorded or manual_value');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When it happened');
    table
      .string('actor', 512)
      .notNullable()
      .comment('Principal that did it, or goals:snapshot');
    table.text('details').notNullable().comment('JSON: what changed');
    table.index(['goal_id'], 'goal_events_goal_idx');
  });

  await knex.schema.createTable('campaigns', table => {
    table.comment('Campaigns: checks entities have to pass by a deadline');
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the campaign');
    table.string('name', 200).notNullable().comment('Name of the campaign');
    table.text('description').notNullable().comment('Markdown description');
    table
      .text('checks')
      .notNullable()
      .comment('JSON array of { scorecardId, checkId }');
    table
      .text('selection')
      .notNullable()
      .comment(
        'JSON entity selection (owner, system, kind, type, tag, scorecardLevel)',
      );
    table
      .string('deadline', 10)
      .notNullable()
      .comment('Last day entities have to pass, YYYY-MM-DD (UTC)');
    table
      .double('effort_days_per_entity')
      .nullable()
      .comment('Estimated engineer-days per entity; null when not estimated');
    table
      .text('reminder_days')
      .notNullable()
      .comment('JSON array of days before the deadline to remind owners');
    table
      .integer('entities')
      .notNullable()
      .comment('Entities asked, at the last snapshot');
    table
      .integer('done')
      .notNullable()
      .comment('Entities passing every check, at the last snapshot');
    table
      .integer('waived')
      .notNullable()
      .comment('Entities done through waivers, at the last snapshot');
    table
      .timestamp('snapshot_at', { useTz: true })
      .nullable()
      .comment('When the last snapshot was taken');
    table
      .timestamp('promoted_at', { useTz: true })
      .nullable()
      .comment('When the campaign was promoted to a permanent check');
    table.string('promoted_by', 512).nullable().comment('Who promoted it');
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version, +1 on every change');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the campaign was created (launched)');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that created it');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the campaign last changed');
    table
      .string('updated_by', 512)
      .notNullable()
      .comment('Principal that last changed it');
    table.index(['deadline'], 'campaigns_deadline_idx');
  });

  await knex.schema.createTable('campaign_entities', table => {
    table.comment(
      'Entities of a campaign and where each stands, at the last snapshot',
    );
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE')
      .comment('The campaign');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the entity');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('Owner of the entity as the catalog said at the snapshot');
    table.string('state', 16).notNullable().comment('done, waived or open');
    table
      .text('failing_checks')
      .notNullable()
      .comment('JSON array of scorecardId/checkId failing without a waiver');
    table
      .text('waived_checks')
      .notNullable()
      .comment('JSON array of scorecardId/checkId failing with a waiver');
    table.primary(['campaign_id', 'entity_ref']);
    table.index(['entity_ref'], 'campaign_entities_entity_idx');
    table.index(['owner_ref'], 'campaign_entities_owner_idx');
  });

  await knex.schema.createTable('campaign_teams', table => {
    table.comment(
      'Per-team figures and capacity of a campaign, at the last snapshot',
    );
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE')
      .comment('The campaign');
    table
      .string('owner_ref', 512)
      .notNullable()
      .comment("The team's ref; empty for entities without an owner");
    table
      .integer('entities')
      .notNullable()
      .comment('Entities of the team asked');
    table.integer('done').notNullable().comment('Of those, done');
    table
      .integer('waived')
      .notNullable()
      .comment('Of those, done through waivers');
    table
      .double('remaining_effort_days')
      .nullable()
      .comment(
        'Entities not done x effort per entity; null without an estimate',
      );
    table
      .string('quarter', 7)
      .notNullable()
      .comment('Quarter of the capacity budget: the one the deadline is in');
    table
      .double('reserved_days')
      .nullable()
      .comment(
        'Days the team reserved for debt that quarter; null without a budget',
      );
    table
      .double('paid_down_days')
      .nullable()
      .comment('Days the team paid down that quarter');
    table
      .boolean('capacity_available')
      .notNullable()
      .comment('Whether the tech-debt budget could be read');
    table
      .string('capacity_reason', 1000)
      .nullable()
      .comment('Why the budget could not be read');
    table.primary(['campaign_id', 'owner_ref']);
  });

  await knex.schema.createTable('campaign_burnup', table => {
    table.comment('Daily burn-up of campaigns, whole and per team');
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE')
      .comment('The campaign');
    table.string('day', 10).notNullable().comment('The day, YYYY-MM-DD (UTC)');
    table
      .string('owner_ref', 512)
      .notNullable()
      .comment(
        "The team's ref; '*' for the whole campaign, empty for no owner",
      );
    table.integer('entities').notNullable().comment('Entities asked that day');
    table.integer('done').notNullable().comment('Of those, done');
    table
      .integer('waived')
      .notNullable()
      .comment('Of those, done through waivers');
    table.primary(['campaign_id', 'day', 'owner_ref']);
  });

  await knex.schema.createTable('campaign_reminders', table => {
    table.comment(
      'Reminders sent, one per campaign and offset across replicas and re-runs',
    );
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('campaigns')
      .onDelete('CASCADE')
      .comment('The campaign');
    table
      .integer('days_before')
      .notNullable()
      .comment('The offset: days before the deadline');
    table
      .timestamp('sent_at', { useTz: true })
      .notNullable()
      .comment('When the reminder was claimed and sent');
    table
      .integer('recipients')
      .notNullable()
      .comment('Owner refs the notification went to; 0 when skipped');
    table.primary(['campaign_id', 'days_before']);
  });

  await knex.schema.createTable('campaign_events', table => {
    table.comment('Append-only history of campaigns');
    table.bigIncrements('id').comment('Order of the events');
    table
      .string('campaign_id', 36)
      .notNullable()
      .comment('The campaign (kept after the campaign is deleted)');
    table
      .string('action', 32)
      .notNullable()
      .comment('created, updated, deleted, reminded or promoted');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When it happened');
    table
      .string('actor', 512)
      .notNullable()
      .comment('Principal that did it, or goals:snapshot');
    table.text('details').notNullable().comment('JSON: what changed');
    table.index(['campaign_id'], 'campaign_events_campaign_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('campaign_events');
  await knex.schema.dropTable('campaign_reminders');
  await knex.schema.dropTable('campaign_burnup');
  await knex.schema.dropTable('campaign_teams');
  await knex.schema.dropTable('campaign_entities');
  await knex.schema.dropTable('campaigns');
  await knex.schema.dropTable('goal_events');
  await knex.schema.dropTable('goal_key_result_values');
  await knex.schema.dropTable('goal_key_results');
  await knex.schema.dropTable('goals');
};
