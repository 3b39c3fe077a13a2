import type {
  DebtBudget,
  DebtCategory,
  DebtFacets,
  DebtItem,
  DebtItemEvent,
  DebtItemIncident,
  DebtItemOrderField,
  DebtItemPage,
  DebtStatus,
  EntityDebtSummary,
  RepeatIncidentsReport,
  SortOrder,
} from '@vitals/plugin-tech-debt-common';

/** The editable fields of an item, validated. */
export interface DebtItemFields {
  title: string;
  description: string;
  category: DebtCategory;
  impact: number;
  effortDays: number;
  interestHoursPerMonth: number | null;
  status: DebtStatus;
  assignee: string | null;
  trackerUrl: string | null;
  tags: string[];
}

export interface NewDebtItem extends DebtItemFields {
  entityRef: string;
  ownerRef: string | null;
  systemRef: string | null;
}

export interface ItemFilter {
  ids?: string[];
  entityRefs?: string[];
  ownerRefs?: string[];
  systemRefs?: string[];
  statuses?: DebtStatus[];
  categories?: DebtCategory[];
  tag?: string;
  search?: string;
}

export interface ListItemsOptions extends ItemFilter {
  orderBy: DebtItemOrderField;
  order: SortOrder;
  limit: number;
  offset: number;
}

export interface CatalogPlacement {
  entityRef: string;
  ownerRef: string | null;
  systemRef: string | null;
}

/** A DORA incident as the linking caller describes it, validated (timestamps in UTC ISO form). */
export interface IncidentSnapshot {
  entityRef: string;
  createdAt: string;
  resolvedAt: string | null;
  severity: string | null;
  /** Minutes to restore a resolved incident; when null, resolvedAt − createdAt is stored. */
  restoreMinutes: number | null;
  postmortemId: string | null;
  postmortemUrl: string | null;
  title: string | null;
}

/** What linking did: a new link, a changed snapshot, or nothing (the same snapshot again). */
export type LinkOutcome = 'linked' | 'refreshed' | 'unchanged';

/** Persistence of the tech-debt register. */
export interface TechDebtStore {
  createItem(item: NewDebtItem, actor: string): Promise<DebtItem>;
  /**
   * Inserts many items at once, for demo and benchmark seeding; with `withHistory` each gets its `created` event.
   */
  importItems(
    items: Array<NewDebtItem & { createdAt?: Date; resolvedAt?: Date | null }>,
    actor: string,
    options?: { withHistory?: boolean },
  ): Promise<void>;
  /** Whether the register has ever held an item (its history is never emptied). */
  hasHistory(): Promise<boolean>;
  getItem(id: string): Promise<DebtItem | undefined>;
  /** Applies a partial update when `expectedVersion` is current; throws NotFoundError or ConflictError otherwise. */
  updateItem(
    id: string,
    patch: Partial<DebtItemFields>,
    expectedVersion: number,
    actor: string,
  ): Promise<DebtItem>;
  /**
   * Deletes the item when `expectedVersion` is current and records the deletion in its history; throws NotFoundError
   * or ConflictError otherwise.
   */
  deleteItem(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<DebtItem>;
  listItems(options: ListItemsOptions): Promise<DebtItemPage>;
  listItemEvents(id: string): Promise<DebtItemEvent[]>;
  getSummary(entityRef: string): Promise<EntityDebtSummary>;
  getFacets(): Promise<DebtFacets>;
  countItems(): Promise<number>;
  /** Distinct entity refs that have items, in pages. */
  listEntityRefs(options: { after?: string; limit: number }): Promise<string[]>;
  /** Records where the catalog now places these entities (owner, system); returns how many items changed. */
  updatePlacements(placements: CatalogPlacement[]): Promise<number>;
  /** The link of one incident to one item, if it exists. */
  getIncidentLink(
    itemId: string,
    incidentId: string,
  ): Promise<DebtItemIncident | undefined>;
  /**
   * Links the incident to the item, or replaces the snapshot of the link when it exists; records `linked` or
   * `link_refreshed` in the item's history when something changed. With `refreshOnly`, a link that does not exist is
   * a NotFoundError. Throws NotFoundError for an unknown item. Resolves to the item's links, the most recent first.
   */
  linkIncident(
    itemId: string,
    incidentId: string,
    snapshot: IncidentSnapshot,
    actor: string,
    options?: { refreshOnly?: boolean },
  ): Promise<{ outcome: LinkOutcome; incidents: DebtItemIncident[] }>;
  /** Removes the link and records `unlinked`; NotFoundError when the incident is not linked to the item. */
  unlinkIncident(
    itemId: string,
    incidentId: string,
    actor: string,
  ): Promise<DebtItemIncident>;
  /** Open items with at least `minIncidents` linked incidents created in the last `days` days, per owning team. */
  getRepeatIncidents(options: {
    ownerRefs?: string[];
    days: number;
    minIncidents: number;
  }): Promise<RepeatIncidentsReport>;
  getBudget(groupRef: string, quarter: string): Promise<DebtBudget>;
  putBudget(
    budget: {
      groupRef: string;
      quarter: string;
      capacityDays: number;
      sharePercent: number;
    },
    expectedVersion: number | undefined,
    actor: string,
  ): Promise<DebtBudget>;
}
