// @ts-check

/*
 * Instants are stored as epoch milliseconds (bigint) rather than timestamp columns: lead times, bucket indexes and
 * UTC days are then plain integer arithmetic that reads the same in SQLite, PostgreSQL and MySQL.
 * Flags are integers 0/1 so that they can be summed.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_deployments', table => {
    table.comment(
      'Deployments as CI reported them, one row per deployment id (the latest report wins)',
    );
    table
      .string('id', 200)
      .primary()
      .notNullable()
      .comment('Deployment id given by the sender');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the catalog entity deployed');
    table
      .string('environment', 100)
      .notNullable()
      .comment('Environment name as sent');
    table.string('status', 16).notNullable().comment('success or failure');
    table
      .bigInteger('started_at')
      .nullable()
      .comment('Start, epoch milliseconds (UTC)');
    table
      .bigInteger('finished_at')
      .notNullable()
      .comment('Finish, epoch milliseconds (UTC)');
    table
      .string('url', 2048)
      .nullable()
      .comment('Link to the deployment in CI');
    table
      .integer('commit_count')
      .notNullable()
      .comment('Number of distinct commit shas the deployment shipped');
    table
      .integer('counted')
      .notNullable()
      .comment('1 when it succeeded in a production environment, else 0');
    table
      .integer('failed')
      .notNullable()
      .defaultTo(0)
      .comment('1 when at least one incident links to it, else 0');
    table
      .bigInteger('received_at')
      .notNullable()
      .comment('When the latest report arrived, epoch milliseconds');
    table.index(
      ['entity_ref', 'counted', 'finished_at', 'failed'],
      'dora_deployments_entity_counted_idx',
    );
  });

  await knex.schema.createTable('dora_deployment_commits', table => {
    table.comment(
      'The commit shas each deployment shipped, for linking changes to their deployment',
    );
    table.string('deployment_id', 200).notNullable().comment('The deployment');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Entity of the deployment (a change links within its entity)');
    table
      .string('sha', 100)
      .notNullable()
      .comment('A commit sha the deployment listed');
    table.primary(['deployment_id', 'sha']);
    table.index(
      ['entity_ref', 'sha'],
      'dora_deployment_commits_entity_sha_idx',
    );
  });

  await knex.schema.createTable('dora_changes', table => {
    table.comment(
      'Merged pull requests and commits, with their deployment link and lead-time parts kept up to date',
    );
    table
      .string('id', 200)
      .primary()
      .notNullable()
      .comment('Change id given by the sender');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the catalog entity changed');
    table
      .string('sha', 100)
      .notNullable()
      .comment('Merge commit sha, or the commit sha');
    table
      .bigInteger('authored_at')
      .nullable()
      .comment('First commit authored, epoch milliseconds');
    table
      .bigInteger('created_at')
      .nullable()
      .comment('Pull request opened, epoch milliseconds');
    table
      .bigInteger('merged_at')
      .nullable()
      .comment('Pull request merged, epoch milliseconds');
    table
      .bigInteger('first_review_at')
      .nullable()
      .comment('First review, epoch milliseconds');
    table.string('author', 200).nullable().comment('Author as sent');
    table
      .string('url', 2048)
      .nullable()
      .comment('Link to the pull request or commit');
    table
      .string('deployment_id', 200)
      .nullable()
      .comment('Earliest counted deployment of the entity listing the sha');
    table
      .bigInteger('deployed_at')
      .nullable()
      .comment('finished_at of that deployment, epoch milliseconds');
    table
      .integer('coding_minutes')
      .nullable()
      .comment('created_at - authored_at, whole minutes rounded up, >= 0');
    table
      .integer('pickup_minutes')
      .nullable()
      .comment('first_review_at - created_at, whole minutes, >= 0');
    table
      .integer('review_minutes')
      .nullable()
      .comment('merged_at - first_review_at, whole minutes, >= 0');
    table
      .integer('merge_minutes')
      .nullable()
      .comment('merged_at - created_at, whole minutes, >= 0');
    table
      .integer('deploy_minutes')
      .nullable()
      .comment(
        'deployed_at - merged_at (or - authored_at), whole minutes, >= 0',
      );
    table
      .integer('lead_time_minutes')
      .nullable()
      .comment('coding + merge + deploy minutes; null until deployed');
    table
      .bigInteger('received_at')
      .notNullable()
      .comment('When the latest report arrived, epoch milliseconds');
    table.index(
      ['entity_ref', 'deployed_at', 'lead_time_minutes'],
      'dora_changes_entity_deployed_idx',
    );
    table.index(['entity_ref', 'sha'], 'dora_changes_entity_sha_idx');
    table.index(['deployment_id'], 'dora_changes_deployment_idx');
  });

  await knex.schema.createTable('dora_incidents', table => {
    table.comment(
      'Incidents, with the deployment each is linked to kept up to date',
    );
    table
      .string('id', 200)
      .primary()
      .notNullable()
      .comment('Incident id given by the sender');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Canonical ref of the catalog entity affected');
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('Incident opened, epoch milliseconds');
    table
      .bigInteger('resolved_at')
      .nullable()
      .comment('Incident resolved, epoch milliseconds');
    table.string('severity', 50).nullable().comment('Severity as sent');
    table.string('url', 2048).nullable().comment('Link to the incident');
    table
      .string('deployment_id', 200)
      .nullable()
      .comment('Deployment the sender named as the cause');
    table
      .string('linked_deployment_id', 200)
      .nullable()
      .comment(
        'Named deployment once it exists, else the latest counted one before created_at',
      );
    table
      .double('restore_minutes')
      .nullable()
      .comment('resolved_at - created_at in minutes');
    table
      .bigInteger('received_at')
      .notNullable()
      .comment('When the latest report arrived, epoch milliseconds');
    table.index(
      ['entity_ref', 'resolved_at', 'restore_minutes'],
      'dora_incidents_entity_resolved_idx',
    );
    table.index(
      ['entity_ref', 'created_at'],
      'dora_incidents_entity_created_idx',
    );
    table.index(['linked_deployment_id'], 'dora_incidents_linked_idx');
    table.index(['deployment_id'], 'dora_incidents_deployment_idx');
  });

  await knex.schema.createTable('dora_entities', table => {
    table.comment(
      'Every entity that has sent events, for the data-health report',
    );
    table
      .string('entity_ref', 512)
      .primary()
      .notNullable()
      .comment('Canonical entity ref');
    table
      .bigInteger('first_event_at')
      .notNullable()
      .comment('First event received, epoch milliseconds');
    table
      .bigInteger('last_event_at')
      .notNullable()
      .comment('Latest event received, epoch milliseconds');
  });

  await knex.schema.createTable('dora_settings', table => {
    table.comment(
      'Settings the stored links depend on, to relink when configuration changes',
    );
    table.string('key', 100).primary().notNullable().comment('Setting name');
    table.text('value').notNullable().comment('JSON value');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_settings');
  await knex.schema.dropTable('dora_entities');
  await knex.schema.dropTable('dora_incidents');
  await knex.schema.dropTable('dora_changes');
  await knex.schema.dropTable('dora_deployment_commits');
  await knex.schema.dropTable('dora_deployments');
};
