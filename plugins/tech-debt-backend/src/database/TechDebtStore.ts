import type {
  DebtBudget,
  DebtCategory,
  DebtFacets,
  DebtItem,
  DebtItemEvent,
  DebtItemOrderField,
  DebtItemPage,
  DebtStatus,
  EntityDebtSummary,
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
