import { entityRefOfKindSchema, entityRefSchema } from '@vitals/common';
import { z } from 'zod';
import { STEP_KINDS, STEP_LINK_TYPES, VISIT_KINDS } from './types';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max);

const kindSchema = z
  .string({ error: 'must be text' })
  .trim()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
    'must be an entity kind like component',
  )
  .transform(k => k.toLocaleLowerCase('en-US'));

const typeSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(63)
  .transform(t => t.toLocaleLowerCase('en-US'));

const list = <T extends z.ZodType>(inner: T) =>
  z
    .array(inner, { error: 'must be a list' })
    .min(1, 'must not be an empty list')
    .max(1000);

const urlSchema = z
  .string({ error: 'must be text' })
  .trim()
  .max(2048)
  .refine(value => /^https?:\/\/\S+$/i.test(value) || /^\/\S*$/.test(value), {
    message: 'must be an http(s) URL or a path in the portal starting with /',
  });

/** A link in a template step. @public */
export const stepLinkSchema = z
  .object({
    title: text(200),
    url: urlSchema,
    type: z
      .enum(STEP_LINK_TYPES, {
        error: `must be one of ${STEP_LINK_TYPES.join(', ')}`,
      })
      .optional(),
  })
  .strict();

/** One step of a template. @public */
export const templateStepSchema = z
  .object({
    id: z
      .string({ error: 'is required (lower-case letters, digits and dashes)' })
      .trim()
      .max(100)
      .regex(
        STEP_ID,
        'must be lower-case letters, digits and dashes, like read-runbook',
      ),
    title: text(200),
    description: z.string({ error: 'must be text' }).max(20_000).optional(),
    links: z
      .array(stepLinkSchema, { error: 'must be a list' })
      .max(50)
      .default([]),
    kind: z
      .enum(STEP_KINDS, {
        error: `must be one of ${STEP_KINDS.join(', ')}`,
      })
      .default('manual'),
    entityRef: entityRefSchema.optional(),
    group: entityRefOfKindSchema('group').optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.kind === 'group-membership' && !step.group) {
      ctx.addIssue({
        code: 'custom',
        path: ['group'],
        message: 'is required for kind group-membership',
      });
    }
    if (step.kind !== 'group-membership' && step.group) {
      ctx.addIssue({
        code: 'custom',
        path: ['group'],
        message: 'is only allowed for kind group-membership',
      });
    }
    if (
      (step.kind === 'manual' || step.kind === 'group-membership') &&
      step.entityRef
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['entityRef'],
        message:
          'is only allowed for kinds docs-visit, first-change-merged and first-change-deployed',
      });
    }
  });

/** @public */
export type TemplateStep = z.output<typeof templateStepSchema>;

/**
 * An onboarding template as platform teams write it in YAML (`apiVersion: vitals/v1`, `kind: OnboardingTemplate`).
 * Entity refs are normalised to `kind:namespace/name`, kinds and types to lower case.
 *
 * @public
 */
export const onboardingTemplateSchema = z
  .object({
    apiVersion: z.literal('vitals/v1', { error: 'must be vitals/v1' }),
    kind: z.literal('OnboardingTemplate', {
      error: 'must be OnboardingTemplate',
    }),
    metadata: z
      .object(
        {
          name: z
            .string({ error: 'is required' })
            .trim()
            .max(63)
            .regex(
              NAME,
              'must be lower-case letters, digits and dashes, like payments-team',
            ),
          title: text(200),
          description: z
            .string({ error: 'must be text' })
            .max(20_000)
            .optional(),
        },
        { error: 'is required' },
      )
      .strict(),
    spec: z
      .object(
        {
          owner: entityRefSchema.optional(),
          targets: z
            .object(
              {
                groups: list(entityRefOfKindSchema('group')).optional(),
                kinds: list(kindSchema).optional(),
                types: list(typeSchema).optional(),
                entityRefs: list(entityRefSchema).optional(),
              },
              { error: 'is required' },
            )
            .strict()
            .superRefine((targets, ctx) => {
              if (
                !targets.groups &&
                !targets.kinds &&
                !targets.types &&
                !targets.entityRefs
              ) {
                ctx.addIssue({
                  code: 'custom',
                  message:
                    'must name at least one of groups, kinds, types, entityRefs',
                });
              }
            }),
          steps: z
            .array(templateStepSchema, {
              error: 'is required (a list of steps)',
            })
            .min(1, 'must have at least one step')
            .max(200, 'must have at most 200 steps'),
        },
        { error: 'is required' },
      )
      .strict()
      .superRefine((spec, ctx) => {
        const seen = new Map<string, number>();
        spec.steps.forEach((step, index) => {
          const first = seen.get(step.id);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['steps', index, 'id'],
              message: `duplicate step id '${step.id}' (also steps[${first}])`,
            });
          } else {
            seen.set(step.id, index);
          }
        });
      }),
  })
  .strict();

/** A valid template. @public */
export type OnboardingTemplate = z.output<typeof onboardingTemplateSchema>;

/**
 * Renders a zod issue path the way template authors read it: `spec.steps[2].kind`.
 *
 * @public
 */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : `${i ? '.' : ''}${String(segment)}`,
    )
    .join('');
}

/** Every problem of a failed template parse, each as `field: message`. @public */
export function describeTemplateIssues(error: z.ZodError): string[] {
  return error.issues.map(issue => {
    const path = formatIssuePath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/**
 * A ref schema bounded to what the onboarding tables store: at most `max` characters once normalised (the shorthand
 * `jane` grows to `user:default/jane`), so that no write can fail in the database. The ref schemas of
 * `@vitals/common` refuse control characters already (a NUL cannot even be stored in PostgreSQL text).
 */
function storableRef<T extends z.ZodType<string, string>>(
  schema: T,
  max: number,
) {
  return schema.refine(ref => ref.length <= max, {
    message: `must be at most ${max} characters`,
  });
}

/** A checklist id: a template name, or `<template>:<entityRef>`. @public */
export const checklistIdSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(400)
  .regex(
    /^[a-z0-9-]+(:[^\s\p{Cc}]+)?$/iu,
    "must be a template name or '<template>:<entityRef>'",
  );

/** A step id in a path. @public */
export const stepIdSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100)
  .regex(STEP_ID, 'is not a step id');

/** Body of `PUT /v1/me/checklists/:checklistId/steps/:stepId`. @public */
export const setStepDoneRequestSchema = z
  .object({ done: z.boolean({ error: 'must be true or false' }) })
  .strict();

/** @public */
export type SetStepDoneBody = z.input<typeof setStepDoneRequestSchema>;

/** Body of `POST /v1/me/visits`. @public */
export const reportVisitRequestSchema = z
  .object({
    entityRef: storableRef(entityRefSchema, 400),
    kind: z.enum(VISIT_KINDS, {
      error: `must be ${VISIT_KINDS.join(' or ')}`,
    }),
  })
  .strict();

/** @public */
export type ReportVisitRequest = z.input<typeof reportVisitRequestSchema>;

/** An entity ref in a request, at most 336 characters (an entity checklist's id must fit in 400). @public */
export const requestEntityRefSchema = storableRef(entityRefSchema, 336);

/** Query of `GET /v1/entity-checklist`. @public */
export const entityChecklistQuerySchema = z
  .object({ entityRef: requestEntityRefSchema })
  .strict();

/** A user ref in a path or query; `jane` means `user:default/jane`. At most 255 characters. @public */
export const userRefSchema = storableRef(entityRefOfKindSchema('user'), 255);

/** A group ref in a query; `payments` means `group:default/payments`. @public */
export const groupRefSchema = storableRef(entityRefOfKindSchema('group'), 512);

/**
 * Body of `POST /v1/me/checklists` and `POST /v1/users/:userRef/checklists` (start a person's onboarding): without
 * `entityRef`, the checklists of the person's teams and of the services they own; with it, that entity's checklist.
 * @public
 */
export const startOnboardingRequestSchema = z
  .object({ entityRef: requestEntityRefSchema.optional() })
  .strict();

/** @public */
export type StartOnboardingRequest = z.input<
  typeof startOnboardingRequestSchema
>;

/** Body of `POST /v1/users/:userRef/reset`: one checklist, or all of them when left out. @public */
export const resetProgressRequestSchema = z
  .object({ checklistId: checklistIdSchema.optional() })
  .strict();

/** Query of `GET /v1/history`. @public */
export const historyQuerySchema = z
  .object({
    userRef: userRefSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** @public */
export type HistoryQuery = z.input<typeof historyQuerySchema>;

/** Query of `GET /v1/teams/report`. @public */
export const teamReportQuerySchema = z
  .object({ groupRef: groupRefSchema })
  .strict();
