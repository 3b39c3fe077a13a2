// @ts-check

/*
 * "One waiver in force per entity and check" was checked and then inserted, so two concurrent requests could both
 * succeed. The rule is now a unique index: `in_force` is true on the waiver that holds the entity's check (not
 * withdrawn; an expired one holds it until the next waiver for that check replaces it) and null on all others, and
 * (entity_ref, scorecard_id, check_id, in_force) is unique. Null never clashes in a unique index on SQLite,
 * PostgreSQL or MySQL, so withdrawn and replaced waivers stay on record.
 *
 * Existing rows: the newest waiver in force of each entity's check holds it; an older one still in force (only a
 * past race could have made one) is withdrawn, recorded as withdrawn by `scorecards:migration`.
 */

const REVOKER = 'scorecards:migration';

/** @param {unknown} value */
function toMs(value) {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const asNumber = Number(value);
  return Number.isFinite(asNumber) ? asNumber : Date.parse(String(value));
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecard_waivers', table => {
    table
      .boolean('in_force')
      .nullable()
      .comment(
        'True on the one waiver that holds its entity check (not withdrawn, not replaced); null otherwise. Unique with the entity, scorecard and check',
      );
  });

  const now = new Date();
  const rows = await knex('scorecard_waivers')
    .whereNull('revoked_at')
    .where('expires_at', '>', now)
    .select(
      'id',
      'entity_ref',
      'scorecard_id',
      'check_id',
      'created_at',
      'version',
    )
    .orderBy([
      { column: 'entity_ref' },
      { column: 'scorecard_id' },
      { column: 'check_id' },
      { column: 'id' },
    ]);
  /** @type {Map<string, typeof rows>} */
  const byCheck = new Map();
  for (const row of rows) {
    const key = `${row.entity_ref}\u0000${row.scorecard_id}\u0000${row.check_id}`;
    byCheck.set(key, [...(byCheck.get(key) ?? []), row]);
  }
  for (const waivers of byCheck.values()) {
    waivers.sort(
      (a, b) =>
        toMs(b.created_at) - toMs(a.created_at) ||
        String(a.id).localeCompare(String(b.id)),
    );
    const [newest, ...older] = waivers;
    await knex('scorecard_waivers')
      .where({ id: newest.id })
      .update({ in_force: true });
    for (const waiver of older) {
      await knex('scorecard_waivers')
        .where({ id: waiver.id })
        .update({
          revoked_at: now,
          revoked_by: REVOKER,
          updated_at: now,
          updated_by: REVOKER,
          version: Number(waiver.version) + 1,
        });
    }
  }

  await knex.schema.alterTable('scorecard_waivers', table => {
    table.unique(['entity_ref', 'scorecard_id', 'check_id', 'in_force'], {
      indexName: 'scorecard_waivers_in_force_uq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecard_waivers', table => {
    table.dropUnique(
      ['entity_ref', 'scorecard_id', 'check_id', 'in_force'],
      'scorecard_waivers_in_force_uq',
    );
  });
  await knex.schema.alterTable('scorecard_waivers', table => {
    table.dropColumn('in_force');
  });
};
