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

/**
 * A whole number from a query string, written in digits only (`100`, not `1e2`, `0x64`, ` 100` or `100.0`), within
 * `[min, max]`, or `fallback` when absent, as the spec's `type: integer` means it. A number (as code passes it to the
 * client) is held to the same bounds.
 */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,16}$/, 'must be a whole number written in digits')
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

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

const paging = {
  limit: wholeNumber(1, L.maxLimit, 100),
  offset: wholeNumber(0, L.maxOffset, 0),
};

/** Query of `GET /v1/report/problems.csv`: the filters and a problem, no paging (the export has every row). @public */
export const exportProblemsQuerySchema = reportFilterSchema
  .extend({
    /** Only entities with this problem; without it, every entity with any problem. */
    problem: z.enum(OWNERSHIP_PROBLEM_KINDS).optional(),
  })
  .strict();

/** @public */
export type ExportProblemsQuery = z.input<typeof exportProblemsQuerySchema>;

/** Query of `GET /v1/report/problems`. @public */
export const reportProblemsQuerySchema = exportProblemsQuerySchema
  .extend(paging)
  .strict();

/** @public */
export type ReportProblemsQuery = z.input<typeof reportProblemsQuerySchema>;

/** Query of `GET /v1/groups`. @public */
export const listGroupsQuerySchema = z.object(paging).strict();

/** Query of `GET /v1/facets`: none. @public */
export const facetsQuerySchema = z.object({}).strict();

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
