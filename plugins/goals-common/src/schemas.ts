import {
  entityRefOfKindSchema,
  entityRefSchema,
  hasControlCharacter,
} from '@vitals/common';
import { z } from 'zod';
import {
  DIRECTIONS,
  FIGURE_SCOPE_KINDS,
  FIGURE_SOURCES,
  FigureDescriptor,
  findFigureSpec,
} from './figures';
import { isPeriod } from './period';
import { CAMPAIGN_ENTITY_STATES, STAKEHOLDER_REPORT_FORMATS } from './types';

/**
 * The bounds of every number, text and list the goals API accepts. A value outside them is a 400 naming the field.
 *
 * @public
 */
export const GOALS_LIMITS = {
  objectiveLength: 200,
  descriptionLength: 20_000,
  titleLength: 200,
  keyResults: 10,
  /** Any figure value or target: large enough for any count, small enough to be exact in a double. */
  maxAbsValue: 1_000_000_000,
  paramLength: 100,
  params: 5,
  windowDays: 365,
  nameLength: 200,
  checks: 20,
  selectionValues: 50,
  reminders: 10,
  maxReminderDays: 365,
  maxEffortDays: 1000,
  maxVersion: 2_147_483_647,
  filterValues: 100,
  maxLimit: 500,
  maxOffset: 1_000_000,
  searchLength: 200,
} as const;

const L = GOALS_LIMITS;

const lineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(value => !hasControlCharacter(value, false), {
      message: 'must not contain control characters',
    });

const longText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(value => !hasControlCharacter(value, true), {
      message: 'must not contain control characters other than line breaks',
    });

const finiteValue = z
  .number()
  .min(-L.maxAbsValue)
  .max(L.maxAbsValue)
  .refine(Number.isFinite, { message: 'must be a finite number' });

const versionSchema = z.number().int().min(1).max(L.maxVersion);

/** A goal's period: `2026-Q4` (a quarter), `2026-H1` or `2026`. @public */
export const periodSchema = z.string().refine(isPeriod, {
  message: 'must be a quarter like 2026-Q4, a half like 2026-H1 or a year',
});

/** A Group entity ref (`payments` means `group:default/payments`). @public */
export const groupRefSchema = entityRefOfKindSchema('group');

/**
 * A figure descriptor, checked against the catalogue: the metric must be one of the source's, the scope one the source
 * answers for (with a ref for an entity or a team, none for the org), and the parameters those the metric takes.
 *
 * @public
 */
export const figureDescriptorSchema = z
  .strictObject({
    source: z.enum(FIGURE_SOURCES),
    metric: z.string().min(1).max(100),
    scope: z.strictObject({
      kind: z.enum(FIGURE_SCOPE_KINDS),
      ref: z.string().max(512).optional(),
    }),
    params: z
      .record(
        z.string().max(50),
        z.union([z.string().trim().min(1).max(L.paramLength), z.number()]),
      )
      .optional(),
  })
  .transform((figure, ctx): FigureDescriptor => {
    const spec = findFigureSpec(figure.source, figure.metric);
    if (!spec) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: `'${figure.metric}' is not a metric of ${figure.source}`,
      });
      return z.NEVER;
    }
    const { kind } = figure.scope;
    if (!spec.scopes.includes(kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'kind'],
        message: `${figure.source} ${
          figure.metric
        } is not measured for ${kind} scope (only ${spec.scopes.join(', ')})`,
      });
      return z.NEVER;
    }
    let ref: string | undefined;
    if (kind === 'org') {
      if (figure.scope.ref !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['scope', 'ref'],
          message: 'must be left out for the org scope',
        });
        return z.NEVER;
      }
    } else {
      const parsed = (
        kind === 'team' ? groupRefSchema : entityRefSchema
      ).safeParse(figure.scope.ref ?? '');
      if (!parsed.success || !figure.scope.ref) {
        ctx.addIssue({
          code: 'custom',
          path: ['scope', 'ref'],
          message:
            kind === 'team'
              ? 'must be a group ref like group:default/payments'
              : 'must be an entity ref like component:default/payments-api',
        });
        return z.NEVER;
      }
      ref = parsed.data;
    }
    const params = figure.params ?? {};
    for (const name of Object.keys(params)) {
      if (!spec.params.some(p => p.name === name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['params', name],
          message: `is not a parameter of ${figure.source} ${figure.metric}${
            spec.params.length
              ? ` (only ${spec.params.map(p => p.name).join(', ')})`
              : ''
          }`,
        });
        return z.NEVER;
      }
    }
    for (const p of spec.params) {
      if (p.required && params[p.name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['params', p.name],
          message: `is required: ${p.description}`,
        });
        return z.NEVER;
      }
    }
    const windowDays = params.windowDays;
    if (
      windowDays !== undefined &&
      (typeof windowDays !== 'number' ||
        !Number.isInteger(windowDays) ||
        windowDays < 1 ||
        windowDays > L.windowDays)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'windowDays'],
        message: `must be a whole number of days from 1 to ${L.windowDays}`,
      });
      return z.NEVER;
    }
    if (
      params.quarter !== undefined &&
      !/^20\d\d-Q[1-4]$/.test(String(params.quarter))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'quarter'],
        message: 'must be a quarter like 2026-Q4',
      });
      return z.NEVER;
    }
    return {
      source: figure.source,
      metric: figure.metric,
      scope: ref ? { kind, ref } : { kind },
      ...(Object.keys(params).length ? { params } : {}),
    };
  });

/** Body of `POST /v1/figures/preview`. @public */
export const figurePreviewRequestSchema = z.strictObject({
  figure: figureDescriptorSchema,
  /** The goal's period, for the baseline it would record; default the current quarter. */
  period: periodSchema.optional(),
});

/** @public */
export type FigurePreviewRequest = z.input<typeof figurePreviewRequestSchema>;

/**
 * One key result as a form sends it. `id` keeps an existing key result (its baseline and trend) when a goal is edited;
 * without it the key result is new. `direction` defaults to the figure's better direction. A manual key result needs
 * its `baseline`, and may carry its `current` value.
 *
 * @public
 */
export const keyResultInputSchema = z
  .strictObject({
    id: z.uuid({ message: 'must be a key result id (UUID)' }).optional(),
    title: lineText(L.titleLength),
    figure: figureDescriptorSchema,
    target: finiteValue,
    direction: z.enum(DIRECTIONS).optional(),
    baseline: finiteValue.optional(),
    current: finiteValue.optional(),
  })
  .superRefine((kr, ctx) => {
    const manual = kr.figure.source === 'manual';
    if (manual && kr.baseline === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseline'],
        message: 'is required for a manual key result',
      });
    }
    if (!manual && (kr.baseline !== undefined || kr.current !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [kr.baseline !== undefined ? 'baseline' : 'current'],
        message:
          'is read from the figure, not typed in: only a manual key result takes it',
      });
    }
  });

/** @public */
export type KeyResultInput = z.input<typeof keyResultInputSchema>;

const keyResultsSchema = z
  .array(keyResultInputSchema)
  .min(1)
  .max(L.keyResults)
  .refine(
    krs => {
      const ids = krs.map(k => k.id).filter(Boolean);
      return new Set(ids).size === ids.length;
    },
    { message: 'must not name the same key result id twice' },
  );

/** Body of `POST /v1/goals`. `ownerRef` left out is an org goal; `period` defaults to the current quarter. @public */
export const createGoalRequestSchema = z.strictObject({
  objective: lineText(L.objectiveLength),
  description: longText(L.descriptionLength).default(''),
  ownerRef: groupRefSchema.optional(),
  period: periodSchema.optional(),
  keyResults: keyResultsSchema,
});

/** @public */
export type CreateGoalRequest = z.input<typeof createGoalRequestSchema>;

/** Body of `PATCH /v1/goals/{id}`: the version the editor saw and the fields to change. @public */
export const updateGoalRequestSchema = z.strictObject({
  version: versionSchema,
  objective: lineText(L.objectiveLength).optional(),
  description: longText(L.descriptionLength).optional(),
  keyResults: keyResultsSchema.optional(),
});

/** @public */
export type UpdateGoalRequest = z.input<typeof updateGoalRequestSchema>;

/** Body of `PUT /v1/goals/{id}/key-results/{keyResultId}/value`: a manual key result's value. @public */
export const manualValueRequestSchema = z.strictObject({
  version: versionSchema,
  value: finiteValue,
});

/** @public */
export type ManualValueRequest = z.input<typeof manualValueRequestSchema>;

/** Query of `DELETE /v1/goals/{id}` and `DELETE /v1/campaigns/{id}`. @public */
export const deleteQuerySchema = z.strictObject({
  version: z.coerce.number().pipe(versionSchema),
});

const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    v =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v])
            .flatMap(x => String(x).split(','))
            .map(x => x.trim())
            .filter(Boolean),
    z.array(item).max(L.filterValues),
  );

const paging = {
  limit: z.coerce.number().int().min(1).max(L.maxLimit).default(100),
  offset: z.coerce.number().int().min(0).max(L.maxOffset).default(0),
};

/** Query of `GET /v1/goals`: `owner=org` lists the org's goals. @public */
export const listGoalsQuerySchema = z.strictObject({
  owner: listOf(z.union([z.literal('org'), groupRefSchema])).optional(),
  period: listOf(periodSchema).optional(),
  ...paging,
});

/** @public */
export interface ListGoalsQuery {
  owner?: string[];
  period?: string[];
  limit?: number;
  offset?: number;
}

const slugText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(value => !hasControlCharacter(value, false), {
    message: 'must not contain control characters',
  });

const selectionList = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).min(1).max(L.selectionValues).optional();

/** @public */
export const campaignSelectionSchema = z
  .strictObject({
    owner: selectionList(groupRefSchema),
    system: selectionList(entityRefOfKindSchema('system')),
    kind: selectionList(slugText),
    type: selectionList(slugText),
    tag: selectionList(slugText),
    scorecardLevel: z
      .strictObject({
        scorecardId: slugText,
        levelIds: z.array(slugText.nullable()).min(1).max(L.selectionValues),
      })
      .optional(),
  })
  .refine(s => Object.values(s).some(v => v !== undefined), {
    message:
      'must name at least one criterion (owner, system, kind, type, tag or scorecardLevel)',
  });

const checksSchema = z
  .array(z.strictObject({ scorecardId: slugText, checkId: slugText }))
  .min(1)
  .max(L.checks)
  .refine(
    checks =>
      new Set(checks.map(c => `${c.scorecardId}/${c.checkId}`)).size ===
      checks.length,
    { message: 'must not name the same check twice' },
  );

/** A deadline, `YYYY-MM-DD`. */
const daySchema = z.iso.date({ message: 'must be a date like 2026-12-15' });

const remindersSchema = z
  .array(z.number().int().min(0).max(L.maxReminderDays))
  .max(L.reminders)
  .refine(days => new Set(days).size === days.length, {
    message: 'must not name the same day twice',
  });

const campaignFields = {
  name: lineText(L.nameLength),
  description: longText(L.descriptionLength),
  checks: checksSchema,
  selection: campaignSelectionSchema,
  deadline: daySchema,
  effortDaysPerEntity: z.number().gt(0).max(L.maxEffortDays).nullable(),
  reminderDaysBefore: remindersSchema,
};

/** Body of `POST /v1/campaigns` (a campaign runs from its creation) and of `POST /v1/campaigns/preview`. @public */
export const createCampaignRequestSchema = z.strictObject({
  ...campaignFields,
  description: campaignFields.description.default(''),
  effortDaysPerEntity: campaignFields.effortDaysPerEntity.default(null),
  reminderDaysBefore: campaignFields.reminderDaysBefore.default([14, 7, 1]),
});

/** @public */
export type CreateCampaignRequest = z.input<typeof createCampaignRequestSchema>;

/** Body of `PATCH /v1/campaigns/{id}`. @public */
export const updateCampaignRequestSchema = z.strictObject({
  version: versionSchema,
  name: campaignFields.name.optional(),
  description: campaignFields.description.optional(),
  checks: campaignFields.checks.optional(),
  selection: campaignFields.selection.optional(),
  deadline: campaignFields.deadline.optional(),
  effortDaysPerEntity: campaignFields.effortDaysPerEntity.optional(),
  reminderDaysBefore: campaignFields.reminderDaysBefore.optional(),
});

/** @public */
export type UpdateCampaignRequest = z.input<typeof updateCampaignRequestSchema>;

/** Body of `POST /v1/campaigns/{id}/promote`: the version the admin saw, and optionally the level. @public */
export const promoteCampaignRequestSchema = z.strictObject({
  version: versionSchema,
  levelId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'must be a level id: letters, digits, dots, dashes or underscores',
    )
    .optional(),
});

/** @public */
export type PromoteCampaignRequest = z.input<
  typeof promoteCampaignRequestSchema
>;

/** Query of `GET /v1/campaigns`. @public */
export const listCampaignsQuerySchema = z.strictObject({
  status: listOf(z.enum(['running', 'ended'])).optional(),
  /** Campaigns that ask something of entities of these teams (at the last snapshot). */
  owner: listOf(groupRefSchema).optional(),
  /** Campaigns that ask something of this entity (at the last snapshot). */
  entityRef: entityRefSchema.optional(),
  ...paging,
});

/** @public */
export interface ListCampaignsQuery {
  status?: Array<'running' | 'ended'>;
  owner?: string[];
  entityRef?: string;
  limit?: number;
  offset?: number;
}

/** Query of `GET /v1/campaigns/{id}`: `entityLimit` bounds the entity states sent with it (0 for none). @public */
export const getCampaignQuerySchema = z.strictObject({
  entityLimit: z.coerce.number().int().min(0).max(L.maxLimit).optional(),
});

/** @public */
export interface GetCampaignQuery {
  entityLimit?: number;
}

/** Query of `GET /v1/campaigns/{id}/entities`: a page of the entity states of the last snapshot. @public */
export const listCampaignEntitiesQuerySchema = z.strictObject({
  state: listOf(z.enum(CAMPAIGN_ENTITY_STATES)).optional(),
  /** The entities these teams own. */
  owner: listOf(groupRefSchema).optional(),
  /** Text found in the entity ref or the owner ref, ignoring case. */
  search: z
    .string()
    .trim()
    .max(L.searchLength)
    .refine(value => !hasControlCharacter(value, false), {
      message: 'must not contain control characters',
    })
    .optional(),
  ...paging,
});

/** @public */
export interface ListCampaignEntitiesQuery {
  state?: Array<'open' | 'waived' | 'done'>;
  owner?: string[];
  search?: string;
  limit?: number;
  offset?: number;
}

/** Query of `GET /v1/reports/stakeholder`: a team (group ref) or `org`, a quarter, a format. @public */
export const stakeholderReportQuerySchema = z.strictObject({
  team: z.union([z.literal('org'), groupRefSchema]),
  quarter: z
    .string()
    .regex(/^20\d\d-Q[1-4]$/, { message: 'must be a quarter like 2026-Q4' }),
  format: z.enum(STAKEHOLDER_REPORT_FORMATS).default('json'),
});

/** @public */
export interface StakeholderReportQuery {
  team: string;
  quarter: string;
}
