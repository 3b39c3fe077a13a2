import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Int, num, numOrNull } from './sql';

/*
 * The stored rows of the DORA tables, how they read as API objects, and the versions and content that decide whether a
 * sent event replaces a stored one.
 */

export type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  status: string;
  started_at: Int | null;
  finished_at: Int;
  url: string | null;
  commit_count: Int;
  counted: Int;
  failed: Int;
  /** Flagged rework by the sender. */
  rework: Int;
  received_at: Int;
  state_at: Int | null;
};

export type ChangeRow = {
  id: string;
  entity_ref: string;
  sha: string;
  authored_at: Int | null;
  created_at: Int | null;
  merged_at: Int | null;
  first_review_at: Int | null;
  author: string | null;
  url: string | null;
  deployment_id: string | null;
  deployed_at: Int | null;
  coding_minutes: Int | null;
  pickup_minutes: Int | null;
  review_minutes: Int | null;
  merge_minutes: Int | null;
  deploy_minutes: Int | null;
  lead_time_minutes: Int | null;
  received_at: Int;
  state_at: Int | null;
  additions: Int | null;
  deletions: Int | null;
  closed_at: Int | null;
};

export type IncidentRow = {
  id: string;
  entity_ref: string;
  created_at: Int;
  resolved_at: Int | null;
  severity: string | null;
  url: string | null;
  deployment_id: string | null;
  linked_deployment_id: string | null;
  restore_minutes: Int | null;
  received_at: Int;
  state_at: Int | null;
};

export const DEPLOYMENT_COLUMNS = [
  'id',
  'entity_ref',
  'environment',
  'status',
  'started_at',
  'finished_at',
  'url',
  'commit_count',
  'counted',
  'failed',
  'rework',
  'received_at',
  'state_at',
] as const satisfies ReadonlyArray<keyof DeploymentRow>;

export const CHANGE_COLUMNS = [
  'id',
  'entity_ref',
  'sha',
  'authored_at',
  'created_at',
  'merged_at',
  'first_review_at',
  'author',
  'url',
  'deployment_id',
  'deployed_at',
  'coding_minutes',
  'pickup_minutes',
  'review_minutes',
  'merge_minutes',
  'deploy_minutes',
  'lead_time_minutes',
  'received_at',
  'state_at',
  'additions',
  'deletions',
  'closed_at',
] as const satisfies ReadonlyArray<keyof ChangeRow>;

export const INCIDENT_COLUMNS = [
  'id',
  'entity_ref',
  'created_at',
  'resolved_at',
  'severity',
  'url',
  'deployment_id',
  'linked_deployment_id',
  'restore_minutes',
  'received_at',
  'state_at',
] as const satisfies ReadonlyArray<keyof IncidentRow>;

export const LINK_COLUMNS = [
  'deployment_id',
  'deployed_at',
  'coding_minutes',
  'pickup_minutes',
  'review_minutes',
  'merge_minutes',
  'deploy_minutes',
  'lead_time_minutes',
] as const;

export const iso = (v: Int): string => new Date(Number(v)).toISOString();
export const isoOrNull = (v: Int | null): string | null =>
  v === null ? null : iso(v);
export const ms = (v: string | undefined): number | null =>
  v ? Date.parse(v) : null;

export const PAIR_SEPARATOR = '\u0000';
/** An (entity, sha) pair as one string, for sets and maps. */
export const pairKey = (entityRef: string, sha: string) =>
  `${entityRef}${PAIR_SEPARATOR}${sha}`;

/** What a sender says of an event; a re-send with all of these equal (and the same commits) changes nothing. */
export const DEPLOYMENT_CONTENT = [
  'environment',
  'status',
  'started_at',
  'finished_at',
  'url',
  'rework',
] as const satisfies ReadonlyArray<keyof DeploymentRow>;
export const CHANGE_CONTENT = [
  'sha',
  'authored_at',
  'created_at',
  'merged_at',
  'first_review_at',
  'author',
  'url',
  'additions',
  'deletions',
  'closed_at',
] as const satisfies ReadonlyArray<keyof ChangeRow>;
export const INCIDENT_CONTENT = [
  'created_at',
  'resolved_at',
  'severity',
  'url',
  'deployment_id',
] as const satisfies ReadonlyArray<keyof IncidentRow>;

export type DeploymentInput = Extract<ParsedDoraEvent, { type: 'deployment' }>;
export type ChangeInput = Extract<ParsedDoraEvent, { type: 'change' }>;
export type IncidentInput = Extract<ParsedDoraEvent, { type: 'incident' }>;
/** A sent event and its position in the batch (to name it in an error). */
export type Sent<E> = { event: E; index: number };
export type SentEvents = {
  deployment: Map<string, Sent<DeploymentInput>>;
  change: Map<string, Sent<ChangeInput>>;
  incident: Map<string, Sent<IncidentInput>>;
};

/** The latest of these instants (epoch ms); the version of an event's state. */
export const latestOf = (...values: Array<Int | null | undefined>): number =>
  Math.max(
    ...values
      .filter((v): v is Int => v !== null && v !== undefined)
      .map(Number),
  );

/** The version of a sent event: the latest of its own timestamps, `updatedAt` included. */
export function eventVersion(e: ParsedDoraEvent): number {
  const at = ms;
  if (e.type === 'deployment')
    return latestOf(at(e.startedAt), at(e.finishedAt), at(e.updatedAt));
  if (e.type === 'change')
    return latestOf(
      at(e.authoredAt),
      at(e.createdAt),
      at(e.firstReviewAt),
      at(e.mergedAt),
      at(e.closedAt),
      at(e.updatedAt),
    );
  if (e.type === 'pipelineRun')
    return latestOf(
      at(e.queuedAt),
      at(e.startedAt),
      at(e.finishedAt),
      at(e.updatedAt),
    );
  return latestOf(at(e.createdAt), at(e.resolvedAt), at(e.updatedAt));
}

/** The version of a stored row: as recorded, or for rows from before versions were recorded, from its timestamps. */
export const deploymentVersion = (r: DeploymentRow) =>
  numOrNull(r.state_at) ?? latestOf(r.started_at, r.finished_at);
export const changeVersion = (r: ChangeRow) =>
  numOrNull(r.state_at) ??
  latestOf(
    r.authored_at,
    r.created_at,
    r.first_review_at,
    r.merged_at,
    r.closed_at,
  );
export const incidentVersion = (r: IncidentRow) =>
  numOrNull(r.state_at) ?? latestOf(r.created_at, r.resolved_at);

/** Whether two rows hold the same values in these columns (numbers compared as numbers: drivers return strings). */
export function sameContent<Row extends object>(
  a: Row,
  b: Row,
  columns: ReadonlyArray<keyof Row>,
): boolean {
  const value = (v: unknown) => {
    if (v === null || v === undefined) return null;
    return typeof v === 'number' || typeof v === 'bigint' ? String(v) : v;
  };
  return columns.every(c => value(a[c]) === value(b[c]));
}

/**
 * Whether a sent row should replace the stored one: always when there is none; never when it is older than the stored
 * state (a late or replayed update), nor when it says what is stored already (a re-send). Equally recent and different
 * replaces it (a correction, or CI completing what a webhook sent).
 */
export function replacesStored<Row extends object>(
  row: Row,
  stored: Row | undefined,
  content: ReadonlyArray<keyof Row>,
  version: (r: Row) => number,
  sameCommits = true,
): boolean {
  if (!stored) return true;
  if (version(row) < version(stored)) return false;
  return !(sameCommits && sameContent(row, stored, content));
}

export const PAIR_COLUMNS: Array<[string, 'text']> = [
  ['entity_ref', 'text'],
  ['sha', 'text'],
];

/**
 * A deployment as the drill-down reads it: the stored row and what the DORA 2024 rules say of it
 * (`reworkSql.ts`), computed by the query.
 */
export type DeploymentListRow = DeploymentRow & {
  rework_incident_id: string | null;
  recovery_minutes: number | string | null;
  recovered_at: Int | null;
};

export function rowToDeployment(row: DeploymentListRow): DoraDeployment {
  const counted = num(row.counted) === 1;
  const reworkFlagged = num(row.rework) === 1;
  const reworkIncidentId = counted ? row.rework_incident_id : null;
  const recoveryMinutes =
    row.recovery_minutes === null ? null : Number(row.recovery_minutes);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    status: row.status as DoraDeployment['status'],
    startedAt: isoOrNull(row.started_at),
    finishedAt: iso(row.finished_at),
    url: row.url,
    commitCount: num(row.commit_count),
    counted,
    failed: num(row.failed) === 1,
    rework: counted && (reworkFlagged || reworkIncidentId !== null),
    reworkFlagged,
    reworkIncidentId,
    recoveryMinutes,
    recoveredAt: recoveryMinutes === null ? null : isoOrNull(row.recovered_at),
  };
}

export function rowToChange(row: ChangeRow): DoraChange {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    sha: row.sha,
    authoredAt: isoOrNull(row.authored_at),
    createdAt: isoOrNull(row.created_at),
    mergedAt: isoOrNull(row.merged_at),
    firstReviewAt: isoOrNull(row.first_review_at),
    author: row.author,
    url: row.url,
    deploymentId: row.deployment_id,
    deployedAt: isoOrNull(row.deployed_at),
    codingMinutes: numOrNull(row.coding_minutes),
    pickupMinutes: numOrNull(row.pickup_minutes),
    reviewMinutes: numOrNull(row.review_minutes),
    mergeMinutes: numOrNull(row.merge_minutes),
    deployMinutes: numOrNull(row.deploy_minutes),
    leadTimeMinutes: numOrNull(row.lead_time_minutes),
  };
}

export function rowToIncident(row: IncidentRow): DoraIncident {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    createdAt: iso(row.created_at),
    resolvedAt: isoOrNull(row.resolved_at),
    severity: row.severity,
    url: row.url,
    deploymentId: row.deployment_id,
    linkedDeploymentId: row.linked_deployment_id,
    restoreMinutes: numOrNull(row.restore_minutes),
  };
}
