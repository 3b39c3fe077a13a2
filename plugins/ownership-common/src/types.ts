/**
 * The problems an entity's ownership can have, in the order the UI lists them.
 *
 * - `no-owner`: the entity names no owner (`spec.owner` is empty);
 * - `owner-unresolved`: `spec.owner` names an entity the catalog does not have;
 * - `owner-no-members`: the owning group has no members;
 * - `owner-single-member`: the owning group has one member, or the owner is a single user (bus factor 1);
 * - `no-contact`: neither the entity nor its owning group has a contact channel;
 * - `confirmation-overdue`: the owning team has not confirmed ownership within the confirmation period.
 *
 * @public
 */
export const OWNERSHIP_PROBLEM_KINDS = [
  'no-owner',
  'owner-unresolved',
  'owner-no-members',
  'owner-single-member',
  'no-contact',
  'confirmation-overdue',
] as const;

/** @public */
export type OwnershipProblemKind = (typeof OWNERSHIP_PROBLEM_KINDS)[number];

/** Short labels of the problem kinds, for headings, filters and the CSV export. @public */
export const OWNERSHIP_PROBLEM_LABELS: Record<OwnershipProblemKind, string> = {
  'no-owner': 'No owner',
  'owner-unresolved': 'Owner not in the catalog',
  'owner-no-members': 'Owning group has no members',
  'owner-single-member': 'Single member (bus factor 1)',
  'no-contact': 'No contact channel',
  'confirmation-overdue': 'Confirmation overdue',
};

/** One problem of an entity's ownership, spelled out. @public */
export interface OwnershipProblem {
  kind: OwnershipProblemKind;
  /** A sentence saying what is wrong, e.g. "Analytics (group:default/analytics) has no members." */
  message: string;
}

/** A person in the owning team. @public */
export interface OwnershipPerson {
  /** User entity ref. */
  ref: string;
  displayName: string;
  email: string | null;
}

/** The kinds of contact channel, as the API names them. @public */
export const CONTACT_CHANNEL_TYPES = [
  'slack',
  'email',
  'pagerduty',
  'opsgenie',
  'link',
] as const;

/** Whose a contact channel is: the entity's own, or its owner's. @public */
export const CONTACT_SOURCES = ['entity', 'owner'] as const;

/** A way to reach the owners, from annotations, links or the group profile. @public */
export interface ContactChannel {
  type: (typeof CONTACT_CHANNEL_TYPES)[number];
  /** What to show, e.g. `#payments-api` or the link title. */
  label: string;
  /** Where it leads, when it can be a link: only http(s), mailto, slack and msteams URLs (see `safeContactUrl`). */
  url: string | null;
  /** Whose it is: the entity itself or its owning group. */
  source: (typeof CONTACT_SOURCES)[number];
}

/** The owner of an entity as the catalog knows it now. @public */
export interface OwnerDetails {
  /** Entity ref of the owner, e.g. `group:default/payments`. */
  ref: string;
  /** `group` or `user` (another kind is possible but unusual). */
  kind: string;
  /** False when the catalog has no entity with this ref. */
  exists: boolean;
  title: string | null;
  /** Members of a group (for a user owner: the user); at most 50 are listed. */
  memberCount: number;
  members: OwnershipPerson[];
  parent: { ref: string; title: string | null } | null;
}

/**
 * Whether ownership is confirmed: `current`, `due` (the latest confirmation expired), `never`, or `not-applicable`
 * (the check is off for the kind, or there is no owner in the catalog to confirm).
 *
 * @public
 */
export const CONFIRMATION_STATUSES = [
  'current',
  'due',
  'never',
  'not-applicable',
] as const;

/** @public */
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/** The state of an entity's ownership confirmation. @public */
export interface ConfirmationState {
  status: ConfirmationStatus;
  /** Latest confirmation of the current owner. */
  lastConfirmedAt: string | null;
  lastConfirmedBy: string | null;
  /** When the latest confirmation expires (or expired). */
  dueAt: string | null;
  periodDays: number;
}

/** Everything the Ownership card shows about one entity, computed from the live catalog. @public */
export interface EntityOwnership {
  entityRef: string;
  kind: string;
  title: string | null;
  systemRef: string | null;
  /** `spec.owner` as a full ref, or null when the entity names none. */
  ownerRef: string | null;
  owner: OwnerDetails | null;
  /** Slack channels, email addresses and contact links of the entity and its owning group. */
  contacts: ContactChannel[];
  /** Paging services and runbooks. */
  onCall: ContactChannel[];
  /** The links of the entity (`metadata.links`) whose URL may be rendered as a link (see `safeContactUrl`). */
  links: Array<{ url: string; title: string | null; type: string | null }>;
  healthy: boolean;
  problems: OwnershipProblem[];
  /** The checks configured for the entity's kind. */
  checks: OwnershipProblemKind[];
  confirmation: ConfirmationState;
}

/**
 * The kinds of history event: `first-seen` (the first snapshot that saw the entity), `owner-changed`, `confirmed`.
 *
 * @public
 */
export const OWNERSHIP_HISTORY_EVENT_TYPES = [
  'first-seen',
  'owner-changed',
  'confirmed',
] as const;

/** One entry in an entity's ownership history. @public */
export interface OwnershipHistoryEvent {
  id: number;
  entityRef: string;
  /** One of {@link OWNERSHIP_HISTORY_EVENT_TYPES}. */
  type: (typeof OWNERSHIP_HISTORY_EVENT_TYPES)[number];
  /** The previous owner, for `owner-changed`. */
  fromOwnerRef: string | null;
  /** The owner after the event (for `confirmed`: the owner that was confirmed). */
  toOwnerRef: string | null;
  /** Who confirmed, or `system:snapshot` for changes observed in the catalog. */
  actor: string;
  at: string;
  comment: string | null;
}

/** A confirmation as recorded. @public */
export interface OwnershipConfirmation {
  entityRef: string;
  ownerRef: string;
  confirmedBy: string;
  confirmedAt: string;
  comment: string | null;
}

/** Counts per problem kind. @public */
export type ProblemCounts = Record<OwnershipProblemKind, number>;

/** Headline figures of the org report, over the entities matching its filters. @public */
export interface OwnershipReportSummary {
  /** Entities in the snapshot matching the filters. */
  total: number;
  /** Entities with no problem. */
  healthy: number;
  /** healthy / total in percent, one decimal; null when there are no entities. */
  coveragePercent: number | null;
  problemCounts: ProblemCounts;
  /** When the catalog snapshot was taken; null before the first snapshot. */
  snapshotAt: string | null;
  confirmationPeriodDays: number;
}

/** One entity of the org report's problem lists. @public */
export interface OwnershipReportRow {
  entityRef: string;
  kind: string;
  title: string | null;
  systemRef: string | null;
  ownerRef: string | null;
  problems: OwnershipProblem[];
  lastConfirmedAt: string | null;
  lastConfirmedBy: string | null;
}

/** A page of report rows plus how many match. @public */
export interface OwnershipReportPage {
  rows: OwnershipReportRow[];
  totalCount: number;
}

/** A team's ownership figures. @public */
export interface GroupOwnershipFigures {
  groupRef: string;
  title: string | null;
  parentRef: string | null;
  memberCount: number;
  /** Entities whose owner is the group itself. */
  ownedDirectly: number;
  /** Entities owned by the group's child groups, at any depth. */
  ownedThroughChildren: number;
  /** ownedDirectly + ownedThroughChildren. */
  ownedTotal: number;
  /** Of ownedTotal, those with no problem. */
  healthy: number;
  /** healthy / ownedTotal in percent, one decimal; null when the group owns nothing. */
  healthPercent: number | null;
  /** Problems of the entities in ownedTotal. */
  problemCounts: ProblemCounts;
}

/** A page of teams. @public */
export interface GroupOwnershipPage {
  groups: GroupOwnershipFigures[];
  totalCount: number;
}

/** Values for the report's filters. @public */
export interface OwnershipFacets {
  kinds: string[];
  systems: string[];
  teams: string[];
}

/** Empty counts, one per problem kind. @public */
export function emptyProblemCounts(): ProblemCounts {
  return Object.fromEntries(
    OWNERSHIP_PROBLEM_KINDS.map(k => [k, 0]),
  ) as ProblemCounts;
}
