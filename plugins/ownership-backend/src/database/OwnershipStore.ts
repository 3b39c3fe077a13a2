import type {
  GroupOwnershipFigures,
  GroupOwnershipPage,
  OwnershipConfirmation,
  OwnershipFacets,
  OwnershipHistoryEvent,
  OwnershipProblemKind,
  OwnershipReportPage,
  OwnershipReportSummary,
} from '@vitals/plugin-ownership-common';
import type { OwnershipFacts } from '../service/healthRules';

/** One entity of a snapshot: its facts and the problems found from the catalog alone. */
export interface SnapshotEntity extends OwnershipFacts {
  title: string | null;
  systemRef: string | null;
  /** Catalog problems (not the confirmation), from the checks that apply to the kind. */
  problems: OwnershipProblemKind[];
  /** Whether the confirmation check applies to this entity. */
  confirmationApplies: boolean;
}

/** One group of a snapshot. */
export interface SnapshotGroup {
  groupRef: string;
  title: string | null;
  parentRef: string | null;
  memberCount: number;
}

/** A group and one of its descendants (itself at depth 0). */
export interface GroupClosureRow {
  ancestorRef: string;
  descendantRef: string;
  depth: number;
}

export interface Snapshot {
  entities: SnapshotEntity[];
  groups: SnapshotGroup[];
  closure: GroupClosureRow[];
  takenAt: Date;
}

export interface SnapshotResult {
  entities: number;
  groups: number;
  firstSeen: number;
  ownerChanges: number;
}

/** Filters of the org report, validated and normalised. */
export interface ReportFilter {
  kinds?: string[];
  systemRefs?: string[];
  /** Entities owned by this group or any of its descendants. */
  teamRef?: string;
}

/** The instant before which confirmations have expired, and the period, for time-dependent figures. */
export interface ConfirmationWindow {
  cutoff: Date;
  periodDays: number;
}

/** A history event to append, e.g. from demo seeding. */
export interface NewHistoryEvent {
  entityRef: string;
  type: OwnershipHistoryEvent['type'];
  fromOwnerRef: string | null;
  toOwnerRef: string | null;
  actor: string;
  at: Date;
  comment?: string | null;
}

/** Persistence of ownership health: snapshots, confirmations and the append-only history. */
export interface OwnershipStore {
  /**
   * Replaces the snapshot with a new one and appends a history row for every entity seen for the first time and every
   * owner change since the last observation. Atomic: readers see the old or the new snapshot.
   */
  replaceSnapshot(snapshot: Snapshot): Promise<SnapshotResult>;
  /** Records a confirmation of the current owner and its history row. */
  recordConfirmation(confirmation: {
    entityRef: string;
    ownerRef: string;
    actor: string;
    comment: string | null;
    at: Date;
  }): Promise<OwnershipConfirmation>;
  /** The latest confirmation of this owner for the entity. */
  getConfirmation(
    entityRef: string,
    ownerRef: string,
  ): Promise<OwnershipConfirmation | undefined>;
  /** History of one entity, newest first. */
  listHistory(entityRef: string): Promise<OwnershipHistoryEvent[]>;
  appendHistory(events: NewHistoryEvent[]): Promise<void>;
  /** Whether anyone has ever confirmed ownership of anything (the demo seeds only when not). */
  hasConfirmations(): Promise<boolean>;
  /** Entities with any history, of those given. */
  entitiesWithHistory(entityRefs: string[]): Promise<string[]>;
  getReportSummary(
    filter: ReportFilter,
    window: ConfirmationWindow,
  ): Promise<OwnershipReportSummary>;
  listProblems(
    filter: ReportFilter & {
      problem?: OwnershipProblemKind;
      limit: number;
      offset: number;
    },
    window: ConfirmationWindow,
  ): Promise<OwnershipReportPage>;
  getFacets(): Promise<OwnershipFacets>;
  listGroups(
    options: { limit: number; offset: number },
    window: ConfirmationWindow,
  ): Promise<GroupOwnershipPage>;
  getGroup(
    groupRef: string,
    window: ConfirmationWindow,
  ): Promise<GroupOwnershipFigures | undefined>;
}
