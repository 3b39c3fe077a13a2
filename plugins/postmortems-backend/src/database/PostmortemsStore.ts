import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  ActionItemDebt,
  ActionItemOrigin,
  PostmortemHistoryEntry,
  PostmortemStatus,
  TimelineEntry,
} from '@vitals/plugin-postmortems-common';
import { PostmortemFilter } from '../permissions/rules';

/** An incident as the plugin keeps it. Times are epoch milliseconds. */
export interface IncidentRecord {
  id: string;
  entityRef: string;
  ownerRef: string | null;
  createdAt: number;
  resolvedAt: number | null;
  severity: string | null;
  url: string | null;
  deploymentId: string | null;
  restoreMinutes: number | null;
}

/** An incident as read from DORA, before the owner of its entity is known. */
export type SyncedIncident = Omit<IncidentRecord, 'ownerRef'>;

/** The sections of a postmortem. */
export interface PostmortemSections {
  summary: string;
  customerImpact: string;
  timeline: TimelineEntry[];
  contributingFactors: string;
  whatWentWell: string;
  whatWasHard: string;
  lessons: string;
  extraSections: Record<string, string>;
}

/** A postmortem without its sections, with its incident, authors and number of action items. Epoch milliseconds. */
export interface PostmortemSummaryRecord {
  id: string;
  incidentId: string;
  entityRef: string;
  title: string;
  status: PostmortemStatus;
  templateId: string;
  authors: string[];
  version: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  publishedAt: number | null;
  actionItemCount: number;
  incident: IncidentRecord;
}

/** A whole postmortem as stored. */
export interface PostmortemRecord
  extends PostmortemSummaryRecord,
    PostmortemSections {}

/** What a new postmortem starts with. */
export interface NewPostmortem extends PostmortemSections {
  id: string;
  incidentId: string;
  entityRef: string;
  title: string;
  templateId: string;
  authors: string[];
}

/** The fields an update may change. */
export type PostmortemPatch = Partial<
  PostmortemSections & {
    title: string;
    status: PostmortemStatus;
    authors: string[];
  }
>;

/** Which postmortems the caller may read: the policy's conditions as store filters; undefined for all. */
export type ReadFilter = PermissionCriteria<PostmortemFilter> | undefined;

/** Which severities qualify: the qualifying keys, and whether an incident without a severity does. */
export interface Qualifying {
  keys: string[];
  unknownQualifies: boolean;
}

/** An action item as stored. Times are epoch milliseconds. */
export interface ActionItemRecord {
  postmortemId: string;
  debtItemId: string;
  origin: ActionItemOrigin;
  dueDate: string | null;
  addedAt: number;
  addedBy: string;
  debt: ActionItemDebt | null;
  debtGone: boolean;
  debtCheckedAt: number | null;
}

/** The debt item of an action item as read from the register; null when it is gone. */
export interface DebtSnapshot {
  debtItemId: string;
  debt: ActionItemDebt | null;
}

/** Figures of one team or entity (see the README for the definitions). */
export interface CoverageCounts {
  key: string;
  incidents: number;
  due: number;
  published: number;
  openActionItems: number;
  overdueActionItems: number;
}

/** A qualifying incident whose postmortem is due and not published, with the postmortem if one was started. */
export interface MissingPostmortemRecord {
  incident: IncidentRecord;
  postmortem: { id: string; title: string; status: PostmortemStatus } | null;
}

/** An open action item past its due date. */
export interface OverdueActionItemRecord extends ActionItemRecord {
  postmortemTitle: string;
  incidentId: string;
  entityRef: string;
  ownerRef: string | null;
  dueDate: string;
}

/** An incident of an entity with its postmortem, if any. */
export interface IncidentWithPostmortemRecord {
  incident: IncidentRecord;
  postmortem: {
    id: string;
    status: PostmortemStatus;
    title: string;
    authors: string[];
  } | null;
}

export interface PostmortemsStore {
  /** Inserts or updates incidents read from DORA; returns the ids whose resolution, restore minutes or severity changed. */
  upsertIncidents(
    incidents: SyncedIncident[],
    syncedAt: number,
  ): Promise<string[]>;
  /** Sets the owner of every stored incident of these entities. */
  setOwners(owners: Map<string, string | null>): Promise<void>;
  getIncident(id: string): Promise<IncidentRecord | undefined>;
  /** How many stored incidents were created in [from, to). */
  countIncidents(from: number, to: number): Promise<number>;
  /** One entity's incidents, newest first, with their postmortem. */
  listEntityIncidents(options: {
    entityRef: string;
    qualifying?: { value: boolean } & Qualifying;
    limit: number;
    offset: number;
  }): Promise<{ items: IncidentWithPostmortemRecord[]; totalCount: number }>;
  getSyncState(name: string): Promise<number | undefined>;
  setSyncState(name: string, value: number): Promise<void>;

  /** Creates a postmortem; a ConflictError when the incident has one. The incident must be stored. */
  createPostmortem(
    postmortem: NewPostmortem,
    actor: string,
    now: number,
  ): Promise<PostmortemRecord>;
  getPostmortem(id: string): Promise<PostmortemRecord | undefined>;
  listPostmortems(options: {
    entityRefs?: string[];
    ownerRefs?: string[];
    statuses?: PostmortemStatus[];
    incidentId?: string;
    readFilter: ReadFilter;
    limit: number;
    offset: number;
  }): Promise<{ items: PostmortemSummaryRecord[]; totalCount: number }>;
  /**
   * Applies the patch if `version` is the current one (ConflictError otherwise, NotFoundError for an unknown id), with
   * a history entry. Nothing changes, and the version stays, when the patch changes nothing.
   */
  updatePostmortem(
    id: string,
    patch: PostmortemPatch,
    version: number,
    actor: string,
    now: number,
  ): Promise<PostmortemRecord>;
  listHistory(id: string): Promise<PostmortemHistoryEntry[]>;

  listActionItems(postmortemId: string): Promise<ActionItemRecord[]>;
  /**
   * Adds an action item (with a history entry), or changes the due date of one that exists (`dueDate` undefined keeps
   * it). Returns the item and whether it was new.
   */
  putActionItem(
    item: {
      postmortemId: string;
      debtItemId: string;
      origin: ActionItemOrigin;
      dueDate: string | null | undefined;
      debt: ActionItemDebt | null;
    },
    actor: string,
    now: number,
  ): Promise<{ item: ActionItemRecord; added: boolean }>;
  /** Removes an action item, with a history entry; false when it was not one. */
  removeActionItem(
    postmortemId: string,
    debtItemId: string,
    actor: string,
    now: number,
  ): Promise<boolean>;
  /** Records what the register says about debt items now. */
  saveDebtSnapshots(
    snapshots: DebtSnapshot[],
    checkedAt: number,
  ): Promise<void>;
  /** The debt item ids of every action item that is not known to be done: the ones to read again. */
  listOpenDebtItemIds(): Promise<string[]>;
  /** The action items of postmortems of these incidents (to refresh their links in the register). */
  listActionItemsOfIncidents(
    incidentIds: string[],
  ): Promise<
    Array<{ incidentId: string; postmortemId: string; debtItemId: string }>
  >;

  /** Coverage and action-item figures per owner of the affected entity (one team when `team` is given). */
  coverageByTeam(
    options: FigureOptions & { team?: string },
  ): Promise<CoverageCounts[]>;
  /** The same figures per affected entity, for these entities. */
  coverageByEntity(
    options: FigureOptions & { entityRefs: string[] },
  ): Promise<CoverageCounts[]>;
  /** Qualifying incidents created in [since, dueBefore] without a published postmortem, oldest first. */
  listMissingPostmortems(options: {
    since: number;
    dueBefore: number;
    qualifying: Qualifying;
    team?: string;
    limit: number;
  }): Promise<{ items: MissingPostmortemRecord[]; totalCount: number }>;
  /** Open action items due before `today` (YYYY-MM-DD), the most overdue first. */
  listOverdueActionItems(options: {
    today: string;
    team?: string;
    limit: number;
  }): Promise<{ items: OverdueActionItemRecord[]; totalCount: number }>;

  /** Claims notices for sending: the keys no run (on any replica) claimed before. */
  claimNotices(
    notices: Array<{ key: string; teamRef: string | null }>,
    now: number,
  ): Promise<string[]>;
  /** Gives claimed notices back (their sending failed), so that the next run tries again. */
  releaseNotices(keys: string[]): Promise<void>;
}

/** The window and rules of the coverage figures. */
export interface FigureOptions {
  from: number;
  to: number;
  /** Incidents created at or before this are due. */
  dueBefore: number;
  qualifying: Qualifying;
  /** YYYY-MM-DD: action items due before it are overdue. */
  today: string;
}
