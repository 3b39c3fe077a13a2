import type { Direction, FigureDescriptor } from './figures';
import type { ProgressStatus } from './progress';

/** A figure's value as read from its area, or why it could not be read. @public */
export interface FigureReading {
  /** The value in the figure's unit; null when the area answered without a value (no data yet) or did not answer. */
  value: number | null;
  unit: string;
  /** False when the area did not answer or refused; `reason` says why. */
  available: boolean;
  reason: string | null;
  /** True for a value typed in by an editor. */
  manual: boolean;
  /** When the value was read (or typed in), ISO 8601. */
  readAt: string;
}

/** `POST /v1/figures/preview`: a figure's live value and what the baseline of a goal in `period` would be. @public */
export interface FigurePreview extends FigureReading {
  figure: FigureDescriptor;
  label: string;
  better: Direction;
  /**
   * The baseline a key result in `period` would record: the value now when the period has started, null when the
   * period starts later (the baseline is then recorded on its first day).
   */
  baseline: number | null;
  /** When the baseline would be recorded: now, or the period's start. */
  baselineAt: string;
}

/** One day of a key result's trend. @public */
export interface TrendPoint {
  day: string;
  value: number | null;
}

/** A key result with its live standing. Progress is always computed, never typed in. @public */
export interface KeyResult {
  id: string;
  title: string;
  figure: FigureDescriptor;
  label: string;
  unit: string;
  /** Which way is progress: `up` when the target is above the baseline. */
  direction: Direction;
  /** The value at the start of the period (or at creation when later); null before the period starts. */
  baseline: number | null;
  baselineAt: string | null;
  target: number;
  /** The latest value read (or typed in for a manual key result). */
  current: number | null;
  currentAt: string | null;
  manual: boolean;
  /** False when the figure's area did not answer at the last read; `unavailableReason` says why. */
  available: boolean;
  unavailableReason: string | null;
  /** 0–100, see `computeProgress`. */
  progress: number | null;
  /** 0–100: where progress should be today on a straight line from the period's start to its end. */
  expectedProgress: number;
  status: ProgressStatus;
}

/** A key result with its daily values, as `GET /v1/goals/{id}` returns it. @public */
export interface KeyResultDetail extends KeyResult {
  trend: TrendPoint[];
}

/** An objective with its key results. @public */
export interface Goal {
  id: string;
  objective: string;
  description: string;
  /** The Group that owns the goal; null for an org goal. */
  ownerRef: string | null;
  /** e.g. `2026-Q4`. */
  period: string;
  periodStart: string;
  periodEnd: string;
  keyResults: KeyResult[];
  /** Mean progress of the key results that have one. */
  progress: number | null;
  expectedProgress: number;
  /** The status of the goal's progress by the same rule as a key result's. */
  status: ProgressStatus;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** `GET /v1/goals/{id}`. @public */
export interface GoalDetail extends Omit<Goal, 'keyResults'> {
  keyResults: KeyResultDetail[];
}

/** `GET /v1/goals`. @public */
export interface GoalPage {
  goals: Goal[];
  totalCount: number;
}

/** What happened to a goal, as kept in its append-only history. @public */
export const GOAL_EVENT_ACTIONS = [
  'created',
  'updated',
  'deleted',
  'baseline_recorded',
  'manual_value',
] as const;

/** @public */
export type GoalEventAction = (typeof GOAL_EVENT_ACTIONS)[number];

/** @public */
export interface GoalEvent {
  goalId: string;
  action: GoalEventAction;
  at: string;
  actor: string;
  /** What changed, e.g. `{ keyResultId, value }`. */
  details: Record<string, unknown>;
}

/** A scorecard check, as scorecards identify it: the scorecard's id and the check's id within it. @public */
export interface CampaignCheck {
  scorecardId: string;
  checkId: string;
}

/** A check of a campaign made a permanent requirement at a level of its scorecard. @public */
export interface PromotedCampaignCheck {
  scorecardId: string;
  checkId: string;
  /** The level the check counts towards from now on. */
  levelId: string;
  /** The promotion in the scorecards backend (to withdraw it there). */
  promotionId: string;
}

/**
 * Which entities a campaign asks: every given criterion must hold; values within one criterion are ORed. Resolved
 * through the catalog (and the scorecards' results for `scorecardLevel`) at each snapshot.
 *
 * @public
 */
export interface CampaignSelection {
  /** Owner group refs (the entities these groups own directly). */
  owner?: string[];
  system?: string[];
  kind?: string[];
  type?: string[];
  tag?: string[];
  /** Entities now at one of these levels of a scorecard; `null` is below its lowest level. */
  scorecardLevel?: { scorecardId: string; levelIds: Array<string | null> };
}

/** `running` until its deadline, then `ended`. @public */
export const CAMPAIGN_STATUSES = ['running', 'ended'] as const;

/** @public */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A campaign. @public */
export interface Campaign {
  id: string;
  name: string;
  description: string;
  checks: CampaignCheck[];
  selection: CampaignSelection;
  /** The last day (UTC) entities have to pass, `YYYY-MM-DD`. */
  deadline: string;
  /** Estimated effort per entity in engineer-days, for the capacity check; null when not estimated. */
  effortDaysPerEntity: number | null;
  /** Days before the deadline on which the owners of entities not done are reminded, e.g. `[14, 7, 1]`. */
  reminderDaysBefore: number[];
  status: CampaignStatus;
  /** Figures of the last snapshot; zero before the first. */
  entities: number;
  done: number;
  waived: number;
  /** When the figures were taken; null before the first snapshot. */
  snapshotAt: string | null;
  /** When the campaign was made permanent (its checks promoted in the scorecards); null before. */
  promotedAt: string | null;
  promotedBy: string | null;
  /** The checks made permanent, and at which level of their scorecard; empty before. */
  promotedChecks: PromotedCampaignCheck[];
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** `GET /v1/campaigns`. @public */
export interface CampaignPage {
  campaigns: Campaign[];
  totalCount: number;
}

/** A page of a campaign's entity states and how many match the filters. @public */
export interface CampaignEntityPage {
  entities: CampaignEntity[];
  totalCount: number;
}

/** Where an entity of a campaign stands: it passes every check, holds a waiver for the ones it fails, or is open. @public */
export const CAMPAIGN_ENTITY_STATES = ['done', 'waived', 'open'] as const;

/** @public */
export type CampaignEntityState = (typeof CAMPAIGN_ENTITY_STATES)[number];

/** One entity of a campaign at the last snapshot. @public */
export interface CampaignEntity {
  entityRef: string;
  ownerRef: string | null;
  state: CampaignEntityState;
  /** Checks of the campaign the entity fails without a waiver, as `scorecardId/checkId`. */
  failingChecks: string[];
  /** Checks of the campaign it fails but holds a waiver for. */
  waivedChecks: string[];
}

/** A team's effort against its quarterly debt capacity budget (the capacity check). @public */
export interface TeamCapacity {
  /** The quarter of the budget: the one the deadline falls in. */
  quarter: string;
  /** Days the team reserved for debt work; null when it set no budget. */
  reservedDays: number | null;
  /** Days it has paid down this quarter. */
  paidDownDays: number | null;
  /** reservedDays − paidDownDays, at least 0; null without a budget. */
  availableDays: number | null;
  /** The campaign's remaining effort as a share of reservedDays, in percent; null without a budget or an estimate. */
  sharePercent: number | null;
  /** Whether the remaining effort fits in availableDays; null without a budget or an estimate. */
  feasible: boolean | null;
  /** False when the tech-debt area did not answer; `reason` says why. */
  available: boolean;
  reason: string | null;
}

/** One team's part of a campaign. @public */
export interface CampaignTeam {
  ownerRef: string | null;
  entities: number;
  done: number;
  waived: number;
  /** Entities not done × the effort per entity; null without an estimate. */
  remainingEffortDays: number | null;
  capacity: TeamCapacity;
}

/** One day of the burn-up: the whole campaign's (`ownerRef` null) or one team's. @public */
export interface BurnUpPoint {
  day: string;
  ownerRef: string | null;
  entities: number;
  done: number;
  waived: number;
}

/** `GET /v1/campaigns/{id}`: the campaign with its teams, entities and burn-up, as of the last snapshot. @public */
export interface CampaignDetail extends Campaign {
  teams: CampaignTeam[];
  entityStates: CampaignEntity[];
  burnUp: BurnUpPoint[];
}

/** `POST /v1/campaigns/preview`: what a campaign would ask of whom, before it is launched. @public */
export interface CampaignPreview {
  entities: number;
  done: number;
  waived: number;
  teams: CampaignTeam[];
  entityStates: CampaignEntity[];
}

/** What happened to a campaign, as kept in its append-only history. @public */
export const CAMPAIGN_EVENT_ACTIONS = [
  'created',
  'updated',
  'deleted',
  'reminded',
  'promoted',
] as const;

/** @public */
export type CampaignEventAction = (typeof CAMPAIGN_EVENT_ACTIONS)[number];

/** @public */
export interface CampaignEvent {
  campaignId: string;
  action: CampaignEventAction;
  at: string;
  actor: string;
  details: Record<string, unknown>;
}

/** The formats of the stakeholder report. @public */
export const STAKEHOLDER_REPORT_FORMATS = ['json', 'markdown', 'csv'] as const;

/** @public */
export type StakeholderReportFormat =
  (typeof STAKEHOLDER_REPORT_FORMATS)[number];

/** A figure of this quarter against the previous one, with what changed in plain words. @public */
export interface ReportTrend {
  /** e.g. `leadTimeForChanges`, `reviewTime`. */
  metric: string;
  label: string;
  unit: string;
  better: 'up' | 'down';
  current: number | null;
  previous: number | null;
  /** Null when either quarter has no value. */
  verdict: 'better' | 'worse' | 'same' | null;
  sentence: string;
}

/** DORA or flow figures of the quarter against the previous one, or why they could not be read. @public */
export interface ReportTrendSection {
  available: boolean;
  reason: string | null;
  trends: ReportTrend[];
}

/** A goal in the stakeholder report. @public */
export interface ReportGoal {
  id: string;
  objective: string;
  ownerRef: string | null;
  status: ProgressStatus;
  progress: number | null;
  expectedProgress: number;
  sentence: string;
  keyResults: Array<{
    id: string;
    title: string;
    label: string;
    unit: string;
    manual: boolean;
    baseline: number | null;
    target: number;
    current: number | null;
    progress: number | null;
    expectedProgress: number;
    status: ProgressStatus;
    sentence: string;
  }>;
}

/** A campaign in the stakeholder report: for a team, the team's share of it. @public */
export interface ReportCampaign {
  id: string;
  name: string;
  deadline: string;
  status: 'running' | 'ended';
  /** Entities asked (of the team, for a team report) and of those done (waivers count), at the last snapshot. */
  entities: number;
  done: number;
  daysToDeadline: number;
  atRisk: boolean;
  riskReasons: string[];
  sentence: string;
}

/** Debt paid down against the days reserved for it in the quarter. @public */
export interface ReportDebt {
  available: boolean;
  reason: string | null;
  /** Null when no budget is set (for the org: when no team set one). */
  reservedDays: number | null;
  paidDownDays: number;
  resolvedCount: number;
  /** The teams whose budgets are summed (the team itself for a team report). */
  teams: string[];
  sentence: string;
}

/** `GET /v1/reports/stakeholder`: one page for a team or the org, for a quarter. @public */
export interface StakeholderReport {
  /** A group ref, or `org`. */
  team: string;
  title: string;
  quarter: string;
  previousQuarter: string;
  /** The quarter's days read: from its start to its end, or to now while it runs. */
  from: string;
  to: string;
  generatedAt: string;
  /** The headline: a few sentences on what is on track, what changed and what is at risk. */
  summary: string[];
  goals: ReportGoal[];
  campaigns: ReportCampaign[];
  delivery: ReportTrendSection;
  flow: ReportTrendSection;
  debt: ReportDebt;
}
