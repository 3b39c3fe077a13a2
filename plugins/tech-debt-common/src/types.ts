/** The categories a debt item can be filed under. @public */
export const DEBT_CATEGORIES = [
  'code',
  'architecture',
  'testing',
  'infrastructure',
  'dependency',
  'documentation',
  'security',
  'process',
] as const;

/** @public */
export type DebtCategory = (typeof DEBT_CATEGORIES)[number];

/** The lifecycle states of a debt item. @public */
export const DEBT_STATUSES = [
  'open',
  'planned',
  'in_progress',
  'resolved',
  'wont_fix',
] as const;

/** @public */
export type DebtStatus = (typeof DEBT_STATUSES)[number];

/**
 * The fields the items list can be sorted by (`orderBy`): the API's spec, the zod query schema, the client and the UI
 * all take them from here. @public
 */
export const DEBT_ITEM_ORDER_FIELDS = [
  'priority',
  'impact',
  'effortDays',
  'updatedAt',
  'createdAt',
  'title',
  'measuredInterest',
] as const;

/** @public */
export type DebtItemOrderField = (typeof DEBT_ITEM_ORDER_FIELDS)[number];

/** Sort directions (`order`). @public */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** @public */
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * The direction a field sorts in when the caller does not say: text A to Z, numbers and dates highest first (for
 * `measuredInterest`, the most incidents first). @public
 */
export function defaultSortOrder(orderBy: DebtItemOrderField): SortOrder {
  return orderBy === 'title' ? 'asc' : 'desc';
}

/** What an entry of an item's history records. @public */
export const DEBT_ITEM_EVENT_ACTIONS = [
  'created',
  'updated',
  'deleted',
  /** An incident was linked to the item; `changes.incidentId.to` names it. */
  'linked',
  /** An incident was unlinked; `changes.incidentId.from` names it. */
  'unlinked',
  /** The snapshot of a linked incident changed (resolved, severity, postmortem); `incidentId` from = to. */
  'link_refreshed',
] as const;

/** @public */
export type DebtItemEventAction = (typeof DEBT_ITEM_EVENT_ACTIONS)[number];

/** Statuses that still cost the team something: the item is not paid down and not abandoned. @public */
export const UNRESOLVED_STATUSES: readonly DebtStatus[] = [
  'open',
  'planned',
  'in_progress',
];

/** Human labels for statuses, used by the UI and CSV export. @public */
export const STATUS_LABELS: Record<DebtStatus, string> = {
  open: 'Open',
  planned: 'Planned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  wont_fix: "Won't fix",
};

/** A debt item as the API returns it. @public */
export interface DebtItem {
  id: string;
  /** The catalog entity the item is attached to, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** Owner of the entity as last seen in the catalog. */
  ownerRef: string | null;
  /** System of the entity as last seen in the catalog. */
  systemRef: string | null;
  title: string;
  /** Markdown. */
  description: string;
  category: DebtCategory;
  /** 1 (minor) to 5 (severe). */
  impact: number;
  /** Estimated effort to pay the item down, in ideal engineer-days. */
  effortDays: number;
  /** Hours lost per month while the item stays unpaid. */
  interestHoursPerMonth: number | null;
  status: DebtStatus;
  /** A user entity ref. */
  assignee: string | null;
  trackerUrl: string | null;
  tags: string[];
  /** Derived, see {@link computePriority}. */
  priority: number;
  /** Incremented on every change; send it back on update to detect concurrent edits. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** When the item last entered the `resolved` status. */
  resolvedAt: string | null;
  /** How many incidents are linked to the item, of any age. */
  incidentCount: number;
  /**
   * The linked incidents, the most recent (by `createdAt`) first: all of them from `GET /v1/items/{id}`, at most
   * {@link LIST_INCIDENTS_PER_ITEM} in lists (`incidentCount` says how many there are).
   */
  incidents: DebtItemIncident[];
  /** What the linked incidents of the last 90 days cost, see {@link MeasuredInterest}. */
  measuredInterest: MeasuredInterest;
}

/** How many linked incidents a row of a list (items, summary) carries; the item itself carries all. @public */
export const LIST_INCIDENTS_PER_ITEM = 20;

/** The window of measured interest, in days before the request. @public */
export const MEASURED_INTEREST_WINDOW_DAYS = 90;

/**
 * The interest an item has measurably cost: the linked incidents created in the last 90 days (from the time of the
 * request, inclusive) and their restore minutes. A resolved incident counts its `restoreMinutes`; an ongoing one
 * counts the minutes from its start to the time of the request. `restoreMinutes` is rounded to whole minutes.
 *
 * @public
 */
export interface MeasuredInterest {
  windowDays: number;
  incidents: number;
  restoreMinutes: number;
}

/** A DORA incident linked to a debt item, as the linking caller last described it. @public */
export interface DebtItemIncident {
  /** The DORA incident id, e.g. `pagerduty:PGR0VU2`. */
  incidentId: string;
  /** The entity the incident happened on (not necessarily the item's). */
  entityRef: string;
  createdAt: string;
  /** Null while the incident is ongoing. */
  resolvedAt: string | null;
  severity: string | null;
  /** Minutes to restore service, for a resolved incident; null while it is ongoing. */
  restoreMinutes: number | null;
  postmortemId: string | null;
  postmortemUrl: string | null;
  title: string | null;
  /** When the incident was first linked to the item, and by whom. */
  linkedAt: string;
  linkedBy: string;
  /** When the snapshot last changed. */
  updatedAt: string;
}

/** Response of `PUT /v1/items/{id}/incidents/{incidentId}`. @public */
export interface LinkIncidentResult {
  /** `linked`: a new link; `refreshed`: the snapshot changed; `unchanged`: the same snapshot again (nothing written). */
  outcome: 'linked' | 'refreshed' | 'unchanged';
  /** All of the item's links, the most recent incident first. */
  incidents: DebtItemIncident[];
}

/** One debt item of the repeat-incidents report, with its incidents in the report's window. @public */
export interface RepeatIncidentItem {
  id: string;
  title: string;
  entityRef: string;
  status: DebtStatus;
  priority: number;
  interestHoursPerMonth: number | null;
  /** Linked incidents created in the window. */
  incidents: number;
  /** Their restore minutes (ongoing ones up to the time of the request), rounded to whole minutes. */
  restoreMinutes: number;
  /** Those incidents, the most recent first. */
  links: DebtItemIncident[];
}

/** One team's part of the repeat-incidents report. @public */
export interface RepeatIncidentTeam {
  /** The owner of the items' entities as last synced from the catalog; null for items whose entity has no owner. */
  ownerRef: string | null;
  /** Distinct incidents behind the team's items in the window (an incident linked to two items counts once). */
  incidents: number;
  /** Their restore minutes, each incident once, rounded to whole minutes. */
  restoreMinutes: number;
  items: RepeatIncidentItem[];
}

/** Response of `GET /v1/reports/repeat-incidents`. @public */
export interface RepeatIncidentsReport {
  windowDays: number;
  minIncidents: number;
  /** The window: incidents created from `from` (inclusive) to `to`, the time of the request. */
  from: string;
  to: string;
  /** Teams with the most incidents (then restore minutes) first. */
  teams: RepeatIncidentTeam[];
}

/** One field's change in an item's history. @public */
export interface DebtFieldChange {
  from: unknown;
  to: unknown;
}

/** One entry of an item's history. @public */
export interface DebtItemEvent {
  id: number;
  itemId: string;
  entityRef: string;
  action: DebtItemEventAction;
  actor: string;
  at: string;
  changes: Record<string, DebtFieldChange>;
}

/** A page of items plus the number of items matching the filter. @public */
export interface DebtItemPage {
  items: DebtItem[];
  totalCount: number;
}

/** Headline figures of one entity's register. @public */
export interface EntityDebtSummary {
  entityRef: string;
  openCount: number;
  openEffortDays: number;
  openInterestHoursPerMonth: number;
  /** The three unresolved items with the highest priority. */
  top: DebtItem[];
}

/** A team's debt capacity budget for one quarter, with what it has paid down. @public */
export interface DebtBudget {
  groupRef: string;
  /** e.g. `2026-Q4`. */
  quarter: string;
  /** Engineer-days the team has in the quarter; null when no budget is set. */
  capacityDays: number | null;
  /** Share of capacity reserved for debt work, 0–100; null when no budget is set. */
  sharePercent: number | null;
  /** capacityDays × sharePercent / 100. */
  reservedDays: number | null;
  /** Sum of effort of the team's items resolved in the quarter. */
  paidDownDays: number;
  resolvedCount: number;
  version: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Distinct owners and systems that have items, for filter pickers. @public */
export interface DebtFacets {
  owners: string[];
  systems: string[];
  tags: string[];
}
