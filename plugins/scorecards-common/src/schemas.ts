import { entityRefOfKindSchema, entityRefSchema } from '@vitals/common';
import { z } from 'zod';
import { PROMOTION_ORIGIN_KINDS } from './types';

/** Waivers last at most a year; then the owners decide again. @public */
export const MAX_WAIVER_DAYS = 366;

/** Largest waiver version accepted (the column is a 32-bit integer). @public */
export const MAX_WAIVER_VERSION = 2_147_483_647;

/**
 * What an id of a scorecard, a level or a check looks like: a letter or digit, then letters, digits, dots, dashes or
 * underscores. @public
 */
export const SCORECARD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Longest id of a scorecard, a level or a check. @public */
export const MAX_SCORECARD_ID_LENGTH = 100;

/** The `id` of `GET /v1/definitions/:id`: a scorecard id, as definitions are allowed to have. @public */
export const scorecardIdSchema = z
  .string()
  .min(1, 'is required')
  .max(MAX_SCORECARD_ID_LENGTH)
  .regex(
    SCORECARD_ID_PATTERN,
    'must be letters, digits, dots, dashes or underscores',
  );

/** The `id` of `/v1/waivers/:id`. @public */
export const waiverIdSchema = z.uuid({ message: 'must be a waiver id (UUID)' });

/** The values `includeInactive` of `GET /v1/waivers` takes. @public */
export const INCLUDE_INACTIVE_VALUES = ['true', 'false'] as const;

/** Days accepted in queries: from 1970-01-01 up to (not including) 2100-01-01. @public */
export const DAY_RANGE = { min: '1970-01-01', max: '2099-12-31' } as const;

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `YYYY-MM-DD` is a day of the calendar: Date.parse rolls 2026-02-30 over to March, a real day reads back. */
function isCalendarDay(day: string): boolean {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

const futureDate = z
  .string()
  .trim()
  .max(40, 'must be an ISO 8601 date or date-time')
  .refine(
    v =>
      ISO_DATE_TIME.test(v) &&
      isCalendarDay(v.slice(0, 10)) &&
      !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 date or date-time',
  )
  .transform(v => new Date(Date.parse(v)).toISOString())
  .refine(v => Date.parse(v) > Date.now(), 'must be in the future')
  .refine(
    v => Date.parse(v) <= Date.now() + MAX_WAIVER_DAYS * 24 * 3600 * 1000,
    `must be at most ${MAX_WAIVER_DAYS} days ahead`,
  );

const reason = z
  .string()
  .trim()
  .min(3, 'must say why (at least 3 characters)')
  .max(2000);

/** Body of `POST /v1/waivers`. @public */
export const createWaiverRequestSchema = z.strictObject({
  entityRef: entityRefSchema,
  scorecardId: z.string().trim().min(1, 'is required').max(100),
  checkId: z.string().trim().min(1, 'is required').max(100),
  reason,
  expiresAt: futureDate,
});

/** @public */
export type CreateWaiverRequest = z.input<typeof createWaiverRequestSchema>;

/** Body of `PATCH /v1/waivers/:id`. @public */
export const updateWaiverRequestSchema = z
  .strictObject({
    reason: reason.optional(),
    expiresAt: futureDate.optional(),
    version: z.number().int().min(1).max(MAX_WAIVER_VERSION),
  })
  .refine(
    v => v.reason !== undefined || v.expiresAt !== undefined,
    'give reason or expiresAt to change',
  );

/** @public */
export type UpdateWaiverRequest = z.input<typeof updateWaiverRequestSchema>;

/** Query of `DELETE /v1/waivers/:id`: the version of the waiver being withdrawn, so a stale view gets 409. @public */
export const deleteWaiverQuerySchema = z.strictObject({
  version: z
    .string({
      error: issue =>
        issue.input === undefined
          ? 'is required: send the version of the waiver you are withdrawing'
          : 'must be one whole number',
    })
    .regex(/^\d{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_WAIVER_VERSION)),
});

/** Most checks one promotion request takes. @public */
export const MAX_PROMOTED_CHECKS = 50;

/** The `id` of `/v1/promotions/:id`. @public */
export const promotionIdSchema = z.uuid({
  message: 'must be a promotion id (UUID)',
});

/** Body of `POST /v1/promotions`. @public */
export const promoteChecksRequestSchema = z.strictObject({
  checks: z
    .array(
      z.strictObject({
        scorecardId: scorecardIdSchema,
        checkId: scorecardIdSchema,
        /** The level the check is required at; the scorecard's lowest level when left out. */
        levelId: scorecardIdSchema.optional(),
      }),
    )
    .min(1, 'needs at least one check')
    .max(MAX_PROMOTED_CHECKS),
  origin: z
    .strictObject({
      kind: z.enum(PROMOTION_ORIGIN_KINDS),
      id: z.string().trim().min(1).max(100).optional(),
      title: z.string().trim().min(1).max(200).optional(),
    })
    .optional(),
});

/** @public */
export type PromoteChecksRequest = z.input<typeof promoteChecksRequestSchema>;

/** Query of `DELETE /v1/promotions/:id`: the version being withdrawn, so a stale view gets 409. @public */
export const withdrawPromotionQuerySchema = z.strictObject({
  version: z
    .string({
      error: issue =>
        issue.input === undefined
          ? 'is required: send the version of the promotion you are withdrawing'
          : 'must be one whole number',
    })
    .regex(/^\d{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_WAIVER_VERSION)),
});

/** Query of `GET /v1/promotions`. @public */
export const listPromotionsQuerySchema = z.strictObject({
  includeWithdrawn: z.enum(INCLUDE_INACTIVE_VALUES).optional(),
});

const csvList = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    v =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v])
            .flatMap(x => String(x).split(','))
            .map(x => x.trim())
            .filter(Boolean),
    z.array(item).max(200),
  );

/** Query of `GET /v1/summary` and `GET /v1/export.csv`. @public */
export const summaryQuerySchema = z.strictObject({
  scorecardId: csvList(z.string().max(100)).optional(),
  owner: csvList(entityRefOfKindSchema('group')).optional(),
  system: csvList(entityRefOfKindSchema('system')).optional(),
});

/** @public */
export type SummaryQuery = z.input<typeof summaryQuerySchema>;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day like 2026-11-26')
  .refine(isCalendarDay, 'is not a valid day')
  .refine(
    v => v >= DAY_RANGE.min && v <= DAY_RANGE.max,
    `must be between ${DAY_RANGE.min} and ${DAY_RANGE.max}`,
  );

/** Query of `GET /v1/history`: an entity's series, or a team's (`owner`) or the org's trend. @public */
export const historyQuerySchema = z
  .strictObject({
    entityRef: entityRefSchema.optional(),
    owner: entityRefOfKindSchema('group').optional(),
    scorecardId: z.string().trim().min(1).max(100).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine(q => !(q.entityRef && q.owner), {
    message: 'give entityRef or owner, not both',
    path: ['owner'],
  })
  .refine(q => !q.from || !q.to || q.from <= q.to, {
    message: 'must not be after to',
    path: ['from'],
  });

/** @public */
export type HistoryQuery = z.input<typeof historyQuerySchema>;

/** Body of `POST /v1/entities/refresh`: one entity per request. @public */
export const refreshRequestSchema = z.strictObject({
  entityRef: entityRefSchema,
});

/** Query of `GET /v1/entities/results`. @public */
export const entityResultsQuerySchema = z.strictObject({
  entityRef: entityRefSchema,
});

/** How many entities one `POST /v1/entities/results/batch` may ask for. @public */
export const MAX_ENTITY_RESULTS_BATCH = 1000;

/** Body of `POST /v1/entities/results/batch`: the stored results of many entities in one call. @public */
export const entityResultsBatchRequestSchema = z.strictObject({
  entityRefs: z.array(entityRefSchema).min(1).max(MAX_ENTITY_RESULTS_BATCH),
});

/** Query of `GET /v1/groups/rollup`: `payments` means `group:default/payments`. @public */
export const groupRollupQuerySchema = z.strictObject({
  groupRef: entityRefOfKindSchema('group'),
});

/** Query of `GET /v1/waivers`. @public */
export const listWaiversQuerySchema = z.strictObject({
  entityRef: entityRefSchema.optional(),
  includeInactive: z.enum(INCLUDE_INACTIVE_VALUES).optional(),
});
