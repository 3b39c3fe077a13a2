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
] as const;

/** @public */
export type DebtItemOrderField = (typeof DEBT_ITEM_ORDER_FIELDS)[number];

/** Sort directions (`order`). @public */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** @public */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** The direction a field sorts in when the caller does not say: text A to Z, numbers and dates highest first. @public */
export function defaultSortOrder(orderBy: DebtItemOrderField): SortOrder {
  return orderBy === 'title' ? 'asc' : 'desc';
}

/** What an entry of an item's history records. @public */
export const DEBT_ITEM_EVENT_ACTIONS = [
  'created',
  'updated',
  'deleted',
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
