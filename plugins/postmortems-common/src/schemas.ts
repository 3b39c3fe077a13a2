import {
  entityRefOfKindSchema,
  entityRefSchema,
  hasControlCharacter,
} from '@vitals/common';
import { createItemRequestSchema } from '@vitals/plugin-tech-debt-common';
import { z } from 'zod';
import {
  BUILT_IN_SECTIONS,
  POSTMORTEM_STATUSES,
  POSTMORTEM_TEXT_SECTIONS,
  TIMELINE_SECTION,
} from './types';

/**
 * The bounds of every number, text and list the postmortems API accepts; the editor checks the same ones. A value
 * outside them is a 400 naming the field.
 *
 * @public
 */
export const POSTMORTEM_LIMITS = {
  titleLength: 200,
  /** One section (Markdown). */
  sectionLength: 50_000,
  timelineEntries: 500,
  timelineTextLength: 2_000,
  authors: 20,
  /** Sections a template adds to the built-in ones. */
  extraSections: 20,
  sectionIdLength: 50,
  templateIdLength: 100,
  promptLength: 2_000,
  templateSections: 30,
  /** A DORA event id. */
  incidentIdLength: 200,
  /** An entity ref as sent. */
  entityRefLength: 255,
  /** Values of one list filter (`entityRef`, `owner`, `status`). */
  filterValues: 100,
  maxLimit: 1000,
  maxOffset: 1_000_000,
  /** Versions are stored as 32-bit integers. */
  maxVersion: 2_147_483_647,
  /** The longest window of the coverage figures, in days (ten years). */
  maxWindowDays: 3660,
} as const;

const L = POSTMORTEM_LIMITS;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The window of the coverage figures unless `from` is given: the 90 days before `to`. @public */
export const DEFAULT_COVERAGE_WINDOW_DAYS = 90;

const noControl = (allowLineBreaks: boolean) => (value: string) =>
  !hasControlCharacter(value, allowLineBreaks);

/** One line of text a person typed: trimmed, bounded, without control characters. */
const lineText = (max: number) =>
  z.string().trim().max(max).refine(noControl(false), {
    message: 'must not contain control characters',
  });

/** Markdown a person typed: bounded, tabs and line breaks allowed. */
const markdown = (max: number) =>
  z.string().max(max).refine(noControl(true), {
    message:
      'must not contain control characters other than tabs and line breaks',
  });

/** An entity ref schema with the length of the input bounded and control characters refused before it is parsed. */
const boundedRef = <T extends z.ZodType<string, string>>(ref: T) =>
  z
    .string()
    .max(L.entityRefLength)
    .refine(noControl(false), {
      message: 'must not contain control characters',
    })
    .pipe(ref);

/** A DORA incident id as sent, e.g. `pagerduty:PGR0VU2`. @public */
export const incidentIdSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(L.incidentIdLength)
  .refine(noControl(false), { message: 'must not contain control characters' });

/** A postmortem id (UUID). @public */
export const postmortemIdSchema = z
  .string()
  .uuid({ message: 'must be a postmortem id (UUID)' });

/** A debt item id (UUID). @public */
export const debtItemIdSchema = z
  .string()
  .uuid({ message: 'must be a debt item id (UUID)' });

/** A template id: lower-case letters, digits and dashes, starting with a letter. @public */
export const templateIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(L.templateIdLength)
  .regex(
    /^[a-z][a-z0-9-]*$/,
    'must be lower-case letters, digits and dashes, starting with a letter',
  );

/** The id of a section a template adds: camelCase letters and digits, starting with a lower-case letter. */
const customSectionId = z
  .string()
  .min(1)
  .max(L.sectionIdLength)
  .regex(
    /^[a-z][a-zA-Z0-9]*$/,
    'must be letters and digits, starting with a lower-case letter',
  );

const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

/** An ISO 8601 timestamp with a zone, from 1970 to 2099; yields the UTC form with milliseconds. @public */
export const timestampSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const text = value.trim();
    const ms = ISO_WITH_ZONE.test(text)
      ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
      : NaN;
    if (Number.isNaN(ms) || ms < MIN_TIME || ms >= MAX_TIME) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not an ISO 8601 timestamp with a zone from 1970 to 2099, like 2026-11-26T10:00:00Z`,
      });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

/** A calendar day `YYYY-MM-DD` that exists, from 1970 to 2099. @public */
export const daySchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day like 2026-12-31')
  .refine(
    value => {
      const ms = Date.parse(`${value}T00:00:00Z`);
      return (
        !Number.isNaN(ms) &&
        ms >= MIN_TIME &&
        ms < MAX_TIME &&
        new Date(ms).toISOString().startsWith(value)
      );
    },
    { message: 'must be a day that exists, from 1970 to 2099' },
  );

/** A window bound: a day (midnight UTC) or an ISO 8601 timestamp with a zone; yields epoch milliseconds. */
const windowBound = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const text = value.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      const day = daySchema.safeParse(text);
      if (day.success) return Date.parse(`${text}T00:00:00Z`);
    } else {
      const time = timestampSchema.safeParse(text);
      if (time.success) return Date.parse(time.data);
    }
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a day like 2026-11-26 or an ISO 8601 timestamp with a zone`,
    });
    return z.NEVER;
  });

/** The version an edit is based on. @public */
export const versionSchema = z.number().int().min(1).max(L.maxVersion);

/** A user entity ref (`jane` means `user:default/jane`). */
const userRef = boundedRef(entityRefOfKindSchema('user'));

/** Authors: user refs, at least one, without duplicates (kept in the order given). */
const authorsSchema = z
  .array(userRef)
  .min(1, 'must name at least one author')
  .max(L.authors)
  .transform(refs => [...new Set(refs)]);

/** One entry of the timeline. @public */
export const timelineEntrySchema = z
  .object({
    at: timestampSchema,
    text: markdown(L.timelineTextLength)
      .refine(value => value.trim().length > 0, { message: 'is required' })
      .transform(value => value.trim()),
  })
  .strict();

/** The timeline: entries sorted by time (stable for entries at the same time). */
const timelineSchema = z
  .array(timelineEntrySchema)
  .max(L.timelineEntries)
  .transform(entries =>
    entries
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index)
      .map(({ entry }) => entry),
  );

const sectionText = markdown(L.sectionLength);

const extraSectionsSchema = z
  .record(customSectionId, sectionText)
  .refine(value => Object.keys(value).length <= L.extraSections, {
    message: `must have at most ${L.extraSections} sections`,
  })
  .refine(
    value =>
      !Object.keys(value).some(id =>
        (BUILT_IN_SECTIONS as readonly string[]).includes(id),
      ),
    { message: 'must not repeat a built-in section; set it by its own field' },
  );

/** Body of `POST /v1/postmortems`: start a draft for an incident. @public */
export const createPostmortemRequestSchema = z
  .object({
    incidentId: incidentIdSchema,
    /** The incident's entity, as DORA has it. */
    entityRef: boundedRef(entityRefSchema),
    templateId: templateIdSchema.optional(),
    title: lineText(L.titleLength).min(1, 'is required').optional(),
    /** Default: the caller. */
    authors: authorsSchema.optional(),
  })
  .strict();

/** @public */
export type CreatePostmortemRequest = z.input<
  typeof createPostmortemRequestSchema
>;

const textSectionFields = Object.fromEntries(
  POSTMORTEM_TEXT_SECTIONS.map(id => [id, sectionText.optional()]),
) as Record<
  (typeof POSTMORTEM_TEXT_SECTIONS)[number],
  z.ZodOptional<typeof sectionText>
>;

/** Body of `PATCH /v1/postmortems/{id}`: any subset of the fields, plus the version the edit was based on. @public */
export const updatePostmortemRequestSchema = z
  .object({
    version: versionSchema,
    title: lineText(L.titleLength).min(1, 'is required').optional(),
    status: z.enum(POSTMORTEM_STATUSES).optional(),
    authors: authorsSchema.optional(),
    ...textSectionFields,
    [TIMELINE_SECTION]: timelineSchema.optional(),
    extraSections: extraSectionsSchema.optional(),
  })
  .strict();

/** @public */
export type UpdatePostmortemRequest = z.input<
  typeof updatePostmortemRequestSchema
>;

/**
 * Body of `POST /v1/postmortems/{id}/action-items`: a new debt item on the affected entity, with the fields the
 * tech-debt register asks for (title, category, impact 1–5 and effort in engineer-days required), and when it is due.
 *
 * @public
 */
export const createActionItemRequestSchema = createItemRequestSchema
  .pick({
    title: true,
    description: true,
    category: true,
    impact: true,
    effortDays: true,
    interestHoursPerMonth: true,
    assignee: true,
    trackerUrl: true,
    tags: true,
  })
  .extend({ dueDate: daySchema.nullable().optional() })
  .strict();

/** @public */
export type CreateActionItemRequest = z.input<
  typeof createActionItemRequestSchema
>;

/** Body of `PUT /v1/postmortems/{id}/action-items/{debtItemId}`: link an existing debt item. @public */
export const linkActionItemRequestSchema = z
  .object({ dueDate: daySchema.nullable().optional() })
  .strict();

/** @public */
export type LinkActionItemRequest = z.input<typeof linkActionItemRequestSchema>;

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

/** A whole number in decimal digits (as a query sends it), or a number. */
const queryInteger = (min: number, max: number, fallback: number) =>
  z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      if (typeof value === 'number') return value;
      if (/^\d{1,16}$/.test(value)) return Number(value);
      ctx.addIssue({
        code: 'custom',
        message: 'must be a whole number in decimal digits',
      });
      return z.NEVER;
    })
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

/** Query of `GET /v1/postmortems`. @public */
export const listPostmortemsQuerySchema = z
  .object({
    entityRef: csvList(boundedRef(entityRefSchema)).optional(),
    owner: csvList(boundedRef(entityRefOfKindSchema('group'))).optional(),
    status: csvList(z.enum(POSTMORTEM_STATUSES)).optional(),
    incidentId: incidentIdSchema.optional(),
    limit: queryInteger(1, L.maxLimit, 100),
    offset: queryInteger(0, L.maxOffset, 0),
  })
  .strict();

/** Query of `GET /v1/postmortems` as the client sends it. @public */
export interface ListPostmortemsQuery {
  /** Postmortems of these affected entities. */
  entityRef?: string | string[];
  /** Postmortems of the entities these groups own (directly). */
  owner?: string | string[];
  status?: string | string[];
  incidentId?: string;
  limit?: number;
  offset?: number;
}

/** `true` or `false`, as the client writes it or as the backend's OpenAPI validator already read it. */
const booleanParam = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform(v => v === 'true'),
]);

/** Query of `GET /v1/incidents`: one entity's incidents, newest first. @public */
export const listIncidentsQuerySchema = z
  .object({
    entityRef: boundedRef(entityRefSchema),
    qualifying: booleanParam.optional(),
    limit: queryInteger(1, L.maxLimit, 100),
    offset: queryInteger(0, L.maxOffset, 0),
  })
  .strict();

/** Fills the default window (the 90 days before `to`, which defaults to now) and checks it. */
function resolveWindow<Q extends { from?: number; to?: number }>(
  query: Q,
  ctx: z.RefinementCtx,
): Omit<Q, 'from' | 'to'> & { from: number; to: number } {
  const to = query.to ?? Date.now();
  const from = query.from ?? to - DEFAULT_COVERAGE_WINDOW_DAYS * DAY_MS;
  if (from >= to) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: 'must be before to',
    });
  } else if (to - from > L.maxWindowDays * DAY_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: `must be at most ${L.maxWindowDays} days before to`,
    });
  }
  return { ...query, from, to };
}

/** Query of `GET /v1/coverage`: the org page, for every team or one. @public */
export const coverageQuerySchema = z
  .object({
    team: boundedRef(entityRefOfKindSchema('group')).optional(),
    from: windowBound.optional(),
    to: windowBound.optional(),
  })
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/coverage` as the client sends it. @public */
export interface CoverageQuery {
  /** One team (a Group ref); every team when left out. */
  team?: string;
  /** A day (midnight UTC) or an ISO timestamp; default 90 days before `to`. */
  from?: string;
  /** A day or an ISO timestamp, exclusive; default now. */
  to?: string;
}

/** Query of `GET /v1/follow-through`. @public */
export const followThroughQuerySchema = z
  .object({ team: boundedRef(entityRefOfKindSchema('group')).optional() })
  .strict();

/** Query of `GET /v1/follow-through` as the client sends it. @public */
export interface FollowThroughQuery {
  team?: string;
}

/** Query of `GET /v1/entity-figures`: up to 100 entities. @public */
export const entityFiguresQuerySchema = z
  .object({
    entityRef: csvList(boundedRef(entityRefSchema)).refine(
      refs => refs.length > 0,
      { message: 'is required' },
    ),
    from: windowBound.optional(),
    to: windowBound.optional(),
  })
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/entity-figures` as the client sends it. @public */
export interface EntityFiguresQuery {
  entityRef: string | string[];
  from?: string;
  to?: string;
}

/** One section of a template as written in YAML. */
const templateSectionSchema = z
  .object({
    id: z.string().min(1).max(L.sectionIdLength),
    title: lineText(L.titleLength).min(1, 'is required'),
    prompt: markdown(L.promptLength).default(''),
    required: z.boolean().default(false),
    blamelessCheck: z.boolean().optional(),
  })
  .strict()
  .superRefine((section, ctx) => {
    if ((BUILT_IN_SECTIONS as readonly string[]).includes(section.id)) return;
    const custom = customSectionId.safeParse(section.id);
    if (!custom.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: `'${
          section.id
        }' is neither a built-in section (${BUILT_IN_SECTIONS.join(
          ', ',
        )}) nor a valid section id: ${custom.error.issues[0]?.message}`,
      });
    }
  })
  .transform(section => ({
    id: section.id,
    title: section.title,
    prompt: section.prompt,
    kind: (section.id === TIMELINE_SECTION ? 'timeline' : 'text') as
      | 'text'
      | 'timeline',
    required: section.required,
    // Contributing factors are where blame creeps in: checked unless the template says otherwise.
    blamelessCheck:
      section.blamelessCheck ?? section.id === 'contributingFactors',
  }));

/**
 * A postmortem template as written in YAML (`apiVersion: vitals/v1`, `kind: PostmortemTemplate`): a name, a title,
 * and the sections in the order the editor shows them. Built-in sections (`summary`, `customerImpact`, `timeline`,
 * `contributingFactors`, `whatWentWell`, `whatWasHard`, `lessons`) keep their meaning; other ids add text sections
 * of the template's own.
 *
 * @public
 */
export const postmortemTemplateSchema = z
  .object({
    apiVersion: z.literal('vitals/v1', { error: 'must be vitals/v1' }),
    kind: z.literal('PostmortemTemplate', {
      error: 'must be PostmortemTemplate',
    }),
    metadata: z
      .object({
        name: templateIdSchema,
        title: lineText(L.titleLength).min(1, 'is required'),
        description: markdown(L.promptLength).default(''),
      })
      .strict(),
    spec: z
      .object({
        sections: z
          .array(templateSectionSchema)
          .min(1, 'must list at least one section')
          .max(L.templateSections),
      })
      .strict(),
  })
  .strict()
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.spec.sections.forEach((section, index) => {
      if (seen.has(section.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'sections', index, 'id'],
          message: `'${section.id}' is listed twice`,
        });
      }
      seen.add(section.id);
    });
    const custom = template.spec.sections.filter(
      s => !(BUILT_IN_SECTIONS as readonly string[]).includes(s.id),
    );
    if (custom.length > L.extraSections) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'sections'],
        message: `must add at most ${L.extraSections} sections of its own`,
      });
    }
  });

/** A template as written, parsed. @public */
export type PostmortemTemplateDocument = z.output<
  typeof postmortemTemplateSchema
>;
