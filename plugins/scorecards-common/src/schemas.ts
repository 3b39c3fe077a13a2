import { entityRefOfKindSchema, entityRefSchema } from '@vitals/common';
import { z } from 'zod';

/** Waivers last at most a year; then the owners decide again. @public */
export const MAX_WAIVER_DAYS = 366;

const futureDate = z
  .string()
  .trim()
  .refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date or date-time')
  .transform(v => new Date(Date.parse(v)).toISOString())
  .refine(v => Date.parse(v) > Date.now(), 'must be in the future')
  .refine(
    v => Date.parse(v) <= Date.now() + MAX_WAIVER_DAYS * 24 * 3600 * 1000,
    `must be at most ${MAX_WAIVER_DAYS} days ahead`,
  );

const reason = z.string().trim().min(3, 'must say why (at least 3 characters)').max(2000);

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
    version: z.number().int().min(1),
  })
  .refine(v => v.reason !== undefined || v.expiresAt !== undefined, 'give reason or expiresAt to change');

/** @public */
export type UpdateWaiverRequest = z.input<typeof updateWaiverRequestSchema>;

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
  .refine(v => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'is not a valid day');

/** Query of `GET /v1/history`: an entity's series, or a team's (`owner`) or the org's trend. @public */
export const historyQuerySchema = z
  .strictObject({
    entityRef: entityRefSchema.optional(),
    owner: entityRefOfKindSchema('group').optional(),
    scorecardId: z.string().trim().min(1).max(100).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine(q => !(q.entityRef && q.owner), { message: 'give entityRef or owner, not both', path: ['owner'] })
  .refine(q => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });

/** @public */
export type HistoryQuery = z.input<typeof historyQuerySchema>;
