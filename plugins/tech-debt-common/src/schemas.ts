import {
  entityRefOfKindSchema,
  entityRefSchema,
  hasControlCharacter,
} from '@vitals/common';
import { z } from 'zod';
import { isQuarter } from './quarter';
import {
  DEBT_CATEGORIES,
  DEBT_ITEM_ORDER_FIELDS,
  DEBT_STATUSES,
  SORT_ORDERS,
} from './types';

/**
 * The bounds of every number and text the tech-debt API accepts; the forms check the same ones. A value outside them is
 * a 400 naming the field, so that nothing stored can make a priority infinite or a database refuse a write.
 *
 * @public
 */
export const TECH_DEBT_LIMITS = {
  titleLength: 200,
  descriptionLength: 20_000,
  tagLength: 50,
  tags: 20,
  trackerUrlLength: 2048,
  /** An entity ref as sent: kind, namespace and name are at most 63 characters each in the catalog. */
  entityRefLength: 255,
  /** Impact from 1 (minor) to 5 (severe). */
  minImpact: 1,
  maxImpact: 5,
  /** Effort in ideal engineer-days: from under an hour (0.1 day) to about four working years. */
  minEffortDays: 0.1,
  maxEffortDays: 1000,
  /** Hours lost per month while unpaid: up to about six engineers' full time. */
  maxInterestHoursPerMonth: 1000,
  /** A team's capacity in engineer-days for a quarter: up to 1,500 people. */
  minCapacityDays: 1,
  maxCapacityDays: 100_000,
  /** Versions are stored as 32-bit integers. */
  maxVersion: 2_147_483_647,
  searchLength: 200,
  /** Values of one list filter (`entityRef`, `owner`, …). */
  filterValues: 100,
  maxLimit: 1000,
  maxOffset: 1_000_000,
  /** A DORA incident id (the DORA API takes up to 200 characters). */
  incidentIdLength: 200,
  /** An incident's severity, as DORA takes it. */
  severityLength: 50,
  /** The title of an incident or its postmortem. */
  incidentTitleLength: 500,
  postmortemIdLength: 200,
  /** Minutes to restore one incident: up to about 19 years. */
  maxRestoreMinutes: 10_000_000,
  /** The window of the repeat-incidents report, in days. */
  maxReportDays: 365,
  /** The fewest linked incidents the report asks of an item, at most. */
  maxMinIncidents: 1000,
} as const;

const L = TECH_DEBT_LIMITS;

/** One line of text a person typed: trimmed, bounded, without control characters (PostgreSQL refuses NUL). */
const lineText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(value => !hasControlCharacter(value, false), {
      message: 'must not contain control characters',
    });

/** An entity ref schema with the length of the input bounded and control characters refused before it is parsed. */
const boundedRef = <T extends z.ZodType<string, string>>(ref: T) =>
  z
    .string()
    .max(L.entityRefLength)
    .refine(value => !hasControlCharacter(value, false), {
      message: 'must not contain control characters',
    })
    .pipe(ref);

const httpUrl = z
  .string()
  .trim()
  .max(L.trackerUrlLength)
  .url()
  .refine(value => /^https?:\/\//i.test(value), {
    message: 'must be an http(s) URL',
  })
  .refine(value => !hasControlCharacter(value, false), {
    message: 'must not contain control characters',
  });

/** The version an edit is based on. @public */
export const versionSchema = z.number().int().min(1).max(L.maxVersion);

const itemFields = {
  title: lineText(L.titleLength).min(1, 'is required'),
  description: z
    .string()
    .max(L.descriptionLength)
    .refine(value => !hasControlCharacter(value, true), {
      message:
        'must not contain control characters other than tabs and line breaks',
    }),
  category: z.enum(DEBT_CATEGORIES),
  impact: z.number().int().min(L.minImpact).max(L.maxImpact),
  effortDays: z.number().min(L.minEffortDays).max(L.maxEffortDays),
  interestHoursPerMonth: z
    .number()
    .min(0)
    .max(L.maxInterestHoursPerMonth)
    .nullable(),
  status: z.enum(DEBT_STATUSES),
  assignee: boundedRef(entityRefOfKindSchema('user')).nullable(),
  trackerUrl: httpUrl.nullable(),
  tags: z
    .array(lineText(L.tagLength).min(1))
    .max(L.tags)
    .transform(tags => [
      ...new Set(tags.map(t => t.toLocaleLowerCase('en-US'))),
    ]),
};

/** Body of `POST /v1/items`. @public */
export const createItemRequestSchema = z
  .object({
    entityRef: boundedRef(entityRefSchema),
    title: itemFields.title,
    description: itemFields.description.default(''),
    category: itemFields.category,
    impact: itemFields.impact,
    effortDays: itemFields.effortDays,
    interestHoursPerMonth: itemFields.interestHoursPerMonth.optional(),
    status: itemFields.status.default('open'),
    assignee: itemFields.assignee.optional(),
    trackerUrl: itemFields.trackerUrl.optional(),
    tags: itemFields.tags.default([]),
  })
  .strict();

/** @public */
export type CreateItemRequest = z.input<typeof createItemRequestSchema>;

/** Body of `PATCH /v1/items/:id`: any subset of the fields, plus the version the edit was based on. @public */
export const updateItemRequestSchema = z
  .object({
    version: versionSchema,
    title: itemFields.title.optional(),
    description: itemFields.description.optional(),
    category: itemFields.category.optional(),
    impact: itemFields.impact.optional(),
    effortDays: itemFields.effortDays.optional(),
    interestHoursPerMonth: itemFields.interestHoursPerMonth.optional(),
    status: itemFields.status.optional(),
    assignee: itemFields.assignee.optional(),
    trackerUrl: itemFields.trackerUrl.optional(),
    tags: itemFields.tags.optional(),
  })
  .strict();

/** @public */
export type UpdateItemRequest = z.input<typeof updateItemRequestSchema>;

const csvList = <T extends z.ZodType<unknown, string>>(inner: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(value =>
      (Array.isArray(value) ? value : [value])
        .flatMap(v => v.split(','))
        .map(v => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(inner).max(L.filterValues));

const itemId = z.string().uuid({ message: 'must be an item id (UUID)' });

/** Query of `GET /v1/items` and `GET /v1/items/export.csv`. @public */
export const listItemsQuerySchema = z
  .object({
    /** Exactly these items (with the other filters, if any); at most 100. */
    ids: csvList(itemId).optional(),
    entityRef: csvList(boundedRef(entityRefSchema)).optional(),
    owner: csvList(boundedRef(entityRefOfKindSchema('group'))).optional(),
    system: csvList(boundedRef(entityRefOfKindSchema('system'))).optional(),
    status: csvList(z.enum(DEBT_STATUSES)).optional(),
    category: csvList(z.enum(DEBT_CATEGORIES)).optional(),
    tag: lineText(L.tagLength).min(1).optional(),
    search: lineText(L.searchLength).optional(),
    orderBy: z.enum(DEBT_ITEM_ORDER_FIELDS).default('priority'),
    order: z.enum(SORT_ORDERS).optional(),
    limit: z.coerce.number().int().min(1).max(L.maxLimit).default(100),
    offset: z.coerce.number().int().min(0).max(L.maxOffset).default(0),
  })
  .strict();

/** @public */
export type ListItemsQuery = z.input<typeof listItemsQuerySchema>;

/** Body of `PUT /v1/budgets/:quarter?groupRef=`. @public */
export const putBudgetRequestSchema = z
  .object({
    capacityDays: z.number().min(L.minCapacityDays).max(L.maxCapacityDays),
    sharePercent: z.number().min(0).max(100),
    /** The version the edit was based on; leave out when creating the quarter's first budget. */
    version: versionSchema.optional(),
  })
  .strict();

/** @public */
export type PutBudgetRequest = z.input<typeof putBudgetRequestSchema>;

/** A quarter like `2026-Q4`, from 1970 to 2099. @public */
export const quarterSchema = z.string().trim().refine(isQuarter, {
  message: 'must be a quarter from 1970-Q1 to 2099-Q4, like 2026-Q4',
});

/** Query of `GET /v1/summary`. @public */
export const summaryQuerySchema = z
  .object({ entityRef: boundedRef(entityRefSchema) })
  .strict();

/** Query of `GET` and `PUT /v1/budgets/:quarter`: the team. @public */
export const budgetQuerySchema = z
  .object({ groupRef: boundedRef(entityRefOfKindSchema('group')) })
  .strict();

/** Query of `DELETE /v1/items/:id`: the version of the item the caller saw, so that a stale delete is a 409. @public */
export const deleteItemQuerySchema = z
  .object({
    version: z
      .string({
        error: issue =>
          issue.input === undefined
            ? 'is required: send the version of the item you are deleting'
            : 'must be one whole number',
      })
      .regex(/^\d{1,10}$/, 'must be a whole number')
      .transform(Number)
      .pipe(versionSchema),
  })
  .strict();

const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

/**
 * An ISO 8601 date-time with a zone (`2026-11-26T10:00:00Z`, `2026-11-26T11:00:00+01:00`) from 1970 up to 2100, as
 * DORA takes them; returned in UTC (`2026-11-26T10:00:00.000Z`).
 *
 * @public
 */
export const incidentTimestampSchema = z
  .string()
  .max(64)
  .pipe(
    z.iso.datetime({
      offset: true,
      message:
        'must be an ISO 8601 date-time with a zone, like 2026-11-26T10:00:00Z',
    }),
  )
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    if (!(ms >= EARLIEST_MS && ms < LATEST_MS)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be from 1970-01-01 and before 2100-01-01',
      });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

/** The incident id of `PUT` and `DELETE /v1/items/{id}/incidents/{incidentId}`: the DORA incident id. @public */
export const incidentIdSchema = lineText(L.incidentIdLength).min(
  1,
  'is required',
);

/**
 * Body of `PUT /v1/items/{id}/incidents/{incidentId}`: the incident as the caller sees it now. Every field but
 * `entityRef` and `createdAt` may be left out, which stores null: the body replaces the snapshot.
 *
 * @public
 */
export const linkIncidentRequestSchema = z
  .object({
    entityRef: boundedRef(entityRefSchema),
    createdAt: incidentTimestampSchema,
    resolvedAt: incidentTimestampSchema.nullable().default(null),
    severity: lineText(L.severityLength).min(1).nullable().default(null),
    restoreMinutes: z
      .number()
      .min(0)
      .max(L.maxRestoreMinutes)
      .nullable()
      .default(null),
    postmortemId: lineText(L.postmortemIdLength)
      .min(1)
      .nullable()
      .default(null),
    postmortemUrl: httpUrl.nullable().default(null),
    title: lineText(L.incidentTitleLength).min(1).nullable().default(null),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.resolvedAt !== null && body.resolvedAt < body.createdAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolvedAt'],
        message: 'must not be before createdAt',
      });
    }
    if (body.resolvedAt === null && body.restoreMinutes !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['restoreMinutes'],
        message:
          'must be null while the incident is ongoing (resolvedAt is null)',
      });
    }
  });

/** @public */
export type LinkIncidentRequest = z.input<typeof linkIncidentRequestSchema>;

/** Query of `GET /v1/reports/repeat-incidents`. @public */
export const repeatIncidentsQuerySchema = z
  .object({
    owner: csvList(boundedRef(entityRefOfKindSchema('group'))).optional(),
    days: z.coerce.number().int().min(1).max(L.maxReportDays).default(90),
    minIncidents: z.coerce
      .number()
      .int()
      .min(1)
      .max(L.maxMinIncidents)
      .default(2),
  })
  .strict();

/** @public */
export type RepeatIncidentsQuery = z.input<typeof repeatIncidentsQuerySchema>;
