import type {
  EntityHistoryPoint,
  EntityScorecardResult,
  GroupRollupResponse,
  OrgSummaryResponse,
  ScorecardEvaluation,
  TrendPoint,
} from '@vitals/plugin-scorecards-common';
import type { WaiverStore } from './WaiverStore';

export type { NewWaiver, WaiverStore } from './WaiverStore';

/** A fresh evaluation to store, with where the catalog places the entity. */
export interface ResultToSave extends ScorecardEvaluation {
  entityRef: string;
  ownerRef: string | null;
  systemRef: string | null;
}

/** How a saved result compares with the one it replaced. */
export interface SavedResultChange {
  entityRef: string;
  scorecardId: string;
  ownerRef: string | null;
  /** Level index before; undefined when the entity had no result for the scorecard. */
  previousLevelIndex: number | undefined;
  levelIndex: number;
}

/** A state of an entity's scorecard on a past day, for demo history. */
export interface PastHistoryPoint extends EntityHistoryPoint {
  entityRef: string;
  levelIndex: number;
}

/** Narrows the org summary and the export. Empty or undefined lists mean "all". */
export interface ResultFilter {
  scorecardIds?: string[];
  ownerRefs?: string[];
  systemRefs?: string[];
}

/**
 * Persistence of scorecard results, history, roll-ups, runs and refresh claims, and (through {@link WaiverStore})
 * waivers. Every entity, owner and system ref it takes is
 * normalised (`normalizeEntityRef`: lower-cased `kind:namespace/name`) before it is stored or queried, and every ref
 * it returns is in that form.
 */
export interface ScorecardsStore extends WaiverStore {
  /**
   * Stores fresh results (replacing the entity's current ones), appends history for the ones that changed (at most
   * one history row per entity, scorecard and day), and reports level changes.
   */
  saveResults(results: ResultToSave[], now: Date): Promise<SavedResultChange[]>;
  /** Removes current results not evaluated since `before` (entities that left the catalog or a scorecard). */
  deleteResultsEvaluatedBefore(before: Date): Promise<number>;
  /** Removes an entity's results for these scorecards (they no longer apply to it). */
  deleteEntityResults(entityRef: string, scorecardIds: string[]): Promise<void>;
  /** Recomputes the team/system roll-ups from the current results; all, or only the given scorecard's owners. */
  rebuildRollups(scope?: {
    scorecardIds: string[];
    ownerRefs: Array<string | null>;
  }): Promise<void>;
  /**
   * Demo data: adds the points dated before the day `before` to the history of the entity/scorecard pairs that have no
   * history before that day yet (pairs that have keep theirs, so a second call adds nothing), and rebuilds the daily
   * summaries of the days it wrote from the history. Returns the number of history rows written.
   */
  addPastHistory(points: PastHistoryPoint[], before: string): Promise<number>;
  /** Snapshots today's level distribution per scorecard and team (for trends); replaces the day's snapshot. */
  writeDailySummary(day: string): Promise<void>;

  getEntityResults(entityRef: string): Promise<EntityScorecardResult[]>;
  /** Current results of several entities, in one query per 500 entities. */
  listEntityResults(entityRefs: string[]): Promise<EntityScorecardResult[]>;
  getOrgSummary(
    filter: ResultFilter,
  ): Promise<Omit<OrgSummaryResponse, 'updatedAt'>>;
  getGroupRollup(groupRef: string): Promise<GroupRollupResponse>;
  getEntityHistory(options: {
    entityRef: string;
    scorecardId?: string;
    from: string;
    to: string;
  }): Promise<EntityHistoryPoint[]>;
  getTrend(options: {
    ownerRef?: string;
    scorecardId?: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]>;
  /** Current results for the CSV export, in entity order, at most `limit`. */
  listResults(
    filter: ResultFilter & { limit: number },
  ): Promise<EntityScorecardResult[]>;

  startRun(now: Date): Promise<number>;
  finishRun(
    id: number,
    outcome: { entities: number; results: number } | { error: string },
  ): Promise<void>;
  /** When the last successful full evaluation finished. */
  lastFinishedRunAt(): Promise<string | null>;

  /**
   * Claims an on-demand refresh of the entity: succeeds when nobody refreshed it in the last `minIntervalMs` (across
   * all replicas), otherwise tells when the last refresh was.
   */
  claimRefresh(
    entityRef: string,
    actor: string,
    now: Date,
    minIntervalMs: number,
  ): Promise<{ claimed: true } | { claimed: false; lastRefreshedAt: string }>;
}
