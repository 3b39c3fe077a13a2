import { leadTimeParts } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { isProductionEnvironment } from '../ingest/productionEnvironments';
import {
  ChangeRow,
  DeploymentRow,
  IncidentRow,
  LINK_COLUMNS,
  PAIR_COLUMNS,
  PAIR_SEPARATOR,
  pairKey,
} from './rows';
import {
  CHUNK,
  idBatches,
  num,
  numOrNull,
  rowsTable,
  upsert,
  whereAnyOf,
} from './sql';

/**
 * Keeps the links up to date: which deployment shipped a change (and its lead-time parts), which deployment an
 * incident is linked to, and whether a deployment failed. Every method works in the caller's transaction and writes
 * only what changes.
 */
export class DoraLinker {
  constructor(private readonly productionEnvironments: Set<string>) {}

  isCounted(status: string, environment: string): boolean {
    return (
      status === 'success' &&
      isProductionEnvironment(this.productionEnvironments, environment)
    );
  }

  /**
   * When `dora.productionEnvironments` differs from what the stored links were computed with, recomputes which
   * deployments count and relinks every change and incident.
   */
  async applyProductionEnvironments(db: Knex): Promise<void> {
    const value = JSON.stringify([...this.productionEnvironments].sort());
    const current = await db('dora_settings')
      .where({ key: 'productionEnvironments' })
      .first();
    if (current?.value === value) return;
    await db.transaction(async tx => {
      if (current) {
        for (let after = ''; ; ) {
          const rows: DeploymentRow[] = await tx('dora_deployments')
            .where('id', '>', after)
            .orderBy('id')
            .limit(CHUNK)
            .select('id', 'status', 'environment', 'counted');
          if (rows.length === 0) break;
          for (const counted of [0, 1]) {
            const ids = rows
              .filter(
                r =>
                  (this.isCounted(r.status, r.environment) ? 1 : 0) ===
                    counted && num(r.counted) !== counted,
              )
              .map(r => r.id);
            if (ids.length)
              await tx('dora_deployments')
                .whereIn('id', ids)
                .update({ counted });
          }
          after = rows[rows.length - 1].id;
        }
        for (let after = ''; ; ) {
          const ids = (
            await tx('dora_changes')
              .where('id', '>', after)
              .orderBy('id')
              .limit(CHUNK)
              .select('id')
          ).map(r => r.id);
          if (ids.length === 0) break;
          await this.relinkChanges(tx, ids);
          after = ids[ids.length - 1];
        }
        for (let after = ''; ; ) {
          const ids = (
            await tx('dora_incidents')
              .where('id', '>', after)
              .orderBy('id')
              .limit(CHUNK)
              .select('id')
          ).map(r => r.id);
          if (ids.length === 0) break;
          const touched = await this.relinkIncidents(tx, { ids });
          await this.refreshFailed(tx, touched);
          after = ids[ids.length - 1];
        }
      }
      // Every stored link may have changed: figures kept for the org pages no longer hold (the flow figures' deploy
      // part follows the links too).
      await tx('dora_scope_figures').delete();
      await tx('dora_flow_figures').delete();
      await tx('dora_settings')
        .insert({ key: 'productionEnvironments', value })
        .onConflict('key')
        .merge(['value']);
    });
  }

  /**
   * Stored changes whose (entity, sha) is one of these commits: those a deployment lists, or listed before it was
   * re-sent (its changes are among them). Plain index lookups by the pairs already in hand, rather than a join the
   * planner must estimate; no index on the changes' deployment is needed (one fewer to keep up on every write).
   */
  async changesListedIn(
    tx: Knex.Transaction,
    commits: Array<{ entity_ref: string; sha: string }>,
  ): Promise<ChangeRow[]> {
    const rows = new Map<string, ChangeRow>();
    const listed = new Set(commits.map(c => pairKey(c.entity_ref, c.sha)));
    for (const batch of idBatches(tx, [...listed])) {
      const pairs = batch.map(key => key.split(PAIR_SEPARATOR));
      const found: ChangeRow[] = await tx
        .select('ch.*')
        .from(rowsTable(tx, 'p', PAIR_COLUMNS, pairs))
        .join('dora_changes as ch', function on() {
          this.on('ch.entity_ref', '=', 'p.entity_ref').andOn(
            'ch.sha',
            '=',
            'p.sha',
          );
        });
      for (const row of found) rows.set(row.id, row);
    }
    return [...rows.values()];
  }

  /**
   * The deployment link and lead-time parts of these changes: the earliest (by finished_at, then id) counted deployment
   * of the change's own entity that lists its sha, none for an open pull request. Found with one query per chunk of
   * (entity, sha) pairs; the database orders ties by id as it would in any other query.
   */
  async linkChanges(
    tx: Knex.Transaction,
    rows: ChangeRow[],
  ): Promise<ChangeRow[]> {
    const key = pairKey;
    const isOpen = (row: ChangeRow) =>
      row.created_at !== null && row.merged_at === null;
    const pairs = new Map<string, { entityRef: string; sha: string }>();
    for (const row of rows) {
      if (!isOpen(row))
        pairs.set(key(row.entity_ref, row.sha), {
          entityRef: row.entity_ref,
          sha: row.sha,
        });
    }
    const best = new Map<string, { id: string; finishedAt: number }>();
    for (const batch of idBatches(tx, [...pairs.values()])) {
      const ranked = tx
        .select(
          'c.entity_ref',
          'c.sha',
          'd.id',
          'd.finished_at',
          tx.raw(
            'row_number() over (partition by c.entity_ref, c.sha order by d.finished_at, d.id) as rn',
          ),
        )
        .from(
          rowsTable(
            tx,
            'p',
            PAIR_COLUMNS,
            batch.map(p => [p.entityRef, p.sha]),
          ),
        )
        .join('dora_deployment_commits as c', function on() {
          this.on('c.entity_ref', '=', 'p.entity_ref').andOn(
            'c.sha',
            '=',
            'p.sha',
          );
        })
        .join('dora_deployments as d', 'd.id', 'c.deployment_id')
        .where('d.counted', 1)
        .whereRaw('d.entity_ref = c.entity_ref')
        .as('b');
      const found = await tx
        .select('entity_ref', 'sha', 'id', 'finished_at')
        .from(ranked)
        .where('rn', 1);
      for (const r of found)
        best.set(key(r.entity_ref, r.sha), {
          id: r.id,
          finishedAt: num(r.finished_at),
        });
    }
    return rows.map(change => {
      const deployment = isOpen(change)
        ? undefined
        : best.get(key(change.entity_ref, change.sha));
      const deployedAt = deployment?.finishedAt ?? null;
      const parts = leadTimeParts({
        authoredAt: numOrNull(change.authored_at),
        createdAt: numOrNull(change.created_at),
        mergedAt: numOrNull(change.merged_at),
        firstReviewAt: numOrNull(change.first_review_at),
        deployedAt,
      });
      return {
        ...change,
        deployment_id: deployment?.id ?? null,
        deployed_at: deployedAt,
        coding_minutes: parts.codingMinutes,
        pickup_minutes: parts.pickupMinutes,
        review_minutes: parts.reviewMinutes,
        merge_minutes: parts.mergeMinutes,
        deploy_minutes: parts.deployMinutes,
        lead_time_minutes: parts.leadTimeMinutes,
      };
    });
  }

  /** Writes the link columns of the stored changes whose link differs from what is stored. */
  async writeChangedLinks(
    tx: Knex.Transaction,
    before: ChangeRow[],
    after: ChangeRow[],
  ): Promise<void> {
    const changed = after.filter((next, i) =>
      LINK_COLUMNS.some(
        c => String(next[c] ?? '') !== String(before[i][c] ?? ''),
      ),
    );
    await upsert(tx, 'dora_changes', changed, [...LINK_COLUMNS]);
  }

  /** Recomputes the deployment link and lead-time parts of these stored changes; writes only rows that changed. */
  async relinkChanges(tx: Knex.Transaction, ids: string[]): Promise<void> {
    const rows: ChangeRow[] = [];
    for (const batch of idBatches(tx, ids))
      rows.push(
        ...(await whereAnyOf(tx, tx('dora_changes'), 'id', batch).select('*')),
      );
    await this.writeChangedLinks(tx, rows, await this.linkChanges(tx, rows));
  }

  /**
   * Recomputes the deployment these incidents are linked to: the named one once it exists (never one of another
   * entity, even one that arrives after the incident named its id), otherwise the latest
   * counted deployment of the same entity finished strictly before the incident was created. The incidents are those
   * with these ids, those naming or linked to these deployments, and those without a named deployment of an entity
   * created after the given instant. One query per chunk of each list. Returns the deployments whose failure flag may
   * have changed (old and new links).
   */
  async relinkIncidents(
    tx: Knex.Transaction,
    scope: {
      ids: string[];
      /** Incidents naming these deployments are relinked. */
      namedDeploymentIds?: string[];
      /** Incidents linked to these deployments are relinked. */
      linkedDeploymentIds?: string[];
      createdAfter?: Map<string, number>;
    },
  ): Promise<string[]> {
    const idChunks = idBatches(tx, scope.ids);
    const namedChunks = idBatches(tx, scope.namedDeploymentIds ?? []);
    const linkedChunks = idBatches(tx, scope.linkedDeploymentIds ?? []);
    const afterChunks = idBatches(tx, [
      ...(scope.createdAfter ?? new Map<string, number>()).entries(),
    ]);
    const rows = new Map<string, IncidentRow & { new_link: string | null }>();
    for (
      let k = 0;
      k <
      Math.max(
        idChunks.length,
        namedChunks.length,
        linkedChunks.length,
        afterChunks.length,
      );
      k++
    ) {
      // The candidates' ids as a union of index lookups, then one pass computing their links.
      const parts: Knex.QueryBuilder[] = [];
      const incidents = () => tx('dora_incidents').select('id');
      if (idChunks[k])
        parts.push(whereAnyOf(tx, incidents(), 'id', idChunks[k]));
      if (namedChunks[k])
        parts.push(
          whereAnyOf(tx, incidents(), 'deployment_id', namedChunks[k]),
        );
      if (linkedChunks[k])
        parts.push(
          whereAnyOf(tx, incidents(), 'linked_deployment_id', linkedChunks[k]),
        );
      if (afterChunks[k]) {
        const after = rowsTable(
          tx,
          'a',
          [
            ['entity_ref', 'text'],
            ['created_after', 'bigint'],
          ],
          afterChunks[k],
        );
        parts.push(
          tx
            .select('l.id')
            .from(after)
            .join('dora_incidents as l', function on() {
              this.on('l.entity_ref', '=', 'a.entity_ref').andOn(
                'l.created_at',
                '>',
                'a.created_after',
              );
            })
            .whereNull('l.deployment_id'),
        );
      }
      const candidates = tx.queryBuilder().union(parts);
      const found: Array<IncidentRow & { new_link: string | null }> = await tx(
        'dora_incidents as i',
      )
        .whereIn('i.id', candidates)
        .select(
          'i.*',
          tx.raw(
            `case when i.deployment_id is not null
               then (select d.id from dora_deployments d where d.id = i.deployment_id and d.entity_ref = i.entity_ref)
               else (select d.id from dora_deployments d
                     where d.entity_ref = i.entity_ref and d.counted = 1 and d.finished_at < i.created_at
                     order by d.finished_at desc, d.id desc limit 1)
             end as new_link`,
          ),
        );
      for (const row of found) rows.set(row.id, row);
    }
    const touched = new Set<string>();
    const updates: IncidentRow[] = [];
    for (const row of rows.values()) {
      const { new_link: newLink, ...incident } = row;
      if ((newLink ?? null) === (incident.linked_deployment_id ?? null))
        continue;
      if (incident.linked_deployment_id)
        touched.add(incident.linked_deployment_id);
      if (newLink) touched.add(newLink);
      updates.push({ ...incident, linked_deployment_id: newLink ?? null });
    }
    await upsert(tx, 'dora_incidents', updates, ['linked_deployment_id']);
    return [...touched];
  }

  /** A deployment has failed when any incident links to it; only flags that change are written. */
  async refreshFailed(
    tx: Knex.Transaction,
    deploymentIds: string[],
  ): Promise<void> {
    const failed =
      'case when exists (select 1 from dora_incidents i where i.linked_deployment_id = dora_deployments.id) then 1 else 0 end';
    for (const ids of idBatches(tx, deploymentIds)) {
      await whereAnyOf(tx, tx('dora_deployments'), 'id', ids)
        .whereRaw(`failed <> ${failed}`)
        .update({ failed: tx.raw(failed) });
    }
  }
}
