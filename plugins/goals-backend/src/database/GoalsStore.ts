import type {
  BurnUpPoint,
  CampaignCheck,
  PromotedCampaignCheck,
  CampaignEntity,
  CampaignEvent,
  CampaignSelection,
  CampaignTeam,
  Direction,
  FigureDescriptor,
  GoalEvent,
  TrendPoint,
} from '@vitals/plugin-goals-common';

/** A key result as stored: the figure, the target and what was last read. Progress is computed from it. */
export interface StoredKeyResult {
  id: string;
  title: string;
  figure: FigureDescriptor;
  direction: Direction;
  target: number;
  baseline: number | null;
  baselineAt: string | null;
  current: number | null;
  currentAt: string | null;
  available: boolean;
  unavailableReason: string | null;
}

/** A goal as stored. */
export interface StoredGoal {
  id: string;
  objective: string;
  description: string;
  ownerRef: string | null;
  period: string;
  periodStart: string;
  periodEnd: string;
  keyResults: StoredKeyResult[];
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** What was read of a figure at one time. */
export interface Reading {
  value: number | null;
  available: boolean;
  reason: string | null;
  at: Date;
}

/**
 * A key result to write. With `id` of an existing key result of the goal whose figure is unchanged, its baseline and
 * trend are kept; otherwise it starts afresh from `reading` (the figure read now; the baseline is recorded from it
 * when `recordBaseline`).
 */
export interface KeyResultToWrite {
  id?: string;
  title: string;
  figure: FigureDescriptor;
  direction: Direction;
  target: number;
  /** For a new (or re-bound) key result: the value read now, or the manual values typed in. */
  reading: Reading;
  /** Record `reading.value` as the baseline (the period has started, or the key result is manual). */
  baseline?: number | null;
}

export interface NewGoal {
  objective: string;
  description: string;
  ownerRef: string | null;
  period: string;
  periodStart: Date;
  periodEnd: Date;
  keyResults: KeyResultToWrite[];
}

export interface GoalPatch {
  objective?: string;
  description?: string;
  keyResults?: KeyResultToWrite[];
}

export interface ListGoalsOptions {
  /** Group refs; `org` for org goals. */
  owners?: string[];
  periods?: string[];
  limit: number;
  offset: number;
}

/** A key result the snapshot reads, with its goal's period. */
export interface ActiveKeyResult {
  goalId: string;
  periodStart: string;
  periodEnd: string;
  keyResult: StoredKeyResult;
}

export interface GoalsStore {
  createGoal(goal: NewGoal, actor: string, now: Date): Promise<StoredGoal>;
  getGoal(id: string): Promise<StoredGoal | undefined>;
  listGoals(
    options: ListGoalsOptions,
  ): Promise<{ goals: StoredGoal[]; totalCount: number }>;
  updateGoal(
    id: string,
    patch: GoalPatch,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredGoal>;
  deleteGoal(id: string, expectedVersion: number, actor: string): Promise<void>;
  setManualValue(
    goalId: string,
    keyResultId: string,
    value: number,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredGoal>;
  /** Key results of goals whose period has not ended before `now` (manual ones left out). */
  listActiveKeyResults(now: Date): Promise<ActiveKeyResult[]>;
  /**
   * Stores a reading as the key result's current value and the value of its day; records the baseline from it when
   * the key result has none and `recordBaseline` (an event says so).
   */
  recordReading(
    keyResultId: string,
    reading: Reading,
    recordBaseline: boolean,
  ): Promise<void>;
  getTrends(keyResultIds: string[]): Promise<Map<string, TrendPoint[]>>;
  listGoalEvents(goalId: string): Promise<GoalEvent[]>;

  createCampaign(
    campaign: NewCampaign,
    actor: string,
    now: Date,
  ): Promise<StoredCampaign>;
  getCampaign(id: string): Promise<StoredCampaign | undefined>;
  listCampaigns(
    options: ListCampaignsOptions,
  ): Promise<{ campaigns: StoredCampaign[]; totalCount: number }>;
  updateCampaign(
    id: string,
    patch: Partial<NewCampaign>,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredCampaign>;
  /**
   * Records that the campaign's checks were made permanent (promotedAt/By/Checks and a `promoted` event); 409 when the
   * version is stale or the campaign was promoted already.
   */
  promoteCampaign(
    id: string,
    expectedVersion: number,
    promoted: PromotedCampaignCheck[],
    actor: string,
    now: Date,
  ): Promise<StoredCampaign>;
  deleteCampaign(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<void>;
  /** Campaigns whose deadline is `day` or later. */
  listRunningCampaigns(day: string): Promise<StoredCampaign[]>;
  /** Replaces the campaign's entities and teams with a snapshot's, and writes its burn-up points of `day`. */
  writeCampaignSnapshot(
    campaignId: string,
    snapshot: CampaignSnapshot,
    day: string,
    now: Date,
  ): Promise<void>;
  getCampaignEntities(campaignId: string): Promise<CampaignEntity[]>;
  /** A page of the entity states of the last snapshot in page order (open, waived, done; each by entity ref). */
  listCampaignEntities(
    campaignId: string,
    options: ListCampaignEntitiesOptions,
  ): Promise<{ entities: CampaignEntity[]; totalCount: number }>;
  getCampaignTeams(campaignId: string): Promise<CampaignTeam[]>;
  getBurnUp(campaignId: string): Promise<BurnUpPoint[]>;
  /**
   * Claims the reminder of one offset: true for the one caller (of any replica, any run) that claims it first, false
   * for every other.
   */
  claimReminder(
    campaignId: string,
    daysBefore: number,
    recipients: number,
    now: Date,
  ): Promise<boolean>;
  listCampaignEvents(campaignId: string): Promise<CampaignEvent[]>;
  addCampaignEvent(
    campaignId: string,
    action: CampaignEvent['action'],
    actor: string,
    details: Record<string, unknown>,
    now: Date,
  ): Promise<void>;
}

export interface NewCampaign {
  name: string;
  description: string;
  checks: CampaignCheck[];
  selection: CampaignSelection;
  deadline: string;
  effortDaysPerEntity: number | null;
  reminderDaysBefore: number[];
}

export interface StoredCampaign extends NewCampaign {
  id: string;
  entities: number;
  done: number;
  waived: number;
  snapshotAt: string | null;
  promotedAt: string | null;
  promotedBy: string | null;
  promotedChecks: PromotedCampaignCheck[];
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ListCampaignsOptions {
  /** Today (UTC), `YYYY-MM-DD`: a campaign is running until its deadline has passed. */
  today: string;
  status?: Array<'running' | 'ended'>;
  owners?: string[];
  entityRef?: string;
  limit: number;
  offset: number;
}

export interface ListCampaignEntitiesOptions {
  states?: CampaignEntity['state'][];
  owners?: string[];
  /** Text in the entity ref or the owner ref, ignoring case. */
  search?: string;
  limit: number;
  offset: number;
  /** False to skip counting (the campaign's own counts say how many there are). */
  count?: boolean;
}

export interface CampaignSnapshot {
  entities: CampaignEntity[];
  teams: CampaignTeam[];
  /**
   * How many of the entities scorecards had no result for in a scorecard the campaign asks about (not evaluated yet,
   * or scorecards did not answer); they count as open. Set by the evaluator, not stored.
   */
  unevaluated?: number;
}
