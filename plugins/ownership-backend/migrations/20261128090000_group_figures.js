// @ts-check

/*
 * Per-team figures precomputed with each snapshot, so that the teams table and the group card are an indexed read
 * instead of an aggregation over every entity and the group tree per request.
 *
 * Only the confirmation expiry depends on the time of the request. It stays exact through
 * ownership_group_confirmed: for every team, each entity it owns (directly or through child groups) whose current owner
 * has a confirmation, with the confirmation's time. Counting those after the cutoff is an index range per team.
 *
 * The up migration fills both tables from the snapshot already stored, so the figures do not go blank until the next
 * snapshot. The statements are the same as the store runs after each snapshot (a shipped migration is never edited, so
 * they are copied here rather than imported).
 */

const PROBLEM_FLAGS = [
  'no_owner',
  'owner_unresolved',
  'owner_no_members',
  'owner_single_member',
  'no_contact',
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownership_group_figures', table => {
    table.comment(
      'Per-team figures of the latest snapshot (what each group owns directly and through child groups), replaced by every snapshot',
    );
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
    table
      .integer('list_position')
      .notNullable()
      .comment(
        '1-based position in the teams table: most entities owned first, then by group_ref',
      );
    table
      .integer('owned_directly')
      .notNullable()
      .comment('Entities whose owner is the group itself');
    table
      .integer('owned_total')
      .notNullable()
      .comment('Entities owned by the group or any of its descendants');
    for (const flag of PROBLEM_FLAGS) {
      table
        .integer(`n_${flag}`)
        .notNullable()
        .comment(
          `Owned entities (in total) with the catalog problem ${flag.replace(
            /_/g,
            '-',
          )}`,
        );
    }
    table
      .integer('n_problem_free')
      .notNullable()
      .comment('Owned entities (in total) without any catalog problem');
    table
      .integer('n_confirmation_applies')
      .notNullable()
      .comment(
        'Owned entities (in total) to which the confirmation-overdue check applies',
      );
    table
      .integer('n_problem_free_applies')
      .notNullable()
      .comment(
        'Owned entities (in total) without catalog problems to which the confirmation check applies',
      );
    table.unique(['list_position'], {
      indexName: 'ownership_group_figures_position_idx',
    });
  });

  await knex.schema.createTable('ownership_group_confirmed', table => {
    table.comment(
      'For each team, every entity it owns (directly or through child groups) whose current owner has confirmed, with when; rebuilt by every snapshot and updated by every confirmation',
    );
    table
      .string('group_ref', 512)
      .notNullable()
      .comment('The team (an ancestor of the owner, or the owner itself)');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The entity whose ownership was confirmed');
    table
      .timestamp('confirmed_at', { useTz: true })
      .notNullable()
      .comment('When the current owner last confirmed');
    table
      .integer('problem_free')
      .notNullable()
      .comment('1 when the entity has no catalog problem, else 0');
    table.primary(['group_ref', 'entity_ref']);
    table.index(
      ['group_ref', 'confirmed_at', 'problem_free'],
      'ownership_group_confirmed_time_idx',
    );
    table.index(['entity_ref'], 'ownership_group_confirmed_entity_idx');
  });

  await knex.raw(`
    insert into ownership_group_figures (group_ref, title, parent_ref, member_count, list_position, owned_directly,
      owned_total, ${PROBLEM_FLAGS.map(f => `n_${f}`).join(
        ', ',
      )}, n_problem_free, n_confirmation_applies,
      n_problem_free_applies)
    select g.group_ref, g.title, g.parent_ref, g.member_count,
      row_number() over (order by coalesce(sum(po.n), 0) desc, g.group_ref asc),
      coalesce(sum(case when cl.depth = 0 then po.n else 0 end), 0),
      coalesce(sum(po.n), 0),
      ${PROBLEM_FLAGS.map(f => `coalesce(sum(po.n_${f}), 0)`).join(', ')},
      coalesce(sum(po.n_problem_free), 0),
      coalesce(sum(po.n_confirmation_applies), 0),
      coalesce(sum(po.n_problem_free_applies), 0)
    from ownership_groups g
    join ownership_group_closure cl on cl.ancestor_ref = g.group_ref
    left join (
      select owner_ref, count(*) as n,
        ${PROBLEM_FLAGS.map(
          f => `sum(case when p_${f} then 1 else 0 end) as n_${f}`,
        ).join(', ')},
        sum(case when problem_count = 0 then 1 else 0 end) as n_problem_free,
        sum(case when confirmation_applies then 1 else 0 end) as n_confirmation_applies,
        sum(case when problem_count = 0 and confirmation_applies then 1 else 0 end) as n_problem_free_applies
      from ownership_entities
      where owner_ref is not null
      group by owner_ref
    ) po on po.owner_ref = cl.descendant_ref
    group by g.group_ref, g.title, g.parent_ref, g.member_count
  `);

  await knex.raw(`
    insert into ownership_group_confirmed (group_ref, entity_ref, confirmed_at, problem_free)
    select cl.ancestor_ref, e.entity_ref, c.confirmed_at, case when e.problem_count = 0 then 1 else 0 end
    from ownership_entities e
    join ownership_confirmations c on c.entity_ref = e.entity_ref and c.owner_ref = e.owner_ref
    join ownership_group_closure cl on cl.descendant_ref = e.owner_ref
    where e.confirmation_applies
  `);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownership_group_confirmed');
  await knex.schema.dropTable('ownership_group_figures');
};
