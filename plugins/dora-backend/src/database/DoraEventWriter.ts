import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { ConflictError, InputError } from '@backstage/errors';
import { chunks } from '@vitals/backend-common';
import { Knex } from 'knex';
import { DoraIngestOutcome } from './DoraStore';
import { DoraLinker } from './DoraLinker';
import { DoraPipelineWriter, PipelineRunInput } from './DoraPipelineWriter';
import {
  CHANGE_COLUMNS,
  CHANGE_CONTENT,
  ChangeInput,
  ChangeRow,
  changeVersion,
  DEPLOYMENT_COLUMNS,
  DEPLOYMENT_CONTENT,
  DeploymentInput,
  DeploymentRow,
  deploymentVersion,
  eventVersion,
  INCIDENT_COLUMNS,
  INCIDENT_CONTENT,
  IncidentInput,
  IncidentRow,
  incidentVersion,
  ms,
  replacesStored,
  sameContent,
  Sent,
  SentEvents,
} from './rows';
import {
  idBatches,
  isPostgres,
  num,
  PG_ROWS_PER_STATEMENT,
  rowsPerStatement,
  upsert,
  upsertEvents,
  whereAnyOf,
} from './sql';

/**
 * Writes batches of events: one transaction per batch that refuses ids of other entities, drops what is older than
 * or equal to the stored state, upserts the rest and has the {@link DoraLinker} bring every link it touches up to date.
 */
export class DoraEventWriter {
  private readonly pipelineRuns = new DoraPipelineWriter();

  constructor(private readonly db: Knex, private readonly linker: DoraLinker) {}

  async ingest(events: ParsedDoraEvent[]): Promise<DoraIngestOutcome> {
    // Of two events with the same type and id, the later wins; both must be of the same entity.
    const sent = {
      deployment: new Map<string, Sent<DeploymentInput>>(),
      change: new Map<string, Sent<ChangeInput>>(),
      incident: new Map<string, Sent<IncidentInput>>(),
    };
    // Pipeline runs are kept by (id, attempt) and written by their own writer, in the same transaction.
    const runs: Array<Sent<PipelineRunInput>> = [];
    events.forEach((event, index) => {
      if (event.type === 'pipelineRun') {
        runs.push({ event, index });
        return;
      }
      const byId = sent[event.type] as Map<string, Sent<ParsedDoraEvent>>;
      const earlier = byId.get(event.id);
      if (earlier && earlier.event.entityRef !== event.entityRef) {
        throw new ConflictError(
          `events[${index}]: the ${event.type} '${event.id}' is sent for both ${earlier.event.entityRef} (events[${earlier.index}]) and ${event.entityRef}; an event id belongs to one entity`,
        );
      }
      byId.set(event.id, { event, index });
    });
    const sentRuns = DoraPipelineWriter.distinct(runs);
    const accepted =
      sent.deployment.size +
      sent.change.size +
      sent.incident.size +
      sentRuns.size;
    const written: ParsedDoraEvent[] = [];
    const writtenRuns: PipelineRunInput[] = [];

    // Set-based: a fixed handful of statements per batch whatever its size (more only past the bind limits), and every
    // row written once.
    await this.db.transaction(async tx => {
      const stored = await this.storedStates(tx, sent);
      this.refuseForeignIds(sent, stored);
      await this.refuseForeignDeploymentIds(tx, sent);

      // Only what changes stored state is written: a re-send of the stored state, or an update older than it (a late
      // or replayed webhook), leaves the row, its received_at and every link as they are.
      const now = Date.now();
      writtenRuns.push(...(await this.pipelineRuns.write(tx, sentRuns, now)));
      const deployments = new Map<string, DeploymentInput>();
      const deploymentRows: DeploymentRow[] = [];
      const commitRows: Array<{
        deployment_id: string;
        entity_ref: string;
        sha: string;
      }> = [];
      const commitsOf = new Map<string, string[]>();
      for (const { event: e } of sent.deployment.values()) {
        const shas = [...new Set(e.commitShas)];
        commitsOf.set(e.id, shas);
        deploymentRows.push({
          id: e.id,
          entity_ref: e.entityRef,
          environment: e.environment,
          status: e.status,
          started_at: ms(e.startedAt),
          finished_at: Date.parse(e.finishedAt),
          url: e.url ?? null,
          commit_count: shas.length,
          counted: this.linker.isCounted(e.status, e.environment) ? 1 : 0,
          failed: 0,
          rework: e.rework ? 1 : 0,
          received_at: now,
          state_at: eventVersion(e),
        });
      }
      const changeRows: ChangeRow[] = [...sent.change.values()].map(
        ({ event: e }) => ({
          id: e.id,
          entity_ref: e.entityRef,
          sha: e.sha,
          authored_at: ms(e.authoredAt),
          created_at: ms(e.createdAt),
          merged_at: ms(e.mergedAt),
          first_review_at: ms(e.firstReviewAt),
          author: e.author ?? null,
          url: e.url ?? null,
          deployment_id: null,
          deployed_at: null,
          coding_minutes: null,
          pickup_minutes: null,
          review_minutes: null,
          merge_minutes: null,
          deploy_minutes: null,
          lead_time_minutes: null,
          received_at: now,
          state_at: eventVersion(e),
          additions: e.additions ?? null,
          deletions: e.deletions ?? null,
          closed_at: ms(e.closedAt),
        }),
      );
      const incidentRows: IncidentRow[] = [...sent.incident.values()].map(
        ({ event: e }) => {
          const createdAt = Date.parse(e.createdAt);
          const resolvedAt = ms(e.resolvedAt);
          return {
            id: e.id,
            entity_ref: e.entityRef,
            created_at: createdAt,
            resolved_at: resolvedAt,
            severity: e.severity ?? null,
            url: e.url ?? null,
            deployment_id: e.deploymentId ?? null,
            linked_deployment_id: null,
            restore_minutes:
              resolvedAt === null ? null : (resolvedAt - createdAt) / 60_000,
            received_at: now,
            state_at: eventVersion(e),
          };
        },
      );

      const sameCommits = await this.storedCommitsEqual(
        tx,
        deploymentRows,
        stored.deployment,
        commitsOf,
      );
      const deploymentWrites = deploymentRows.filter(row =>
        replacesStored(
          row,
          stored.deployment.get(row.id),
          DEPLOYMENT_CONTENT,
          deploymentVersion,
          sameCommits.has(row.id),
        ),
      );
      const changeWrites = changeRows.filter(row =>
        replacesStored(
          row,
          stored.change.get(row.id),
          CHANGE_CONTENT,
          changeVersion,
        ),
      );
      const incidentWrites = incidentRows.filter(row =>
        replacesStored(
          row,
          stored.incident.get(row.id),
          INCIDENT_CONTENT,
          incidentVersion,
        ),
      );
      for (const row of deploymentWrites) {
        deployments.set(row.id, sent.deployment.get(row.id)!.event);
        for (const sha of commitsOf.get(row.id)!)
          commitRows.push({
            deployment_id: row.id,
            entity_ref: row.entity_ref,
            sha,
          });
      }
      written.push(
        ...deploymentWrites.map(row => sent.deployment.get(row.id)!.event),
        ...changeWrites.map(row => sent.change.get(row.id)!.event),
        ...incidentWrites.map(row => sent.incident.get(row.id)!.event),
      );
      if (written.length === 0) return;
      const deploymentIds = deploymentWrites.map(row => row.id);
      // What the re-sent deployments looked like, so that incidents after their old time are revisited too. Only they
      // can have commits stored, or changes and incidents linked to them: nothing links to a deployment not yet stored.
      const previous = deploymentIds.flatMap(
        id => stored.deployment.get(id) ?? [],
      );
      const resentIds = previous.map(row => row.id);

      // `failed` is kept for a re-sent deployment and recomputed below; a new one starts at 0.
      await upsertEvents(
        tx,
        'dora_deployments',
        deploymentWrites,
        DEPLOYMENT_COLUMNS.filter(c => c !== 'id' && c !== 'failed'),
        stored.deployment,
      );
      // The commit lists the re-sent deployments had: a change linked to a deployment has its (entity, sha) in that
      // deployment's list (it was linked through it, and the list only changes here, where its changes are relinked).
      const previousCommits: Array<{ entity_ref: string; sha: string }> = [];
      for (const ids of idBatches(tx, resentIds)) {
        const commits = () =>
          whereAnyOf(tx, tx('dora_deployment_commits'), 'deployment_id', ids);
        previousCommits.push(...(await commits().select('entity_ref', 'sha')));
        await commits().delete();
      }
      await upsert(tx, 'dora_deployment_commits', commitRows, []);

      // Changes: the sent ones are linked before they are written (a re-sent change replaces the stored one as a whole);
      // stored ones are relinked when a sent deployment lists their sha or listed it before (so was maybe their
      // deployment), and written only when their link changed.
      const changeIds = new Set(changeWrites.map(row => row.id));
      const touchedChanges = (
        await this.linker.changesListedIn(tx, [
          ...commitRows,
          ...previousCommits,
        ])
      ).filter(row => !changeIds.has(row.id));
      const linked = await this.linker.linkChanges(tx, [
        ...changeWrites,
        ...touchedChanges,
      ]);
      await upsertEvents(
        tx,
        'dora_changes',
        linked.slice(0, changeWrites.length),
        CHANGE_COLUMNS.filter(c => c !== 'id'),
        stored.change,
      );
      await this.linker.writeChangedLinks(
        tx,
        touchedChanges,
        linked.slice(changeWrites.length),
      );

      // Incidents: a re-sent incident keeps its current link until relinked below, so that only a changed link is
      // written and only the deployments it leaves or joins need their failure flag recomputed.
      await upsertEvents(
        tx,
        'dora_incidents',
        incidentWrites,
        INCIDENT_COLUMNS.filter(
          c => c !== 'id' && c !== 'linked_deployment_id',
        ),
        stored.incident,
      );
      // Incidents whose link may have changed: the sent ones, those naming or linked to a sent deployment, and those
      // of the entities of sent deployments created after the earliest of them (old or new time).
      const earliest = new Map<string, number>();
      for (const d of [...deploymentWrites, ...previous]) {
        earliest.set(
          d.entity_ref,
          Math.min(num(d.finished_at), earliest.get(d.entity_ref) ?? Infinity),
        );
      }
      const touched = await this.linker.relinkIncidents(tx, {
        ids: incidentWrites.map(row => row.id),
        namedDeploymentIds: deploymentIds,
        linkedDeploymentIds: resentIds,
        createdAfter: earliest,
      });
      // A new deployment no incident links to keeps the 0 it was written with.
      await this.linker.refreshFailed(tx, [
        ...new Set([...resentIds, ...touched]),
      ]);

      await this.touchEntities(tx, new Set(written.map(e => e.entityRef)), now);
    });
    return { accepted, written: [...written, ...writtenRuns] };
  }

  /**
   * Records that these entities have events, when the latest arrived, and raises their data version: figures kept for
   * the org page (see `DoraStore.scopeStates`) name the sum of their entities' versions. The version is
   * raised under the row's lock, so two writes of one entity raise it twice whatever their order.
   */
  private async touchEntities(
    tx: Knex.Transaction,
    entityRefs: Set<string>,
    now: number,
  ): Promise<void> {
    const rows = [...entityRefs].sort().map(entity_ref => ({
      entity_ref,
      first_event_at: now,
      last_event_at: now,
      version: 1,
    }));
    const merge = {
      last_event_at: tx.raw('excluded.last_event_at'),
      version: tx.raw('?? + 1', ['dora_entities.version']),
    };
    if (rows.length === 0) return;
    if (isPostgres(tx)) {
      for (const batch of chunks(rows, PG_ROWS_PER_STATEMENT)) {
        const values = tx.raw(
          'select * from json_populate_recordset(null::dora_entities, ?)',
          [JSON.stringify(batch)],
        );
        await tx('dora_entities')
          .insert(values)
          .onConflict('entity_ref')
          .merge(merge);
      }
      return;
    }
    for (const batch of chunks(rows, rowsPerStatement(4))) {
      await tx('dora_entities')
        .insert(batch)
        .onConflict('entity_ref')
        .merge(merge);
    }
  }

  /** The stored rows of the sent ids (what the content and version comparisons need), per event type. */
  private async storedStates(
    tx: Knex.Transaction,
    sent: SentEvents,
  ): Promise<{
    deployment: Map<string, DeploymentRow>;
    change: Map<string, ChangeRow>;
    incident: Map<string, IncidentRow>;
  }> {
    const load = async <Row extends { id: string }>(
      table: string,
      ids: string[],
      columns: readonly string[],
    ) => {
      const rows = new Map<string, Row>();
      for (const batch of idBatches(tx, ids)) {
        for (const row of await whereAnyOf(tx, tx(table), 'id', batch).select(
          ...columns,
        ))
          rows.set(row.id, row);
      }
      return rows;
    };
    return {
      deployment: await load<DeploymentRow>(
        'dora_deployments',
        [...sent.deployment.keys()],
        ['id', 'entity_ref', 'commit_count', 'state_at', ...DEPLOYMENT_CONTENT],
      ),
      change: await load<ChangeRow>(
        'dora_changes',
        [...sent.change.keys()],
        ['id', 'entity_ref', 'state_at', ...CHANGE_CONTENT],
      ),
      incident: await load<IncidentRow>(
        'dora_incidents',
        [...sent.incident.keys()],
        ['id', 'entity_ref', 'state_at', ...INCIDENT_CONTENT],
      ),
    };
  }

  /**
   * Ids are scoped to their entity: an event stored for one entity is never moved to another by re-sending its id (a
   * caller allowed to write entity A must not take, change or hide a record of entity B). Refuses the whole batch.
   */
  private refuseForeignIds(
    sent: SentEvents,
    stored: Awaited<ReturnType<DoraEventWriter['storedStates']>>,
  ): void {
    for (const type of ['deployment', 'change', 'incident'] as const) {
      const rows = stored[type] as Map<string, { entity_ref: string }>;
      for (const { event, index } of (
        sent[type] as Map<string, Sent<ParsedDoraEvent>>
      ).values()) {
        const owner = rows.get(event.id)?.entity_ref;
        if (owner !== undefined && owner !== event.entityRef) {
          throw new ConflictError(
            `events[${index}]: the ${type} '${event.id}' belongs to ${owner}, so it cannot be sent for ${event.entityRef}; event ids are scoped to their entity, use another id`,
          );
        }
      }
    }
  }

  /** An incident may name only a deployment of its own entity (one stored, or sent in the same batch). */
  private async refuseForeignDeploymentIds(
    tx: Knex.Transaction,
    sent: SentEvents,
  ): Promise<void> {
    const naming = [...sent.incident.values()].filter(
      ({ event }) => event.deploymentId,
    );
    if (naming.length === 0) return;
    const owners = new Map<string, string>();
    const unknown = [
      ...new Set(naming.map(({ event }) => event.deploymentId!)),
    ].filter(id => {
      const inBatch = sent.deployment.get(id);
      if (inBatch) owners.set(id, inBatch.event.entityRef);
      return !inBatch;
    });
    for (const batch of idBatches(tx, unknown)) {
      for (const row of await whereAnyOf(
        tx,
        tx('dora_deployments'),
        'id',
        batch,
      ).select('id', 'entity_ref')) {
        owners.set(row.id, row.entity_ref);
      }
    }
    for (const { event, index } of naming) {
      const owner = owners.get(event.deploymentId!);
      if (owner !== undefined && owner !== event.entityRef) {
        throw new InputError(
          `Invalid events: events[${index}].deploymentId: '${event.deploymentId}' is a deployment of ${owner}, not of ${event.entityRef}`,
        );
      }
    }
  }

  /** The ids of the re-sent deployments whose stored commit list is the one sent (only those that may be unchanged). */
  private async storedCommitsEqual(
    tx: Knex.Transaction,
    rows: DeploymentRow[],
    stored: Map<string, DeploymentRow>,
    commitsOf: Map<string, string[]>,
  ): Promise<Set<string>> {
    const candidates = rows.filter(row => {
      const before = stored.get(row.id);
      return (
        before &&
        num(before.commit_count) === row.commit_count &&
        sameContent(row, before, DEPLOYMENT_CONTENT)
      );
    });
    const storedShas = new Map<string, Set<string>>();
    for (const batch of idBatches(
      tx,
      candidates.map(row => row.id),
    )) {
      for (const c of await whereAnyOf(
        tx,
        tx('dora_deployment_commits'),
        'deployment_id',
        batch,
      ).select('deployment_id', 'sha')) {
        const shas = storedShas.get(c.deployment_id) ?? new Set<string>();
        shas.add(c.sha);
        storedShas.set(c.deployment_id, shas);
      }
    }
    return new Set(
      candidates
        .filter(row => {
          const shas = storedShas.get(row.id) ?? new Set<string>();
          const sentShas = commitsOf.get(row.id)!;
          return (
            shas.size === sentShas.length &&
            sentShas.every(sha => shas.has(sha))
          );
        })
        .map(row => row.id),
    );
  }
}
