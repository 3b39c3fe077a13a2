// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Key columns are sized so that every primary key fits MySQL's 3072-byte index limit in utf8mb4.
  await knex.schema.createTable('onboarding_checklists', table => {
    table.comment(
      'Every checklist seen for a person, with its progress rolled up on every write',
    );
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('Canonical lower-case ref of the person');
    table
      .string('checklist_id', 400)
      .notNullable()
      .comment(
        'Template name, or <template>:<entityRef> for an entity checklist',
      );
    table
      .string('template_id', 63)
      .notNullable()
      .comment('Name of the template the checklist comes from');
    table
      .string('entity_ref', 512)
      .nullable()
      .comment('The entity an entity checklist is for');
    table
      .string('team_ref', 512)
      .nullable()
      .comment(
        'The team the checklist counts for in reports: the person’s team, or the entity’s owner',
      );
    table
      .string('team_title', 512)
      .nullable()
      .comment('Title of team_ref, for reports');
    table
      .string('origin', 16)
      .notNullable()
      .comment(
        'membership (from the person’s groups) or entity-page (opened on an entity page)',
      );
    table
      .boolean('active')
      .notNullable()
      .comment(
        'Whether the checklist still applies to the person (template present, still a member)',
      );
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment(
        'The first time the checklist was seen for the person; never changes',
      );
    table.integer('done_count').notNullable().comment('Steps done');
    table.integer('total_count').notNullable().comment('Steps in the template');
    table
      .timestamp('last_progress_at', { useTz: true })
      .nullable()
      .comment('Latest progress on a step');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment('When the last step was done, while every step is done');
    table.primary(['user_ref', 'checklist_id']);
    table.index(['template_id'], 'onboarding_checklists_template_idx');
  });

  await knex.schema.createTable('onboarding_step_states', table => {
    table.comment(
      'The current state of each step a person completed (manual ticks and recorded automatic completions)',
    );
    table.string('user_ref', 255).notNullable().comment('The person');
    table.string('checklist_id', 400).notNullable().comment('The checklist');
    table
      .string('step_id', 100)
      .notNullable()
      .comment('The step id within the template');
    table.boolean('done').notNullable().comment('Whether the step is done');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment(
        'When it was done (for automatic steps: when the evidence happened)',
      );
    table
      .timestamp('progress_at', { useTz: true })
      .nullable()
      .comment(
        'When it counts as progress: the tick, or the evidence but not before the checklist started',
      );
    table.string('completed_by', 16).nullable().comment('user or automatic');
    table
      .text('evidence')
      .nullable()
      .comment('What completed an automatic step');
    table.primary(['user_ref', 'checklist_id', 'step_id']);
  });

  await knex.schema.createTable('onboarding_step_history', table => {
    table.comment(
      'Append-only history of step completions, un-ticks and resets',
    );
    table.bigIncrements('id').primary().comment('Sequence of the entry');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('The person whose step it is');
    table.string('checklist_id', 400).notNullable().comment('The checklist');
    table.string('step_id', 100).notNullable().comment('The step');
    table.boolean('done').notNullable().comment('The state after the change');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When it was recorded');
    table.string('by', 16).notNullable().comment('user, automatic or reset');
    table
      .string('actor_ref', 512)
      .nullable()
      .comment('Who did it: the person, or whoever reset');
    table
      .text('evidence')
      .nullable()
      .comment('What completed an automatic step');
    table.index(['user_ref', 'id'], 'onboarding_step_history_user_idx');
  });

  await knex.schema.createTable('onboarding_shas', table => {
    table.comment(
      'Changes and production deployments learned from DORA events, by entity and commit',
    );
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The entity the change belongs to');
    table.string('sha', 100).notNullable().comment('Commit sha');
    table
      .string('user_ref', 255)
      .nullable()
      .comment(
        'The author, resolved to a user entity; null when not (yet) known',
      );
    table.string('change_id', 200).nullable().comment('DORA id of the change');
    table
      .timestamp('merged_at', { useTz: true })
      .nullable()
      .comment('When the change was merged (a plain commit: authored)');
    table
      .timestamp('deployed_at', { useTz: true })
      .nullable()
      .comment(
        'Finish of the earliest successful production deployment that shipped it',
      );
    table
      .string('deployment_id', 200)
      .nullable()
      .comment('DORA id of that deployment');
    table.primary(['entity_ref', 'sha']);
    table.index(['user_ref'], 'onboarding_shas_user_idx');
  });

  await knex.schema.createTable('onboarding_visits', table => {
    table.comment(
      'Docs visits the frontend reported, first visit per person, entity and kind',
    );
    table.string('user_ref', 255).notNullable().comment('The person');
    table
      .string('entity_ref', 400)
      .notNullable()
      .comment('The entity whose docs were opened');
    table.string('kind', 16).notNullable().comment('What was visited (docs)');
    table
      .timestamp('visited_at', { useTz: true })
      .notNullable()
      .comment('The first visit');
    table.primary(['user_ref', 'entity_ref', 'kind']);
  });

  await knex.schema.createTable('onboarding_people', table => {
    table.comment(
      'One row per person with checklists: rollup of their onboarding, kept up to date on every write',
    );
    table.string('user_ref', 255).primary().notNullable().comment('The person');
    table
      .string('display_name', 512)
      .nullable()
      .comment('spec.profile.displayName of the user');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('Start of their earliest active checklist');
    table
      .timestamp('first_change_at', { useTz: true })
      .nullable()
      .comment('Their first merged change at or after started_at');
    table
      .timestamp('first_deploy_at', { useTz: true })
      .nullable()
      .comment(
        'First production deployment of one of their changes at or after started_at',
      );
  });

  await knex.schema.createTable('onboarding_team_members', table => {
    table.comment(
      'Rollup per team and person over the person’s active checklists counting for that team; the reports read only this',
    );
    table.string('team_ref', 512).notNullable().comment('The team');
    table.string('user_ref', 255).notNullable().comment('The person');
    table.string('team_title', 512).nullable().comment('Title of the team');
    table
      .integer('checklists')
      .notNullable()
      .comment('Active checklists of the person for the team');
    table
      .integer('done_count')
      .notNullable()
      .comment('Steps done over those checklists');
    table
      .integer('total_count')
      .notNullable()
      .comment('Steps over those checklists');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('Earliest start of those checklists');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment('When the last of them was completed, while all are complete');
    table
      .timestamp('last_progress_at', { useTz: true })
      .nullable()
      .comment('Latest progress on any of them');
    table
      .timestamp('first_change_at', { useTz: true })
      .nullable()
      .comment('The person’s first merged change at or after started_at');
    table
      .timestamp('first_deploy_at', { useTz: true })
      .nullable()
      .comment(
        'First production deployment of one of their changes at or after started_at',
      );
    table.primary(['team_ref', 'user_ref']);
    table.index(['user_ref'], 'onboarding_team_members_user_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('onboarding_team_members');
  await knex.schema.dropTable('onboarding_people');
  await knex.schema.dropTable('onboarding_visits');
  await knex.schema.dropTable('onboarding_shas');
  await knex.schema.dropTable('onboarding_step_history');
  await knex.schema.dropTable('onboarding_step_states');
  await knex.schema.dropTable('onboarding_checklists');
};
