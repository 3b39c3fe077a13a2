import { entityRefOfKindSchema, entityRefSchema } from '@vitals/common';
import { z } from 'zod';
import { isQuarter } from './quarter';
import { DEBT_CATEGORIES, DEBT_STATUSES } from './types';

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .url()
  .refine(value => /^https?:\/\//i.test(value), {
    message: 'must be an http(s) URL',
  });

const itemFields = {
  title: z.string().trim().min(1, 'is required').max(200),
  description: z.string().max(20_000),
  category: z.enum(DEBT_CATEGORIES),
  impact: z.number().int().min(1).max(5),
  effortDays: z.number().positive().max(10_000),
  interestHoursPerMonth: z.number().min(0).max(10_000).nullable(),
  status: z.enum(DEBT_STATUSES),
  assignee: entityRefOfKindSchema('user').nullable(),
  trackerUrl: httpUrl.nullable(),
  tags: z
    .array(z.string().trim().min(1).max(50))
    .max(20)
    .transform(tags => [...new Set(tags.map(t => t.toLocaleLowerCase('en-US')))]),
};

/** Body of `POST /v1/items`. @public */
export const createItemRequestSchema = z
  .object({
    entityRef: entityRefSchema,
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
    version: z.number().int().min(1),
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
    .pipe(z.array(inner));

/** Query of `GET /v1/items` and `GET /v1/items/export.csv`. @public */
export const listItemsQuerySchema = z
  .object({
    entityRef: csvList(entityRefSchema).optional(),
    owner: csvList(entityRefOfKindSchema('group')).optional(),
    system: csvList(entityRefOfKindSchema('system')).optional(),
    status: csvList(z.enum(DEBT_STATUSES)).optional(),
    category: csvList(z.enum(DEBT_CATEGORIES)).optional(),
    tag: z.string().trim().min(1).max(50).optional(),
    search: z.string().trim().max(200).optional(),
    orderBy: z
      .enum(['priority', 'impact', 'effortDays', 'updatedAt', 'createdAt', 'title'])
      .default('priority'),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** @public */
export type ListItemsQuery = z.input<typeof listItemsQuerySchema>;

/** Body of `PUT /v1/budgets/:quarter?groupRef=`. @public */
export const putBudgetRequestSchema = z
  .object({
    capacityDays: z.number().positive().max(1_000_000),
    sharePercent: z.number().min(0).max(100),
    /** The version the edit was based on; leave out when creating the quarter's first budget. */
    version: z.number().int().min(1).optional(),
  })
  .strict();

/** @public */
export type PutBudgetRequest = z.input<typeof putBudgetRequestSchema>;

/** A quarter like `2026-Q4`. @public */
export const quarterSchema = z
  .string()
  .trim()
  .refine(isQuarter, { message: 'must be a quarter like 2026-Q4' });
