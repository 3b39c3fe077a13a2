import { entityRefSchema } from '@vitals/common';
import { z } from 'zod';
import {
  DORA_BENCHMARKS,
  DORA_DEPLOYMENT_STATUSES,
  DORA_FLOW_PARTS,
  DoraBenchmark,
  DoraFlowPart,
} from './types';
import {
  DORA_FINISHED_PIPELINE_RUN_STATUSES,
  DORA_PIPELINE_RUN_STATUSES,
  DoraPipelineRunStatus,
} from './pipelines';

/** Most events one `POST /v1/events` takes. @public */
export const MAX_EVENTS_PER_REQUEST = 5000;

// ISO 8601 date-time with a zone: Z, ±HH:MM or ±HHMM; fractions of a second allowed.
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The earliest instant a DORA timestamp may name (inclusive). @public */
export const EARLIEST_TIMESTAMP = '1970-01-01T00:00:00.000Z';
/** The instant every DORA timestamp must be before. @public */
export const LATEST_TIMESTAMP = '2100-01-01T00:00:00.000Z';
const EARLIEST_MS = Date.parse(EARLIEST_TIMESTAMP);
const LATEST_MS = Date.parse(LATEST_TIMESTAMP);
const RANGE_MESSAGE = 'must be from 1970-01-01 and before 2100-01-01';

/**
 * An ISO 8601 timestamp with a zone, read as an instant and returned in UTC (`2026-11-26T10:00:00.000Z`). Instants
 * before 1970-01-01 or from 2100-01-01 on are refused: every difference of two of them then fits the 32-bit minute
 * columns of the store, and nothing real happens outside that range.
 *
 * @public
 */
export const isoTimestampSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const text = value.trim();
    if (isCanonicalInRange(text)) return text;
    const ms = ISO_TIMESTAMP.test(text)
      ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
      : NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not an ISO 8601 timestamp with a zone, like 2026-11-26T10:00:00Z`,
      });
      return z.NEVER;
    }
    return inRange(value, ms, ctx);
  });

// UTC with milliseconds, as toISOString() writes it.
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/**
 * Whether the text is already what the schema would return for it: UTC in toISOString()'s form, within the range, on a
 * day every month has (1-28) and a time every day has, so that reading and writing it again gives the same text. Most
 * senders write timestamps this way; this answer costs a regular expression instead of a parse and a format.
 */
function isCanonicalInRange(text: string): boolean {
  const m = CANONICAL.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  return (
    year >= 1970 &&
    year <= 2099 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/** The instant as UTC ISO text, or an issue when it is outside 1970-01-01 .. 2100-01-01. */
function inRange(value: string, ms: number, ctx: z.RefinementCtx): string {
  if (ms < EARLIEST_MS || ms >= LATEST_MS) {
    ctx.addIssue({ code: 'custom', message: `'${value}' ${RANGE_MESSAGE}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
}

const id = z.string().trim().min(1, 'is required').max(200);
const sha = z.string().trim().min(1, 'is required').max(100);
const url = z
  .string()
  .trim()
  .max(2048)
  .refine(value => /^https?:\/\/\S+$/i.test(value), {
    message: 'must be an http(s) URL',
  });

/**
 * When the sender saw the event in this state. Optional: an update is ignored when the latest of its timestamps (this
 * one included) is older than that of the stored state, so a sender that must move an event back (an issue reopened
 * after it was closed) says when it did.
 */
const updatedAt = isoTimestampSchema.optional();

/** Most commit shas one deployment lists. @public */
export const MAX_COMMITS_PER_DEPLOYMENT = 10_000;
/** Most commit shas one `POST /v1/events` lists over all its deployments. @public */
export const MAX_COMMITS_PER_REQUEST = 200_000;

const deploymentEventSchema = z
  .object({
    type: z.literal('deployment'),
    id,
    entityRef: entityRefSchema,
    environment: z.string().trim().min(1, 'is required').max(100),
    status: z.enum(DORA_DEPLOYMENT_STATUSES),
    startedAt: isoTimestampSchema.optional(),
    finishedAt: isoTimestampSchema,
    commitShas: z.array(sha).max(MAX_COMMITS_PER_DEPLOYMENT),
    url: url.optional(),
    rework: z.boolean().optional(),
    updatedAt,
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.startedAt && event.startedAt > event.finishedAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['startedAt'],
        message: 'must not be after finishedAt',
      });
    }
  });

/** Most lines a pull request may report as added (or deleted). @public */
export const MAX_PULL_REQUEST_LINES = 100_000_000;

const lineCount = z.number().int().min(0).max(MAX_PULL_REQUEST_LINES);

const changeEventSchema = z
  .object({
    type: z.literal('change'),
    id,
    entityRef: entityRefSchema,
    sha,
    authoredAt: isoTimestampSchema.optional(),
    createdAt: isoTimestampSchema.optional(),
    mergedAt: isoTimestampSchema.optional(),
    firstReviewAt: isoTimestampSchema.optional(),
    closedAt: isoTimestampSchema.optional(),
    additions: lineCount.optional(),
    deletions: lineCount.optional(),
    author: z.string().trim().min(1).max(200).optional(),
    url: url.optional(),
    updatedAt,
  })
  .strict()
  .superRefine((event, ctx) => {
    if (!event.authoredAt && !event.createdAt && !event.mergedAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['authoredAt'],
        message:
          'is required when neither createdAt nor mergedAt is given (a plain commit)',
      });
    }
  });

const incidentEventSchema = z
  .object({
    type: z.literal('incident'),
    id,
    entityRef: entityRefSchema,
    createdAt: isoTimestampSchema,
    resolvedAt: isoTimestampSchema.optional(),
    severity: z.string().trim().min(1).max(50).optional(),
    deploymentId: id.optional(),
    url: url.optional(),
    updatedAt,
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.resolvedAt && event.resolvedAt < event.createdAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolvedAt'],
        message: 'must not be before createdAt',
      });
    }
  });

/** The most attempts one pipeline run may have. @public */
export const MAX_PIPELINE_RUN_ATTEMPT = 10_000;

const FINISHED: ReadonlySet<string> = new Set(
  DORA_FINISHED_PIPELINE_RUN_STATUSES,
);

const pipelineRunEventSchema = z
  .object({
    type: z.literal('pipelineRun'),
    id,
    entityRef: entityRefSchema,
    attempt: z.number().int().min(1).max(MAX_PIPELINE_RUN_ATTEMPT),
    pipeline: z.string().trim().min(1, 'is required').max(200),
    branch: z.string().trim().min(1, 'is required').max(255),
    defaultBranch: z.string().trim().min(1, 'is required').max(255),
    sha,
    trigger: z.string().trim().min(1, 'is required').max(100),
    status: z.enum(DORA_PIPELINE_RUN_STATUSES),
    queuedAt: isoTimestampSchema,
    startedAt: isoTimestampSchema.optional(),
    finishedAt: isoTimestampSchema.optional(),
    url: url.optional(),
    updatedAt,
  })
  .strict()
  .superRefine((event, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (event.startedAt && event.startedAt < event.queuedAt)
      issue('startedAt', 'must not be before queuedAt');
    if (
      event.finishedAt &&
      event.finishedAt < (event.startedAt ?? event.queuedAt)
    )
      issue(
        'finishedAt',
        event.startedAt
          ? 'must not be before startedAt'
          : 'must not be before queuedAt',
      );
    if (FINISHED.has(event.status) && !event.finishedAt)
      issue('finishedAt', `is required for a run with status ${event.status}`);
    if (!FINISHED.has(event.status) && event.finishedAt)
      issue('finishedAt', `must be left out while the run is ${event.status}`);
  });

/** One event of `POST /v1/events`; timestamps come out as UTC ISO strings, entity refs canonical. @public */
export const doraEventSchema = z.discriminatedUnion('type', [
  deploymentEventSchema,
  changeEventSchema,
  incidentEventSchema,
  pipelineRunEventSchema,
]);

/** @public */
export type DoraEventInput = z.input<typeof doraEventSchema>;
/** @public */
export type ParsedDoraEvent = z.output<typeof doraEventSchema>;

/** Body of `POST /v1/events`. @public */
export const ingestEventsRequestSchema = z
  .object({
    events: z
      .array(doraEventSchema)
      .min(1, 'must hold at least one event')
      .max(MAX_EVENTS_PER_REQUEST)
      .superRefine((events, ctx) => {
        let shas = 0;
        for (const event of events)
          if (event.type === 'deployment') shas += event.commitShas.length;
        if (shas > MAX_COMMITS_PER_REQUEST) {
          ctx.addIssue({
            code: 'custom',
            message: `the deployments of one request may list at most ${MAX_COMMITS_PER_REQUEST} commit shas in all (${shas} given)`,
          });
        }
      }),
  })
  .strict();

/** @public */
export type IngestEventsRequest = z.input<typeof ingestEventsRequestSchema>;

/** A window bound: an ISO timestamp with a zone, or a date (midnight UTC). @public */
export const windowBoundSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
      const ms = Date.parse(`${value.trim()}T00:00:00Z`);
      // Date.parse rolls a day that does not exist over into the next month (2026-02-30 is March 2): refuse it instead.
      if (
        !Number.isNaN(ms) &&
        new Date(ms).toISOString().slice(0, 10) === value.trim()
      )
        return inRange(value, ms, ctx);
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not a day of the calendar`,
      });
      return z.NEVER;
    }
    const parsed = isoTimestampSchema.safeParse(value);
    if (!parsed.success) {
      const outOfRange = parsed.error.issues.find(issue =>
        issue.message.endsWith(RANGE_MESSAGE),
      );
      ctx.addIssue({
        code: 'custom',
        message:
          outOfRange?.message ??
          `'${value}' is not a date (2026-11-26) or an ISO 8601 timestamp`,
      });
      return z.NEVER;
    }
    return parsed.data;
  });

const DAY_MS = 86_400_000;
/** The longest window the read endpoints take. @public */
export const MAX_WINDOW_DAYS = 1100;
/** The window when `from` and `to` are left out: the 90 days before now. @public */
export const DEFAULT_WINDOW_DAYS = 90;

const windowFields = {
  entityRef: entityRefSchema,
  from: windowBoundSchema.optional(),
  to: windowBoundSchema.optional(),
};

/** Fills the default window and checks its bounds. */
function resolveWindow<Q extends { from?: string; to?: string }>(
  query: Q,
  ctx: {
    addIssue(issue: { code: 'custom'; path: string[]; message: string }): void;
  },
): Q & { from: string; to: string } {
  const to = query.to ? Date.parse(query.to) : Date.now();
  const from = query.from
    ? Date.parse(query.from)
    : to - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (from >= to) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: 'must be before to',
    });
    return z.NEVER;
  }
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: `the window may span at most ${MAX_WINDOW_DAYS} days`,
    });
    return z.NEVER;
  }
  return {
    ...query,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/** Query of `GET /v1/metrics`. @public */
export const metricsQuerySchema = z
  .object({
    ...windowFields,
    benchmark: z.enum(DORA_BENCHMARKS).default('2023'),
  })
  .strict()
  .transform(resolveWindow);

/**
 * Query of `GET /v1/metrics` as the client sends it. `from`/`to`: a date (`2026-11-01`, midnight UTC) or an ISO
 * timestamp; by default the 90 days before now.
 *
 * @public
 */
export interface MetricsQuery {
  entityRef: string;
  from?: string;
  to?: string;
  benchmark?: DoraBenchmark;
}

/** Query of `GET /v1/teams`: every group that owns entities with events, optionally only those of one `spec.type`. @public */
export const teamsQuerySchema = z
  .object({
    from: windowBoundSchema.optional(),
    to: windowBoundSchema.optional(),
    benchmark: z.enum(DORA_BENCHMARKS).default('2023'),
    type: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/teams` as the client sends it. @public */
export interface TeamsQuery {
  from?: string;
  to?: string;
  benchmark?: DoraBenchmark;
  /** Only groups of this `spec.type`, e.g. `team`. */
  type?: string;
}

/** Query of `GET /v1/series`. @public */
export const seriesQuerySchema = z
  .object(windowFields)
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/series` as the client sends it. @public */
export interface SeriesQuery {
  entityRef: string;
  from?: string;
  to?: string;
}

/** Paging of the drill-down lists: `limit` 1–1,000 (default 100), `offset` from 0. @public */
export interface DoraPageQuery {
  limit?: number;
  offset?: number;
}

/**
 * A whole number in a query: decimal digits as the client writes them, or the number the backend's OpenAPI validator
 * already made of them (the spec's `type: integer`). Unlike `z.coerce.number`, `1e2`, `0x10`, `1.0`, ` 7` and an empty
 * value are refused.
 */
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

const paging = {
  limit: queryInteger(1, 1000, 100),
  offset: queryInteger(0, 1_000_000, 0),
};
/** `true` or `false`, as the client writes it or as the backend's OpenAPI validator already read it (`type: boolean`). */
const booleanParam = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform(v => v === 'true'),
]);

/** Query of `GET /v1/deployments`: the counted deployments finished in the window. @public */
export const deploymentsQuerySchema = z
  .object({
    ...windowFields,
    failed: booleanParam.optional(),
    rework: booleanParam.optional(),
    ...paging,
  })
  .strict()
  .transform(resolveWindow);
/** Query of `GET /v1/deployments` as the client sends it. @public */
export interface DeploymentsQuery extends SeriesQuery, DoraPageQuery {
  /** Only the deployments that caused an incident (true) or none (false): behind CFR and failed-deployment recovery. */
  failed?: boolean;
  /** Only the deployments that count as rework (true) or those that do not (false): behind the rework rate. */
  rework?: boolean;
}

/** Query of `GET /v1/changes`: changes whose deployment finished in the window, or of one deployment. @public */
export const changesQuerySchema = z
  .object({ ...windowFields, deploymentId: id.optional(), ...paging })
  .strict()
  .transform(resolveWindow);
/** Query of `GET /v1/changes` as the client sends it. @public */
export interface ChangesQuery extends SeriesQuery, DoraPageQuery {
  /** The changes this deployment shipped, instead of those deployed in the window. */
  deploymentId?: string;
}

/** Which time of an incident the window of `GET /v1/incidents` applies to. @public */
export const DORA_INCIDENT_WINDOWS = ['resolved', 'created'] as const;

/** @public */
export type DoraIncidentWindow = (typeof DORA_INCIDENT_WINDOWS)[number];

/**
 * Query of `GET /v1/incidents`: incidents resolved in the window (behind time to restore), or with `window=created`
 * every incident created in it, resolved or not; or, with `deploymentId`, the incidents linked to that deployment
 * (behind the change failure rate). Without `entityRef`, every entity's.
 *
 * @public
 */
export const incidentsQuerySchema = z
  .object({
    ...windowFields,
    entityRef: entityRefSchema.optional(),
    window: z.enum(DORA_INCIDENT_WINDOWS).default('resolved'),
    deploymentId: id.optional(),
    ...paging,
  })
  .strict()
  .transform(resolveWindow);
/** Query of `GET /v1/incidents` as the client sends it. @public */
export interface IncidentsQuery extends DoraPageQuery {
  /** An entity, or a group for what it owns; every entity's incidents when left out. */
  entityRef?: string;
  from?: string;
  to?: string;
  /** `resolved` (default): the incidents resolved in the window; `created`: those created in it, resolved or not. */
  window?: DoraIncidentWindow;
  /** The incidents linked to this deployment, instead of those of the window. */
  deploymentId?: string;
}

/** Query of `GET /v1/incidents/{id}`: the entity the incident must belong to. @public */
export const incidentQuerySchema = z
  .object({ entityRef: entityRefSchema })
  .strict();

/** Query of `GET /v1/pipelines`: the CI/CD friction figures of the runs queued in the window. @public */
export const pipelinesQuerySchema = z
  .object(windowFields)
  .strict()
  .transform(resolveWindow);
/** Query of `GET /v1/pipelines` as the client sends it. @public */
export interface PipelinesQuery {
  entityRef: string;
  from?: string;
  to?: string;
}

/** Query of `GET /v1/pipelines/runs`: the runs queued in the window behind the figures, newest first. @public */
export const pipelineRunsQuerySchema = z
  .object({
    ...windowFields,
    pipeline: z.string().trim().min(1).max(200).optional(),
    status: z.enum(DORA_PIPELINE_RUN_STATUSES).optional(),
    defaultBranch: booleanParam.optional(),
    flaky: booleanParam.optional(),
    ...paging,
  })
  .strict()
  .transform(resolveWindow);
/** Query of `GET /v1/pipelines/runs` as the client sends it. @public */
export interface PipelineRunsQuery extends PipelinesQuery, DoraPageQuery {
  /** Only the runs of this pipeline. */
  pipeline?: string;
  status?: DoraPipelineRunStatus;
  /** Only the runs on (true) or off (false) the repository's default branch. */
  defaultBranch?: boolean;
  /** Only the flaky failures (true: a later attempt on the same commit passed) or every other run (false). */
  flaky?: boolean;
}

/** Query of `GET /v1/activity`. @public */
export const activityQuerySchema = z
  .object({ entityRef: entityRefSchema })
  .strict();
/** Query of `GET /v1/activity` as the client sends it. @public */
export interface ActivityQuery {
  entityRef: string;
}

/** Query of `GET /v1/health`. @public */
export const healthQuerySchema = z
  .object({ entityRef: entityRefSchema.optional() })
  .strict();
/** Query of `GET /v1/health` as the client sends it; without `entityRef`, everything. @public */
export interface HealthQuery {
  entityRef?: string;
}

/** Query of `GET /v1/flow`: PR cycle time in four parts over the pull requests merged in the window. @public */
export const flowQuerySchema = z
  .object(windowFields)
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/flow` as the client sends it. @public */
export interface FlowQuery {
  entityRef: string;
  from?: string;
  to?: string;
}

/** Query of `GET /v1/flow/pull-requests`: the pull requests behind a flow figure. @public */
export const flowPullRequestsQuerySchema = z
  .object({
    ...windowFields,
    part: z.enum(DORA_FLOW_PARTS).optional(),
    unreviewed: booleanParam.optional(),
    large: booleanParam.optional(),
    ...paging,
  })
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/flow/pull-requests` as the client sends it. @public */
export interface FlowPullRequestsQuery extends FlowQuery, DoraPageQuery {
  /** Only the pull requests with this part (those its median is taken over), longest first. */
  part?: DoraFlowPart;
  /** Only those merged without a review (true) or with one (false). */
  unreviewed?: boolean;
  /** Only those over the large-PR threshold (true) or with a known size at or under it (false). */
  large?: boolean;
}

/** Query of `GET /v1/flow/waiting`: open pull requests waiting for a first review, oldest first. @public */
export const flowWaitingQuerySchema = z
  .object({ entityRef: entityRefSchema, ...paging })
  .strict();

/** Query of `GET /v1/flow/waiting` as the client sends it. @public */
export interface FlowWaitingQuery extends DoraPageQuery {
  entityRef: string;
}

/** Query of `GET /v1/flow/teams`: every group's flow figures, optionally only the groups of one `spec.type`. @public */
export const flowTeamsQuerySchema = z
  .object({
    from: windowBoundSchema.optional(),
    to: windowBoundSchema.optional(),
    type: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .transform(resolveWindow);

/** Query of `GET /v1/flow/teams` as the client sends it. @public */
export interface FlowTeamsQuery {
  from?: string;
  to?: string;
  /** Only groups of this `spec.type`, e.g. `team`. */
  type?: string;
}
