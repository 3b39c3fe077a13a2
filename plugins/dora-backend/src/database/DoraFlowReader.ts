import {
  DoraFlowPart,
  DoraFlowPullRequest,
  DoraPagedList,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { PageOptions, WindowScope } from './DoraStore';
import { ChangeRow, changeVersion, iso, isoOrNull } from './rows';
import { idBatches, Int, num, numOrNull, whereAnyOf } from './sql';

type ChangeEvent = Extract<ParsedDoraEvent, { type: 'change' }>;

/** A merged pull request as the flow figures read it: its merge time, review, stored parts and size. */
export interface FlowRow {
  entityRef: string;
  mergedAt: number;
  reviewed: boolean;
  codingMinutes: number | null;
  pickupMinutes: number | null;
  reviewMinutes: number | null;
  deployMinutes: number | null;
  /** additions + deletions (a missing one as 0); null when neither was reported. */
  linesChanged: number | null;
}

/** An open pull request without a review, as stored. */
export interface WaitingRow {
  id: string;
  entityRef: string;
  sha: string;
  author: string | null;
  url: string | null;
  createdAt: number;
  additions: number | null;
  deletions: number | null;
}

/** A stored change as the event that would store it again, and the version of its state (epoch ms). */
export interface StoredChange {
  event: ChangeEvent;
  version: number;
}

/** The flow reads of the store (see {@link DoraFlowReader}). */
export interface DoraFlowStore {
  /** The pull requests (changes with `createdAt`) of these entities merged in `[from, to)`. */
  mergedPullRequests(scope: WindowScope): Promise<FlowRow[]>;
  /** The pull requests behind a flow figure, paged; see `GET /v1/flow/pull-requests`. */
  listPullRequests(
    scope: WindowScope &
      PageOptions & {
        part?: DoraFlowPart;
        unreviewed?: boolean;
        large?: boolean;
        largePrLines: number;
      },
  ): Promise<DoraPagedList<DoraFlowPullRequest>>;
  /** Open pull requests without a review, oldest first, with how many there are and how many opened by `overdueAt`. */
  waitingPullRequests(
    options: PageOptions & { entityRefs: string[]; overdueAt: number },
  ): Promise<{ items: WaitingRow[]; totalCount: number; overdueCount: number }>;
  /** Per entity with any: how many pull requests wait for a first review, and how many were opened by `overdueAt`. */
  waitingCounts(options: {
    entityRefs: string[];
    overdueAt: number;
  }): Promise<Map<string, { total: number; overdue: number }>>;
  /** The stored changes with these ids, for webhooks that complete what is stored. */
  storedChanges(ids: string[]): Promise<Map<string, StoredChange>>;
}

/** A pull request: opened (createdAt), not a plain commit. */
const PULL_REQUEST = 'created_at is not null';
/** Reviewed before (or when) it was merged: a review after the merge did not gate it. */
const REVIEWED = 'first_review_at is not null and first_review_at <= merged_at';
/** additions + deletions, a missing one as 0; null when neither was sent. */
const LINES =
  'case when additions is null and deletions is null then null else coalesce(additions, 0) + coalesce(deletions, 0) end';

const PART_COLUMNS: Record<DoraFlowPart, string> = {
  coding: 'coding_minutes',
  pickup: 'pickup_minutes',
  review: 'review_minutes',
  deploy: 'deploy_minutes',
};

const linesOf = (additions: Int | null, deletions: Int | null) =>
  additions === null && deletions === null
    ? null
    : num(additions ?? 0) + num(deletions ?? 0);

/**
 * The reads behind the flow figures: merged pull requests by merge time (index `(entity_ref, merged_at)`), and open
 * pull requests waiting for a first review (a partial index of only those rows).
 */
export class DoraFlowReader implements DoraFlowStore {
  constructor(private readonly db: Knex) {}

  async mergedPullRequests(scope: WindowScope): Promise<FlowRow[]> {
    const rows: FlowRow[] = [];
    for (const batch of idBatches(this.db, [...new Set(scope.entityRefs)])) {
      const found = await whereAnyOf(
        this.db,
        this.db('dora_changes'),
        'entity_ref',
        batch,
      )
        .where('merged_at', '>=', scope.from)
        .where('merged_at', '<', scope.to)
        .whereRaw(PULL_REQUEST)
        .select(
          'entity_ref',
          'merged_at',
          'coding_minutes',
          'pickup_minutes',
          'review_minutes',
          'deploy_minutes',
          'additions',
          'deletions',
          this.db.raw(`case when ${REVIEWED} then 1 else 0 end as reviewed`),
        );
      for (const r of found)
        rows.push({
          entityRef: r.entity_ref,
          mergedAt: num(r.merged_at),
          reviewed: num(r.reviewed) === 1,
          codingMinutes: numOrNull(r.coding_minutes),
          pickupMinutes: numOrNull(r.pickup_minutes),
          reviewMinutes: numOrNull(r.review_minutes),
          deployMinutes: numOrNull(r.deploy_minutes),
          linesChanged: linesOf(r.additions, r.deletions),
        });
    }
    return rows;
  }

  async listPullRequests(
    scope: WindowScope &
      PageOptions & {
        part?: DoraFlowPart;
        unreviewed?: boolean;
        large?: boolean;
        largePrLines: number;
      },
  ): Promise<DoraPagedList<DoraFlowPullRequest>> {
    const { part, unreviewed, large, largePrLines } = scope;
    const query = this.db('dora_changes')
      .whereIn('entity_ref', scope.entityRefs)
      .where('merged_at', '>=', scope.from)
      .where('merged_at', '<', scope.to)
      .whereRaw(PULL_REQUEST);
    if (part) {
      query.whereNotNull(PART_COLUMNS[part]);
      // Pickup and review are measured over the reviewed pull requests only.
      if (part === 'pickup' || part === 'review') query.whereRaw(REVIEWED);
    }
    if (unreviewed === true) query.whereRaw(`not (${REVIEWED})`);
    if (unreviewed === false) query.whereRaw(REVIEWED);
    if (large !== undefined)
      query.whereRaw(`(${LINES}) ${large ? '>' : '<='} ?`, [largePrLines]);
    const order: Array<{ column: string; order: 'asc' | 'desc' }> = [
      ...(part ? [{ column: PART_COLUMNS[part], order: 'desc' as const }] : []),
      { column: 'merged_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ];
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy(order)
        .limit(scope.limit)
        .offset(scope.offset)
        .select('*'),
      query.clone().count({ count: '*' }),
    ]);
    return {
      items: (rows as ChangeRow[]).map(row => {
        const linesChanged = linesOf(row.additions, row.deletions);
        const mergedAt = num(row.merged_at!);
        const firstReviewAt = numOrNull(row.first_review_at);
        return {
          id: row.id,
          entityRef: row.entity_ref,
          sha: row.sha,
          author: row.author,
          url: row.url,
          authoredAt: isoOrNull(row.authored_at),
          createdAt: iso(row.created_at!),
          firstReviewAt: isoOrNull(row.first_review_at),
          mergedAt: iso(mergedAt),
          deploymentId: row.deployment_id,
          deployedAt: isoOrNull(row.deployed_at),
          codingMinutes: numOrNull(row.coding_minutes),
          pickupMinutes: numOrNull(row.pickup_minutes),
          reviewMinutes: numOrNull(row.review_minutes),
          deployMinutes: numOrNull(row.deploy_minutes),
          reviewed: firstReviewAt !== null && firstReviewAt <= mergedAt,
          additions: numOrNull(row.additions),
          deletions: numOrNull(row.deletions),
          linesChanged,
          large: linesChanged === null ? null : linesChanged > largePrLines,
        };
      }),
      totalCount: num(count as Int),
    };
  }

  async waitingCounts(options: {
    entityRefs: string[];
    overdueAt: number;
  }): Promise<Map<string, { total: number; overdue: number }>> {
    const counts = new Map<string, { total: number; overdue: number }>();
    for (const batch of idBatches(this.db, [...new Set(options.entityRefs)])) {
      const rows = await this.waiting(
        whereAnyOf(this.db, this.db('dora_changes'), 'entity_ref', batch),
      )
        .groupBy('entity_ref')
        .select(
          'entity_ref',
          this.db.raw('count(*) as total'),
          this.db.raw(
            'sum(case when created_at <= ? then 1 else 0 end) as overdue',
            [options.overdueAt],
          ),
        );
      for (const r of rows)
        counts.set(r.entity_ref, {
          total: num(r.total),
          overdue: num(r.overdue),
        });
    }
    return counts;
  }

  /** The open pull requests without a review: the predicate of the partial index dora_changes_waiting_idx, word for word. */
  private waiting(query: Knex.QueryBuilder): Knex.QueryBuilder {
    return query
      .whereNull('merged_at')
      .whereNull('closed_at')
      .whereNull('first_review_at')
      .whereNotNull('created_at');
  }

  async waitingPullRequests(
    options: PageOptions & { entityRefs: string[]; overdueAt: number },
  ): Promise<{
    items: WaitingRow[];
    totalCount: number;
    overdueCount: number;
  }> {
    const query = this.waiting(
      this.db('dora_changes').whereIn('entity_ref', options.entityRefs),
    );
    const [rows, [counts]]: [ChangeRow[], any[]] = await Promise.all([
      query
        .clone()
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset)
        .select(
          'id',
          'entity_ref',
          'sha',
          'author',
          'url',
          'created_at',
          'additions',
          'deletions',
        ),
      query
        .clone()
        .select(
          this.db.raw('count(*) as total'),
          this.db.raw(
            'coalesce(sum(case when created_at <= ? then 1 else 0 end), 0) as overdue',
            [options.overdueAt],
          ),
        ),
    ]);
    return {
      items: rows.map(r => ({
        id: r.id,
        entityRef: r.entity_ref,
        sha: r.sha,
        author: r.author,
        url: r.url,
        createdAt: num(r.created_at!),
        additions: numOrNull(r.additions),
        deletions: numOrNull(r.deletions),
      })),
      totalCount: num(counts.total),
      overdueCount: num(counts.overdue),
    };
  }

  async storedChanges(ids: string[]): Promise<Map<string, StoredChange>> {
    const found = new Map<string, StoredChange>();
    for (const batch of idBatches(this.db, [...new Set(ids)])) {
      const rows: ChangeRow[] = await whereAnyOf(
        this.db,
        this.db('dora_changes'),
        'id',
        batch,
      ).select('*');
      for (const row of rows) {
        const at = (v: Int | null) => isoOrNull(v) ?? undefined;
        const event: ChangeEvent = {
          type: 'change',
          id: row.id,
          entityRef: row.entity_ref,
          sha: row.sha,
          authoredAt: at(row.authored_at),
          createdAt: at(row.created_at),
          mergedAt: at(row.merged_at),
          firstReviewAt: at(row.first_review_at),
          closedAt: at(row.closed_at),
          additions: numOrNull(row.additions) ?? undefined,
          deletions: numOrNull(row.deletions) ?? undefined,
          author: row.author ?? undefined,
          url: row.url ?? undefined,
        };
        found.set(row.id, {
          event: Object.fromEntries(
            Object.entries(event).filter(([, v]) => v !== undefined),
          ) as ChangeEvent,
          version: changeVersion(row),
        });
      }
    }
    return found;
  }
}
