// @ts-check

/*
 * Entity refs are stored the one way from now on: `kind:namespace/name`, lower-cased (en-US), as `normalizeEntityRef`
 * of @vitals/common writes them. Rows written before may hold a ref as the catalog spelled it (`Payments-API`); the
 * API reads lower-cased refs, so such an entity showed "no data" and its waivers never applied. This migration
 * lower-cases every stored ref. Where a lower-cased row meets an existing one with the same key, the newer row wins
 * (results, history), or the two are added up (daily summaries, which count disjoint entities under two spellings of
 * one team). The current per-check rows are rebuilt from the winning results. The roll-ups are rebuilt by the next
 * migration.
 *
 * Catalog names, namespaces and kinds are ASCII (letters, digits, `-_.`), so SQL `lower()` finds the rows to fix on
 * every database; the new values are computed here with `toLocaleLowerCase('en-US')`.
 */

/** @param {string | null} ref */
const lower = ref => (ref === null ? null : ref.toLocaleLowerCase('en-US'));

/** @param {unknown} value */
function toMs(value) {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const asNumber = Number(value);
  return Number.isFinite(asNumber) ? asNumber : Date.parse(String(value));
}

/**
 * Rows of `table` where one of `columns` is not lower-case.
 * @param {import('knex').Knex} knex
 * @param {string} table
 * @param {string[]} columns
 */
function mixedCase(knex, table, columns) {
  return knex(table).where(q => {
    for (const column of columns)
      q.orWhereRaw('?? <> lower(??)', [column, column]);
  });
}

/**
 * Moves the rows whose entity_ref is mixed-case to the lower-cased ref; on a key clash the row with the later
 * `newerColumn` stays.
 * @param {import('knex').Knex} knex
 * @param {{ table: string; key: string[]; newerColumn: string; refColumns: string[] }} options
 */
async function lowerKeyedRows(knex, { table, key, newerColumn, refColumns }) {
  const rows = await mixedCase(knex, table, refColumns);
  for (const row of rows) {
    const keyOf = (/** @type {Record<string, unknown>} */ r) =>
      Object.fromEntries(key.map(k => [k, r[k]]));
    const target = { ...row };
    for (const column of refColumns) target[column] = lower(row[column]);
    if (target.entity_ref !== row.entity_ref) {
      const existing = await knex(table).where(keyOf(target)).first();
      if (existing) {
        if (toMs(existing[newerColumn]) >= toMs(row[newerColumn])) {
          await knex(table).where(keyOf(row)).delete();
          continue;
        }
        await knex(table).where(keyOf(existing)).delete();
      }
    }
    await knex(table)
      .where(keyOf(row))
      .update(Object.fromEntries(refColumns.map(c => [c, target[c]])));
  }
  return rows.map(r => lower(r.entity_ref));
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.transaction(async tx => {
    // Current results: the most recently evaluated of two spellings wins.
    const resultRefs = await lowerKeyedRows(tx, {
      table: 'scorecard_results',
      key: ['entity_ref', 'scorecard_id'],
      newerColumn: 'evaluated_at',
      refColumns: ['entity_ref', 'owner_ref', 'system_ref'],
    });

    // Per-check rows: rebuilt from the winning results of every entity touched.
    const mixedChecks = await mixedCase(tx, 'scorecard_check_results', [
      'entity_ref',
      'owner_ref',
      'system_ref',
    ]).distinct('entity_ref');
    const touched = new Set([
      ...resultRefs,
      ...mixedChecks.map(r => lower(r.entity_ref)),
    ]);
    for (const row of mixedChecks) {
      await tx('scorecard_check_results')
        .where({ entity_ref: row.entity_ref })
        .delete();
    }
    for (const entityRef of touched) {
      await tx('scorecard_check_results')
        .where({ entity_ref: entityRef })
        .delete();
      const results = await tx('scorecard_results').where({
        entity_ref: entityRef,
      });
      for (const result of results) {
        /** @type {Array<{ checkId: string; passed: boolean; waiver: unknown }>} */
        const checks = JSON.parse(result.checks);
        const seen = new Set();
        const rows = [];
        for (const c of checks) {
          if (seen.has(c.checkId)) continue;
          seen.add(c.checkId);
          rows.push({
            entity_ref: entityRef,
            scorecard_id: result.scorecard_id,
            check_id: c.checkId,
            owner_ref: result.owner_ref,
            system_ref: result.system_ref,
            passed:
              Boolean(c.passed) ||
              (c.waiver !== null && c.waiver !== undefined),
          });
        }
        for (let i = 0; i < rows.length; i += 200) {
          await tx('scorecard_check_results').insert(rows.slice(i, i + 200));
        }
      }
    }

    // History: of two rows for the same entity, scorecard and day, the one written last wins.
    await lowerKeyedRows(tx, {
      table: 'scorecard_history',
      key: ['entity_ref', 'scorecard_id', 'day'],
      newerColumn: 'recorded_at',
      refColumns: ['entity_ref'],
    });

    // Daily summaries: two spellings of one team count different entities, so their figures add up.
    const summaries = await mixedCase(tx, 'scorecard_daily_summary', [
      'owner_ref',
    ]);
    for (const row of summaries) {
      const key = {
        day: row.day,
        scorecard_id: row.scorecard_id,
        level_id: row.level_id,
      };
      const target = await tx('scorecard_daily_summary')
        .where({ ...key, owner_ref: lower(row.owner_ref) })
        .first();
      if (target) {
        await tx('scorecard_daily_summary')
          .where({ ...key, owner_ref: target.owner_ref })
          .update({
            entities: Number(target.entities) + Number(row.entities),
            score_sum: Number(target.score_sum) + Number(row.score_sum),
          });
        await tx('scorecard_daily_summary')
          .where({ ...key, owner_ref: row.owner_ref })
          .delete();
      } else {
        await tx('scorecard_daily_summary')
          .where({ ...key, owner_ref: row.owner_ref })
          .update({ owner_ref: lower(row.owner_ref) });
      }
    }

    // Roll-ups have no key yet (the next migration rebuilds them); waivers are keyed by id.
    for (const table of [
      'scorecard_check_rollups',
      'scorecard_level_rollups',
    ]) {
      await tx(table).update({
        owner_ref: tx.raw('lower(owner_ref)'),
        system_ref: tx.raw('lower(system_ref)'),
      });
    }
    const waivers = await mixedCase(tx, 'scorecard_waivers', [
      'entity_ref',
    ]).select('id', 'entity_ref');
    for (const waiver of waivers) {
      await tx('scorecard_waivers')
        .where({ id: waiver.id })
        .update({ entity_ref: lower(waiver.entity_ref) });
    }
  });
};

/**
 * The original spelling of a ref is not kept, so there is nothing to undo: lower-cased refs are valid before this
 * migration too.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
