import type { DebtStatus } from '@vitals/plugin-tech-debt-common';

/** Where a postmortem is in its life: written, reviewed, then published for everyone to read. @public */
export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'published'] as const;

/** @public */
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/**
 * The status changes a postmortem allows: a draft goes to review, a review goes back to draft or is published. A
 * published postmortem stays published (it can still be corrected; the history shows what changed). @public
 */
export const POSTMORTEM_TRANSITIONS: Record<
  PostmortemStatus,
  readonly PostmortemStatus[]
> = {
  draft: ['in_review'],
  in_review: ['draft', 'published'],
  published: [],
};

/** Human labels of the statuses. @public */
export const POSTMORTEM_STATUS_LABELS: Record<PostmortemStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  published: 'Published',
};

/**
 * The free-text sections of the blameless format, in the order the default template shows them (with the timeline
 * after the customer impact). Each is Markdown. @public
 */
export const POSTMORTEM_TEXT_SECTIONS = [
  'summary',
  'customerImpact',
  'contributingFactors',
  'whatWentWell',
  'whatWasHard',
  'lessons',
] as const;

/** @public */
export type PostmortemTextSection = (typeof POSTMORTEM_TEXT_SECTIONS)[number];

/** The id of the timeline section: entries with a time and a text. @public */
export const TIMELINE_SECTION = 'timeline';

/** Every section id the format knows; a template may add sections of its own, stored in `extraSections`. @public */
export const BUILT_IN_SECTIONS = [
  'summary',
  'customerImpact',
  TIMELINE_SECTION,
  'contributingFactors',
  'whatWentWell',
  'whatWasHard',
  'lessons',
] as const;

/** @public */
export type BuiltInSection = (typeof BUILT_IN_SECTIONS)[number];

/** One entry of a postmortem's timeline. @public */
export interface TimelineEntry {
  /** When it happened, ISO 8601. */
  at: string;
  /** What happened, one short paragraph (Markdown). */
  text: string;
}

/**
 * The DORA incident a postmortem is about, as the postmortems backend last read it from the DORA API (see the
 * backend README, "Incidents").
 *
 * @public
 */
export interface PostmortemIncident {
  /** The DORA incident id, e.g. `pagerduty:PGR0VU2`. */
  id: string;
  /** The affected entity. */
  entityRef: string;
  /** The entity's owner as last seen in the catalog: the team the postmortem belongs to. */
  ownerRef: string | null;
  createdAt: string;
  resolvedAt: string | null;
  severity: string | null;
  url: string | null;
  /** The deployment DORA links the incident to (the one it named, else the latest before it). */
  deploymentId: string | null;
  restoreMinutes: number | null;
  /** Whether its severity is at or above the configured level, so that it needs a published postmortem. */
  qualifying: boolean;
  /** When its postmortem is due: created + the configured number of days. Null when it does not qualify. */
  postmortemDueAt: string | null;
}

/** A postmortem as lists return it: everything but the sections. @public */
export interface PostmortemSummary {
  id: string;
  incidentId: string;
  /** The affected entity (the incident's). */
  entityRef: string;
  /** The owner of the affected entity as last seen in the catalog. */
  ownerRef: string | null;
  title: string;
  status: PostmortemStatus;
  /** User entity refs. */
  authors: string[];
  /** The template the postmortem was started from. */
  templateId: string;
  /** Incremented on every change of the postmortem itself; send it back on update to detect concurrent edits. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** When it was published; null until then. */
  publishedAt: string | null;
  /** Action items (debt items) linked to it. */
  actionItemCount: number;
  incident: PostmortemIncident;
}

/** A whole postmortem: the summary fields and the sections of the blameless format. @public */
export interface Postmortem extends PostmortemSummary {
  summary: string;
  customerImpact: string;
  timeline: TimelineEntry[];
  contributingFactors: string;
  whatWentWell: string;
  whatWasHard: string;
  lessons: string;
  /** Sections a template added, by section id (Markdown). */
  extraSections: Record<string, string>;
  /** Blameless-wording warnings for the sections the template checks; warnings, never refusals. */
  warnings: BlamelessWarning[];
}

/** A page of postmortems plus the number matching the filter (of those the caller may read). @public */
export interface PostmortemPage {
  items: PostmortemSummary[];
  totalCount: number;
}

/** How an action item came to be: a new debt item created from the postmortem, or an existing one linked. @public */
export const ACTION_ITEM_ORIGINS = ['created', 'linked'] as const;

/** @public */
export type ActionItemOrigin = (typeof ACTION_ITEM_ORIGINS)[number];

/** The tech-debt item behind an action item, as the tech-debt register has it. @public */
export interface ActionItemDebt {
  title: string;
  status: DebtStatus;
  entityRef: string;
  ownerRef: string | null;
  assignee: string | null;
}

/** An action item of a postmortem: a tech-debt item, tracked in the register. @public */
export interface ActionItem {
  postmortemId: string;
  debtItemId: string;
  origin: ActionItemOrigin;
  /** The day it should be done by (`YYYY-MM-DD`), null for none. */
  dueDate: string | null;
  addedAt: string;
  addedBy: string;
  /**
   * The debt item: read live from the tech-debt register on a postmortem's reads, else the last known state. Null
   * when the register no longer has it (deleted) or it was never read.
   */
  debt: ActionItemDebt | null;
  /** When `debt` was read from the register; null when never. */
  debtCheckedAt: string | null;
  /** The debt item is not resolved nor abandoned (open, planned, in progress). Unknown items count as open. */
  open: boolean;
  /** Open and past its due date. */
  overdue: boolean;
}

/** A change behind the incident's deployment, from DORA's drill-down. @public */
export interface PostmortemChange {
  id: string;
  sha: string;
  url: string | null;
  author: string | null;
  mergedAt: string | null;
  deployedAt: string | null;
}

/** A postmortem with what its page shows beside it. @public */
export interface PostmortemDetail {
  postmortem: Postmortem;
  /** Each action item with its debt item's live status and owner. */
  actionItems: ActionItem[];
  /** The changes the incident's deployment shipped (DORA); null when DORA could not be read or there is no deployment. */
  changes: PostmortemChange[] | null;
  /** Whether the caller may edit it (an owner of the affected entity). */
  canEdit: boolean;
}

/** What an entry of a postmortem's history records. @public */
export const POSTMORTEM_HISTORY_ACTIONS = [
  'created',
  'updated',
  'action_item_added',
  'action_item_removed',
] as const;

/** @public */
export type PostmortemHistoryAction =
  (typeof POSTMORTEM_HISTORY_ACTIONS)[number];

/** One field's change in a postmortem's history. @public */
export interface PostmortemFieldChange {
  from: unknown;
  to: unknown;
}

/** One entry of a postmortem's append-only history. @public */
export interface PostmortemHistoryEntry {
  id: number;
  postmortemId: string;
  /** The postmortem's version after this change (action items do not change the version). */
  version: number;
  action: PostmortemHistoryAction;
  actor: string;
  at: string;
  /** The fields that changed, by name; for action items, `debtItemId`. */
  changes: Record<string, PostmortemFieldChange>;
}

/** One section of a postmortem template. @public */
export interface PostmortemTemplateSection {
  /** A built-in section (`summary`, `timeline`, …) or one of the template's own. */
  id: string;
  title: string;
  /** What to write there, shown in the editor. */
  prompt: string;
  /** `timeline` for the timeline, `text` for every other section. */
  kind: 'text' | 'timeline';
  /** Must not be empty for the postmortem to go to review or be published. */
  required: boolean;
  /** Checked for blameful wording (names of people, handles, "he did"); warnings only. */
  blamelessCheck: boolean;
}

/** A postmortem template, as the API serves it. @public */
export interface PostmortemTemplate {
  id: string;
  title: string;
  description: string;
  /** The sections in the order the editor shows them. */
  sections: PostmortemTemplateSection[];
  /** Where it was read from: a configured file or URL, or `built-in` for the shipped default. */
  source: string;
}

/** A template file or template that could not be used, and why. @public */
export interface PostmortemTemplateProblem {
  source: string;
  template?: string;
  message: string;
}

/** `GET /v1/templates`. @public */
export interface PostmortemTemplateList {
  templates: PostmortemTemplate[];
  /** The template new postmortems start from unless another is chosen. */
  defaultTemplateId: string;
  problems: PostmortemTemplateProblem[];
}

/** The configured definitions the follow-through figures use (see the backend README). @public */
export interface FollowThroughDefinitions {
  /** Severities, most severe first, that qualify: at or above the configured level. */
  qualifyingSeverities: string[];
  /** The configured level itself. */
  minimumSeverity: string;
  /** A qualifying incident's postmortem is due this many days after the incident was created. */
  postmortemDueDays: number;
  /** An action item without a due date of its own is due this many days after it was added. */
  actionItemDueDays: number;
}

/** A qualifying incident whose postmortem is due and not published. @public */
export interface MissingPostmortem {
  incident: PostmortemIncident;
  /** Its postmortem if one was started (draft or in review). */
  postmortem: { id: string; title: string; status: PostmortemStatus } | null;
  /** Whole days since the postmortem was due. */
  daysOverdue: number;
}

/** An open action item past its due date. @public */
export interface OverdueActionItem {
  postmortemId: string;
  postmortemTitle: string;
  incidentId: string;
  /** The postmortem's affected entity. */
  entityRef: string;
  debtItemId: string;
  dueDate: string;
  /** The debt item as last read from the register (the follow-through job reads it again on every run). */
  debt: ActionItemDebt | null;
  debtCheckedAt: string | null;
  daysOverdue: number;
}

/** One team's follow-through lists. @public */
export interface TeamFollowThrough {
  /** The owning team (owner of the affected entities). */
  teamRef: string;
  missingPostmortems: MissingPostmortem[];
  overdueActionItems: OverdueActionItem[];
}

/** `GET /v1/follow-through`. @public */
export interface FollowThroughResponse {
  generatedAt: string;
  definitions: FollowThroughDefinitions;
  /** Teams with something overdue, most overdue first. */
  teams: TeamFollowThrough[];
}

/** One team's postmortem figures over a window. @public */
export interface TeamCoverage {
  teamRef: string;
  /** Qualifying incidents created in the window. */
  incidents: number;
  /** Of those, the ones whose postmortem is due (created at least `postmortemDueDays` days ago). */
  due: number;
  /** Of the due ones, those with a published postmortem. */
  published: number;
  /** published ÷ due; null when nothing is due. */
  coverage: number | null;
  /** due − published. */
  missing: number;
  /** Action items of the team's postmortems whose debt item is open, whenever the incident was. */
  openActionItems: number;
  /** Of those, the ones past their due date. */
  overdueActionItems: number;
}

/** A debt item whose linked incidents keep happening (tech-debt's repeat-incidents report). @public */
export interface RepeatIncidentItem {
  itemId: string;
  title: string;
  entityRef: string;
  status: string;
  incidents: number;
  restoreMinutes: number;
}

/** The repeat-incidents report of one team. @public */
export interface TeamRepeatIncidents {
  ownerRef: string;
  items: RepeatIncidentItem[];
}

/** `GET /v1/coverage`: the org page. @public */
export interface CoverageResponse {
  from: string;
  to: string;
  generatedAt: string;
  definitions: FollowThroughDefinitions;
  /** Every team with qualifying incidents in the window or open action items, lowest coverage first. */
  teams: TeamCoverage[];
  /** Across the teams shown: the same figures pooled. */
  total: Omit<TeamCoverage, 'teamRef'>;
  /** The most overdue missing postmortems and action items (at most 100 each), with how many there are in all. */
  overdue: {
    postmortems: MissingPostmortem[];
    postmortemCount: number;
    actionItems: OverdueActionItem[];
    actionItemCount: number;
  };
  /**
   * Debt whose linked incidents keep happening, per team, from the tech-debt register (asked with the caller's
   * credentials); null when the register could not be read (see `repeatIncidentsError`).
   */
  repeatIncidents: TeamRepeatIncidents[] | null;
  repeatIncidentsError: string | null;
}

/** One entity's postmortem figures, for the scorecard facts. @public */
export interface EntityPostmortemFigures {
  entityRef: string;
  incidents: number;
  due: number;
  published: number;
  coverage: number | null;
  openActionItems: number;
  overdueActionItems: number;
}

/** `GET /v1/entity-figures`. @public */
export interface EntityFiguresResponse {
  from: string;
  to: string;
  entities: EntityPostmortemFigures[];
}

/** Kinds of blameful wording the check flags. @public */
export const BLAMELESS_WARNING_KINDS = [
  'person',
  'handle',
  'pronoun',
  'blame',
] as const;

/** @public */
export type BlamelessWarningKind = (typeof BLAMELESS_WARNING_KINDS)[number];

/** One place where a section's wording points at a person rather than the system. @public */
export interface BlamelessWarning {
  /** The section id, e.g. `contributingFactors`. */
  section: string;
  /** For the timeline: the entry's index. */
  entry?: number;
  kind: BlamelessWarningKind;
  /** The words flagged, as written. */
  match: string;
  /** Where they are in the text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** What to do instead, for the writer. */
  message: string;
}
