// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownership_entities', table => {
    table.comment(
      'The latest ownership snapshot: one row per catalog entity of a checked kind, replaced by every snapshot',
    );
    table
      .string('entity_ref', 512)
      .primary()
      .notNullable()
      .comment('Canonical lower-case ref of the entity');
    table
      .string('kind', 63)
      .notNullable()
      .comment('Lower-case kind of the entity');
    table
      .string('title', 512)
      .nullable()
      .comment('metadata.title of the entity');
    table
      .string('system_ref', 512)
      .nullable()
      .comment('spec.system as a full ref (the entity itself for a System)');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment('spec.owner as a full ref; null when the entity names no owner');
    table
      .string('owner_kind', 63)
      .nullable()
      .comment('Lower-case kind of owner_ref');
    table
      .boolean('owner_exists')
      .notNullable()
      .comment('Whether owner_ref resolves to an entity in the catalog');
    table
      .string('owner_title', 512)
      .nullable()
      .comment('Title of the owner entity, for messages');
    table
      .integer('owner_member_count')
      .nullable()
      .comment(
        'Members of the owning group (1 for a user owner); null when unresolved',
      );
    table
      .integer('contact_count')
      .notNullable()
      .comment(
        'Contact channels and paging services of the entity and its owner',
      );
    table
      .boolean('p_no_owner')
      .notNullable()
      .comment('Problem no-owner found (and the check applies)');
    table
      .boolean('p_owner_unresolved')
      .notNullable()
      .comment('Problem owner-unresolved found');
    table
      .boolean('p_owner_no_members')
      .notNullable()
      .comment('Problem owner-no-members found');
    table
      .boolean('p_owner_single_member')
      .notNullable()
      .comment('Problem owner-single-member found');
    table
      .boolean('p_no_contact')
      .notNullable()
      .comment('Problem no-contact found');
    table
      .integer('problem_count')
      .notNullable()
      .comment('Number of catalog problems (the p_ columns that are true)');
    table
      .boolean('confirmation_applies')
      .notNullable()
      .comment('Whether the confirmation-overdue check applies');
    table
      .timestamp('snapshot_at', { useTz: true })
      .notNullable()
      .comment('When the snapshot was taken');
    table.index(['owner_ref'], 'ownership_entities_owner_idx');
    table.index(['system_ref'], 'ownership_entities_system_idx');
    table.index(['kind'], 'ownership_entities_kind_idx');
  });

  await knex.schema.createTable('ownership_groups', table => {
    table.comment('Groups of the latest snapshot');
    table
      .string('group_ref', 512)
      .primary()
      .notNullable()
      .comment('Canonical lower-case ref of the group');
    table
      .string('title', 512)
      .nullable()
      .comment('Title or display name of the group');
    table.string('parent_ref', 512).nullable().comment('Parent group ref');
    table
      .integer('member_count')
      .notNullable()
      .comment('Number of members (hasMember relations)');
  });

  await knex.schema.createTable('ownership_group_closure', table => {
    table.comment(
      'Every group with each of its descendant groups (itself at depth 0), for figures through child groups',
    );
    table.string('ancestor_ref', 512).notNullable().comment('The group');
    table
      .string('descendant_ref', 512)
      .notNullable()
      .comment('The group itself or one of its descendants');
    table
      .integer('depth')
      .notNullable()
      .comment('0 for the group itself, 1 for a child, ...');
    table.primary(['ancestor_ref', 'descendant_ref']);
    table.index(['descendant_ref'], 'ownership_group_closure_descendant_idx');
  });

  await knex.schema.createTable('ownership_confirmations', table => {
    table.comment(
      'The latest confirmation of each owner of each entity; every confirmation is also in the history',
    );
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The entity whose ownership was confirmed');
    table
      .string('owner_ref', 512)
      .notNullable()
      .comment('The owner that was confirmed');
    table
      .string('confirmed_by', 512)
      .notNullable()
      .comment('Principal that confirmed');
    table
      .timestamp('confirmed_at', { useTz: true })
      .notNullable()
      .comment('When it was confirmed');
    table
      .text('comment')
      .nullable()
      .comment('Optional note of the person confirming');
    table.primary(['entity_ref', 'owner_ref']);
  });

  await knex.schema.createTable('ownership_history', table => {
    table.comment(
      'Append-only history of ownership: first sightings, owner changes and confirmations',
    );
    table.bigIncrements('id').primary().comment('Sequence of the event');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The entity the event is about');
    table
      .string('event_type', 16)
      .notNullable()
      .comment('first-seen, owner-changed or confirmed');
    table
      .string('from_owner_ref', 512)
      .nullable()
      .comment('Owner before an owner change');
    table
      .string('to_owner_ref', 512)
      .nullable()
      .comment('Owner after the event (the confirmed owner for confirmed)');
    table
      .string('actor', 512)
      .notNullable()
      .comment('Who confirmed, or system:snapshot for observed changes');
    table
      .timestamp('occurred_at', { useTz: true })
      .notNullable()
      .comment('When it happened or was observed');
    table.text('comment').nullable().comment('Optional note');
    table.index(['entity_ref', 'occurred_at'], 'ownership_history_entity_idx');
    table.index(['event_type'], 'ownership_history_type_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownership_history');
  await knex.schema.dropTable('ownership_confirmations');
  await knex.schema.dropTable('ownership_group_closure');
  await knex.schema.dropTable('ownership_groups');
  await knex.schema.dropTable('ownership_entities');
};
