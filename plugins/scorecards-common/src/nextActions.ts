import { entityRefOfKindSchema } from '@vitals/common';
import { z } from 'zod';

/**
 * What a next best action is about: a scorecard check an entity fails, an open tech-debt item, an entity's ownership
 * problems, a newcomer's stalled onboarding, or a waiver that ends soon while its check still fails.
 *
 * @public
 */
export const NEXT_ACTION_KINDS = [
  'scorecard-check',
  'tech-debt',
  'ownership',
  'onboarding',
  'waiver-expiring',
] as const;

/** @public */
export type NextActionKind = (typeof NEXT_ACTION_KINDS)[number];

/** The areas a next-actions list is read from: the scorecards' own results and waivers, then each area's API. @public */
export const NEXT_ACTION_SOURCES = [
  'scorecards',
  'tech-debt',
  'ownership',
  'onboarding',
] as const;

/** @public */
export type NextActionSource = (typeof NEXT_ACTION_SOURCES)[number];

/** Bounds of `GET /v1/next-actions`. @public */
export const NEXT_ACTIONS_LIMITS = {
  defaultLimit: 20,
  maxLimit: 100,
} as const;

/**
 * The constants of the cost-of-delay score ({@link costOfDelay}). @public
 */
export const COST_OF_DELAY = {
  /** Days before a deadline at which it starts to add urgency; waivers ending within this many days are listed. */
  deadlineHorizonDays: 30,
  /** Urgency a deadline adds at most (reached on the deadline day and after it). */
  maxDeadlinePressure: 2,
  /** Urgency measured interest adds at most (reached at two engineer-days lost per month). */
  maxInterestPressure: 2,
  /** Smallest effort the score divides by: two hours, so that a tiny estimate cannot outrank everything. */
  minEffortDays: 0.25,
} as const;

/** The inputs of one action's score, as the API returns them so that anyone can redo the sum. @public */
export interface CostOfDelayInputs {
  /** 1 (minor) to 5 (severe): the harm the problem does while it stays. */
  impact: number;
  /** Ideal engineer-days to fix it (an estimate; a fixed typical size where the area records none). */
  effortDays: number;
  /** Days left until the deadline (negative once it passed); null when there is none. */
  deadlineInDays: number | null;
  /** Engineer-days lost per month while the problem stays (measured or estimated by its owners); null when unknown. */
  interestDaysPerMonth: number | null;
}

/** The urgency part of the score: 1 plus deadline pressure plus interest pressure, from 1 to 5. @public */
export function urgencyOf(inputs: CostOfDelayInputs): number {
  const {
    deadlineHorizonDays: horizon,
    maxDeadlinePressure,
    maxInterestPressure,
  } = COST_OF_DELAY;
  const deadline =
    inputs.deadlineInDays === null
      ? 0
      : maxDeadlinePressure *
        Math.min(1, Math.max(0, (horizon - inputs.deadlineInDays) / horizon));
  const interest = Math.min(
    maxInterestPressure,
    Math.max(0, inputs.interestDaysPerMonth ?? 0),
  );
  return 1 + deadline + interest;
}

/**
 * The one score every next best action is ranked by: cost of delay divided by the size of the job.
 *
 * ```
 * score    = impact × urgency ÷ max(effortDays, 0.25)          rounded to two decimals
 * urgency  = 1 + deadline + interest                            1 to 5
 * deadline = 2 × clamp((30 − daysLeft) ÷ 30, 0, 1)              0 without a deadline, 2 on or after it
 * interest = min(2, engineer-days lost per month)               0 when nothing is measured
 * ```
 *
 * Why each input is there:
 * - **impact** (1–5) is the harm per unit of time; doubling it doubles what waiting costs.
 * - **urgency** multiplies impact because the same harm costs more when a date makes it real (a waiver ends and the
 *   check fails again, a newcomer's checklist is overdue) or when it already costs time every month (debt interest).
 *   Deadline pressure grows linearly over the last 30 days, so "ends in 3 days" outranks "ends in 25 days"; interest
 *   is capped so that one badly estimated figure cannot bury everything else.
 * - **effort** divides, as in weighted shortest job first: with equal cost of delay, the quicker fix delivers its value
 *   sooner. It is floored at a quarter day so that "5 minutes" does not make a score a hundred times larger.
 *
 * Where the areas record no figure, the backend uses fixed, documented values (the scorecards-backend README lists
 * them per kind) so that every row is scored by the same formula.
 *
 * @public
 */
export function costOfDelay(inputs: CostOfDelayInputs): number {
  const effort = Math.max(COST_OF_DELAY.minEffortDays, inputs.effortDays);
  const raw = (inputs.impact * urgencyOf(inputs)) / effort;
  return Math.round(raw * 100) / 100;
}

/** One row of a team's next best actions. @public */
export interface NextAction {
  /** 1 for the action to do first. */
  rank: number;
  /** Stable across requests while the problem lasts, e.g. `tech-debt:<item id>`. */
  id: string;
  kind: NextActionKind;
  /** What to do, in a few words. */
  title: string;
  /** The entity it is about (a user for onboarding). */
  entityRef: string;
  /** Why it is where it is, in plain words, with the figures behind the score. */
  reason: string;
  /** The cost-of-delay score ({@link costOfDelay}); higher comes first. */
  score: number;
  inputs: CostOfDelayInputs;
  /** When the deadline is (a waiver's expiry, an onboarding checklist overdue since), ISO 8601; null without one. */
  deadline: string | null;
  /** The portal path of the page where it is fixed, e.g. `/catalog/default/component/payments-api/scorecards`. */
  link: string;
}

/** Whether one area answered. @public */
export interface NextActionSourceStatus {
  source: NextActionSource;
  available: boolean;
  /** Why not, when it did not answer; null when it did. */
  message: string | null;
}

/** `GET /v1/next-actions`. @public */
export interface NextActionsResponse {
  /** The team, normalised: `group:default/payments`. */
  team: string;
  /** Entities owned by the team and its child teams. */
  entities: number;
  /** Ranked, at most `limit`. */
  actions: NextAction[];
  /** Actions before `limit` was applied. */
  totalCount: number;
  /** One per source, in {@link NEXT_ACTION_SOURCES} order: a source that did not answer is left out of `actions`. */
  sources: NextActionSourceStatus[];
  /** When the list was computed, ISO 8601. */
  generatedAt: string;
}

/**
 * A whole number from a query string (digits only) within the bounds, or the default when absent. A number, as code
 * passes it to the client, is held to the same bounds.
 */
const limitSchema = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,16}$/, 'must be a whole number written in digits')
      .transform(Number),
  ])
  .pipe(z.number().int().min(1).max(NEXT_ACTIONS_LIMITS.maxLimit))
  .default(NEXT_ACTIONS_LIMITS.defaultLimit);

/** Query of `GET /v1/next-actions`: `payments` means `group:default/payments`. @public */
export const nextActionsQuerySchema = z.strictObject({
  team: entityRefOfKindSchema('group'),
  limit: limitSchema,
});

/** @public */
export type NextActionsQuery = z.input<typeof nextActionsQuerySchema>;
