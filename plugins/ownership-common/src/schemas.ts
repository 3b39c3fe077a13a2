import { entityRefOfKindSchema, hasControlCharacter } from '@vitals/common';
import { z } from 'zod';
import { OWNERSHIP_PROBLEM_KINDS } from './types';

/**
 * The bounds of every number and text the ownership API accepts. A value outside them is a 400 naming the field.
 *
 * @public
 */
export const OWNERSHIP_LIMITS = {
  /** A confirmation's note. */
  commentLength: 1000,
  /** An entity ref as sent: kind, namespace and name are at most 63 characters each in the catalog. */
  entityRefLength: 255,
  /** Values of one list filter (`kind`, `system`). */
  filterValues: 100,
  maxLimit: 1000,
  maxOffset: 1_000_000,
} as const;

const L = OWNERSHIP_LIMITS;

/** An entity ref of one kind, with the input's length bounded and control characters (PostgreSQL refuses NUL) refused. */
const boundedRefOfKind = (kind: string) =>
  z
    .string()
    .max(L.entityRefLength)
    .refine(value => !hasControlCharacter(value, false), {
      message: 'must not contain control characters',
    })
    .pipe(entityRefOfKindSchema(kind));

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

/** An entity kind as the catalog spells it, compared case-insensitively. */
const kindSchema = z
  .string()
  .trim()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
    'must be an entity kind like Component',
  )
  .transform(k => k.toLocaleLowerCase('en-US'));

/** Filters of the org report: every one optional, lists comma-separated. @public */
export const reportFilterSchema = z.object({
  kind: csvList(kindSchema).optional(),
  system: csvList(boundedRefOfKind('system')).optional(),
  /** A team: entities owned by it or by its child groups. */
  team: boundedRefOfKind('group').optional(),
});

/** Query of `GET /v1/report`. @public */
export const reportSummaryQuerySchema = reportFilterSchema.strict();

/** @public */
export type ReportFilter = z.input<typeof reportFilterSchema>;

/** Query of `GET /v1/report/problems` and `GET /v1/report/problems.csv`. @public */
export const reportProblemsQuerySchema = reportFilterSchema
  .extend({
    /** Only entities with this problem; without it, every entity with any problem. */
    problem: z.enum(OWNERSHIP_PROBLEM_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(L.maxLimit).default(100),
    offset: z.coerce.number().int().min(0).max(L.maxOffset).default(0),
  })
  .strict();

/** @public */
export type ReportProblemsQuery = z.input<typeof reportProblemsQuerySchema>;

/** Query of `GET /v1/groups`. @public */
export const listGroupsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(L.maxLimit).default(100),
    offset: z.coerce.number().int().min(0).max(L.maxOffset).default(0),
  })
  .strict();

/** @public */
export type ListGroupsQuery = z.input<typeof listGroupsQuerySchema>;

/** Body of `POST /v1/entities/:kind/:namespace/:name/confirmations`. @public */
export const confirmRequestSchema = z
  .object({
    comment: z
      .string()
      .trim()
      .max(L.commentLength)
      .refine(value => !hasControlCharacter(value, true), {
        message:
          'must not contain control characters other than tabs and line breaks',
      })
      .optional(),
  })
  .strict();

/** @public */
export type ConfirmRequest = z.input<typeof confirmRequestSchema>;

/** One segment of an entity path (`kind`, `namespace`, `name`), as the catalog allows them. @public */
export const entityPathSegmentSchema = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,252}$/,
    'must be a catalog name like payments-api',
  );
