/** The comparison operators a check can use. @public */
export const CHECK_OPERATORS = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'exists',
  'contains',
  'matches',
] as const;

/** @public */
export type CheckOperator = (typeof CHECK_OPERATORS)[number];

/** The types a fact's value can have (null aside, which always means "no data"). @public */
export const FACT_TYPES = ['boolean', 'number', 'string', 'string[]'] as const;

/** @public */
export type FactType = (typeof FACT_TYPES)[number];

/**
 * The value of one fact about one entity. `null` means the provider has no data for the entity (e.g. no DORA events
 * yet); a check on it fails with "no data".
 *
 * @public
 */
export type FactValue = boolean | number | string | string[] | null;

/** What a check compares the fact with. @public */
export type CheckThreshold = boolean | number | string | string[];

/** Which entities a scorecard applies to. Every given criterion must hold; values within one criterion are ORed. @public */
export interface ScorecardAppliesTo {
  /** Entity kinds, case-insensitive, e.g. `[Component]`. */
  kind?: string[];
  /** `spec.type` values, e.g. `[service, website]`. */
  type?: string[];
  /** `spec.lifecycle` values, e.g. `[production]`. */
  lifecycle?: string[];
  /** The entity has at least one of these tags. */
  tags?: string[];
  /** System refs (`system:default/payments` or `payments`). */
  system?: string[];
}

/** One level of a scorecard, e.g. Bronze. Levels are listed from lowest to highest. @public */
export interface ScorecardLevel {
  id: string;
  title: string;
  description?: string;
}

/** A link in a check's "how to fix" text. @public */
export interface CheckLink {
  title: string;
  url: string;
}

/** One check of a scorecard: a fact compared with a threshold. @public */
export interface ScorecardCheck {
  id: string;
  title: string;
  /** A fact id from a fact provider, e.g. `catalog.hasTechDocs` or `techDebt.openCount`. */
  fact: string;
  operator: CheckOperator;
  /** Required by every operator except `exists`. */
  threshold?: CheckThreshold;
  /** The id of the level the check belongs to. */
  level: string;
  description?: string;
  /** What to do to pass the check (Markdown). */
  howToFix?: string;
  links?: CheckLink[];
  /**
   * Set when the check was promoted (made permanent at `level`, e.g. at the end of a campaign): where it came from and
   * the level the configured definition gave it. Absent on a check as configured.
   */
  promotion?: CheckPromotionSummary;
}

/** Where a promotion came from: a campaign that ended, or a person's own decision. @public */
export const PROMOTION_ORIGIN_KINDS = ['campaign', 'manual'] as const;

/** @public */
export type PromotionOriginKind = (typeof PROMOTION_ORIGIN_KINDS)[number];

/** @public */
export interface PromotionOrigin {
  kind: PromotionOriginKind;
  /** The campaign's id, for a campaign. */
  id: string | null;
  /** The campaign's name (as it was when promoted). */
  title: string | null;
}

/** A promotion as a merged check carries it (`ScorecardCheck.promotion`). @public */
export interface CheckPromotionSummary {
  id: string;
  /** The level the configured definition gives the check. */
  configuredLevel: string;
  origin: PromotionOrigin;
  promotedAt: string;
  promotedBy: string;
  version: number;
}

/**
 * A check made permanent at a level of its scorecard, stored by the scorecards backend and merged into the configured
 * definitions: the check counts towards `levelId` (by default the scorecard's lowest level, so that every entity the
 * scorecard applies to needs it to reach any level). Kept after it is withdrawn (`withdrawnAt`).
 *
 * @public
 */
export interface CheckPromotion {
  id: string;
  scorecardId: string;
  checkId: string;
  levelId: string;
  /** The check's level in the configured definition when it was promoted. */
  configuredLevel: string;
  origin: PromotionOrigin;
  createdAt: string;
  createdBy: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  version: number;
  /**
   * Whether it changes the definitions now: false once withdrawn, or when the configured definitions no longer have
   * the scorecard, the check or the level.
   */
  applied: boolean;
}

/** `GET /v1/promotions`, `POST /v1/promotions`. @public */
export interface CheckPromotionsResponse {
  promotions: CheckPromotion[];
}

/** A scorecard definition, as loaded from app-config or a definition file. @public */
export interface ScorecardDefinition {
  id: string;
  title: string;
  description?: string;
  appliesTo?: ScorecardAppliesTo;
  levels: ScorecardLevel[];
  checks: ScorecardCheck[];
}

/** A fact some provider yields, as `GET /v1/definitions` lists it. @public */
export interface ProvidedFact {
  /** Unique across providers, e.g. `techDebt.openCount`. */
  id: string;
  /** What the value means, for people writing checks. */
  description: string;
  type: FactType;
  /** The id of the fact provider that yields it. */
  provider: string;
}

/** `GET /v1/definitions`. @public */
export interface DefinitionsResponse {
  scorecards: ScorecardDefinition[];
  facts: ProvidedFact[];
}

/** `GET /v1/waivers`. @public */
export interface WaiversResponse {
  waivers: Waiver[];
}

/** A waiver: an owner's decision that a check does not apply to an entity until a date. @public */
export interface Waiver {
  id: string;
  entityRef: string;
  scorecardId: string;
  checkId: string;
  reason: string;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Set when the waiver was withdrawn before it expired. */
  revokedAt: string | null;
  revokedBy: string | null;
  version: number;
}

/** The waiver that made a check pass, as recorded at evaluation. @public */
export interface AppliedWaiver {
  id: string;
  reason: string;
  expiresAt: string;
  createdBy: string;
}

/**
 * Why a check shows its last known outcome: the fact provider that yields its fact failed. Set on the check while the
 * provider keeps failing for the entity; `since` is when it first failed (it carries over between evaluations).
 *
 * @public
 */
export interface CheckStaleness {
  /** When the provider first failed for this entity, ISO 8601. */
  since: string;
  /** The id of the fact provider that failed, e.g. `dora`. */
  providerId: string;
}

/** The outcome of one check for one entity. @public */
export interface CheckResult {
  checkId: string;
  /** The fact value the check saw; `null` when there was no data. */
  value: FactValue;
  /** Whether the check passed on its own merits. */
  passed: boolean;
  /** 0–100: 100 when passed or waived, partial progress otherwise (see the README of this package). */
  score: number;
  /** Why it failed, e.g. "no data" or `12 is not <= 5`; null when it passed. */
  message: string | null;
  /** The waiver that applies, when there is one; a waived check counts as passed for levels and score. */
  waiver: AppliedWaiver | null;
  /**
   * Present when the fact's provider failed at the last evaluation: value, outcome and score are the last known ones
   * (or "no data" when there were none), and a level change is not notified.
   */
  stale?: CheckStaleness;
}

/** The outcome of one scorecard for one entity. @public */
export interface ScorecardEvaluation {
  scorecardId: string;
  /** The highest level reached, or null when the lowest level is not reached. */
  levelId: string | null;
  /** Index of `levelId` in the scorecard's levels, or -1. */
  levelIndex: number;
  /** Mean of the check scores, 0–100, one decimal. */
  score: number;
  checks: CheckResult[];
}

/** A stored scorecard result of an entity, as the API returns it. @public */
export interface EntityScorecardResult extends ScorecardEvaluation {
  entityRef: string;
  ownerRef: string | null;
  systemRef: string | null;
  evaluatedAt: string;
  /** When the level or score last changed. */
  changedAt: string;
}

/** `GET /v1/entities/results`. @public */
export interface EntityResultsResponse {
  entityRef: string;
  results: EntityScorecardResult[];
}

/** `POST /v1/entities/results/batch`: one entry per entity asked, in the order asked (duplicates once). @public */
export interface EntityResultsBatchResponse {
  entities: EntityResultsResponse[];
}

/** Entities per level of one scorecard; `levelId` null counts entities below the lowest level. @public */
export interface LevelCount {
  levelId: string | null;
  count: number;
}

/** Share of entities passing one check (waived counts as passing). @public */
export interface CheckPassRate {
  scorecardId: string;
  checkId: string;
  entities: number;
  passing: number;
  /** passing / entities, 0–1. */
  share: number;
}

/** One cell of the teams × checks heatmap. @public */
export interface HeatmapCell extends CheckPassRate {
  ownerRef: string | null;
}

/** Per scorecard figures of the org summary. @public */
export interface ScorecardSummary {
  scorecardId: string;
  entities: number;
  averageScore: number | null;
  levels: LevelCount[];
}

/** `GET /v1/summary`. @public */
export interface OrgSummaryResponse {
  scorecards: ScorecardSummary[];
  heatmap: HeatmapCell[];
  /** When the summary was last rebuilt (end of the last evaluation); null before the first. */
  updatedAt: string | null;
}

/** `GET /v1/groups/rollup`. @public */
export interface GroupRollupResponse {
  groupRef: string;
  scorecards: Array<{
    scorecardId: string;
    levels: LevelCount[];
    averageScore: number | null;
    entities: Array<{
      entityRef: string;
      levelId: string | null;
      score: number;
      evaluatedAt: string;
    }>;
    /** The team's checks with the most failing entities first; checks nobody fails are left out. */
    failingChecks: Array<CheckPassRate & { failing: number }>;
  }>;
}

/** One point of an entity's history: the state from `day` until the next point. @public */
export interface EntityHistoryPoint {
  day: string;
  scorecardId: string;
  levelId: string | null;
  score: number;
  /** Ids of the checks that failed (not waived) that day. */
  failingChecks: string[];
}

/** One point of a team's or the org's trend: daily snapshot after the scheduled evaluation. @public */
export interface TrendPoint {
  day: string;
  scorecardId: string;
  entities: number;
  averageScore: number | null;
  levels: LevelCount[];
}

/** `GET /v1/history`. @public */
export type HistoryResponse =
  | { entityRef: string; points: EntityHistoryPoint[] }
  | { ownerRef: string | null; points: TrendPoint[] };
