import { hasControlCharacter, normalizeEntityRef } from '@vitals/common';
import {
  DORA_DEPLOYMENT_STATUSES,
  MAX_COMMITS_PER_DEPLOYMENT,
  MAX_PULL_REQUEST_LINES,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';

/*
 * A fast path for the events CI sends: `doraEventSchema` (zod) costs tens of milliseconds per 1,000 events, most of a
 * batch's validation. `fastParseDoraEvent` checks the same rules by hand for an event in the usual form (timestamps in
 * UTC as toISOString() writes them, text without leading or trailing spaces, no unknown fields) and returns what the
 * schema returns for it; for anything else, valid or not, it returns undefined and the caller asks the schema, which
 * words the error. It never accepts what the schema refuses: fastEventParse.test.ts checks both against each other.
 */

const STATUSES: ReadonlySet<string> = new Set(DORA_DEPLOYMENT_STATUSES);

const DEPLOYMENT_KEYS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'entityRef',
  'environment',
  'status',
  'startedAt',
  'finishedAt',
  'commitShas',
  'url',
  'rework',
  'updatedAt',
]);
const CHANGE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'entityRef',
  'sha',
  'authoredAt',
  'createdAt',
  'mergedAt',
  'firstReviewAt',
  'closedAt',
  'additions',
  'deletions',
  'author',
  'url',
  'updatedAt',
]);
const INCIDENT_KEYS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'entityRef',
  'createdAt',
  'resolvedAt',
  'severity',
  'deploymentId',
  'url',
  'updatedAt',
]);

/** Marks a field the fast path does not vouch for: the schema decides. */
const UNSURE = Symbol('unsure');
type Checked<T> = T | typeof UNSURE;

/** `z.string().trim().min(1).max(max)`. */
function text(value: unknown, max: number): Checked<string> {
  if (typeof value !== 'string') return UNSURE;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : UNSURE;
}

/** As {@link text}, for an optional field: absent stays absent. */
function optionalText(
  value: unknown,
  max: number,
): Checked<string | undefined> {
  return value === undefined ? undefined : text(value, max);
}

// UTC with milliseconds, as toISOString() writes it (the form the timestamp schema keeps as it is).
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/**
 * A timestamp the schema returns unchanged: at most 64 characters, trimmed it is UTC in toISOString()'s form, within
 * 1970..2099, on a day every month has and a time every day has. Any other form is left to the schema.
 */
function timestamp(value: unknown): Checked<string> {
  if (typeof value !== 'string' || value.length > 64) return UNSURE;
  const trimmed = value.trim();
  const m = CANONICAL.exec(trimmed);
  if (!m) return UNSURE;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  return year >= 1970 &&
    year <= 2099 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    +m[4] <= 23 &&
    +m[5] <= 59 &&
    +m[6] <= 59
    ? trimmed
    : UNSURE;
}

function optionalTimestamp(value: unknown): Checked<string | undefined> {
  return value === undefined ? undefined : timestamp(value);
}

/** `z.number().int().min(0).max(MAX_PULL_REQUEST_LINES)`, optional. */
function optionalLines(value: unknown): Checked<number | undefined> {
  if (value === undefined) return undefined;
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_PULL_REQUEST_LINES
    ? value
    : UNSURE;
}

const URL_FORM = /^https?:\/\/\S+$/i;

/** `z.boolean().optional()`. */
function optionalBoolean(value: unknown): Checked<boolean | undefined> {
  if (value === undefined) return undefined;
  return typeof value === 'boolean' ? value : UNSURE;
}

function optionalUrl(value: unknown): Checked<string | undefined> {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return UNSURE;
  const trimmed = value.trim();
  return trimmed.length <= 2048 && URL_FORM.test(trimmed) ? trimmed : UNSURE;
}

/** `entityRefSchema`: trimmed, 1..512 characters, no control characters, a ref with a kind; canonical. */
function entityRef(value: unknown): Checked<string> {
  if (typeof value !== 'string') return UNSURE;
  const trimmed = value.trim();
  if (
    trimmed.length < 1 ||
    trimmed.length > 512 ||
    hasControlCharacter(trimmed)
  )
    return UNSURE;
  return normalizeEntityRef(trimmed) ?? UNSURE;
}

function onlyKeys(
  event: Record<string, unknown>,
  allowed: ReadonlySet<string>,
): boolean {
  // A field given as undefined (never in JSON) is left to the schema, which keeps it in its output.
  for (const key of Object.keys(event))
    if (!allowed.has(key) || event[key] === undefined) return false;
  return true;
}

/** The fields that were given, without the absent ones; undefined when any of them is {@link UNSURE}. */
function assemble<T>(fields: Record<string, unknown>): T | undefined {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === UNSURE) return undefined;
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/**
 * What `doraEventSchema.safeParse(value)` returns as data, for an event in the usual form; undefined for anything
 * else (an invalid event, or a valid one in another form), which the schema must then parse.
 */
export function fastParseDoraEvent(
  value: unknown,
): ParsedDoraEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return undefined;
  const event = value as Record<string, unknown>;
  switch (event.type) {
    case 'deployment': {
      if (!onlyKeys(event, DEPLOYMENT_KEYS)) return undefined;
      const shas = event.commitShas;
      if (!Array.isArray(shas) || shas.length > MAX_COMMITS_PER_DEPLOYMENT)
        return undefined;
      const commitShas: string[] = new Array(shas.length);
      for (let i = 0; i < shas.length; i++) {
        const sha = text(shas[i], 100);
        if (sha === UNSURE) return undefined;
        commitShas[i] = sha;
      }
      const status = event.status;
      if (typeof status !== 'string' || !STATUSES.has(status)) return undefined;
      const parsed = assemble<Extract<ParsedDoraEvent, { type: 'deployment' }>>(
        {
          type: 'deployment',
          id: text(event.id, 200),
          entityRef: entityRef(event.entityRef),
          environment: text(event.environment, 100),
          status,
          startedAt: optionalTimestamp(event.startedAt),
          finishedAt: timestamp(event.finishedAt),
          commitShas,
          url: optionalUrl(event.url),
          rework: optionalBoolean(event.rework),
          updatedAt: optionalTimestamp(event.updatedAt),
        },
      );
      if (parsed?.startedAt && parsed.startedAt > parsed.finishedAt)
        return undefined;
      return parsed;
    }
    case 'change': {
      if (!onlyKeys(event, CHANGE_KEYS)) return undefined;
      const parsed = assemble<Extract<ParsedDoraEvent, { type: 'change' }>>({
        type: 'change',
        id: text(event.id, 200),
        entityRef: entityRef(event.entityRef),
        sha: text(event.sha, 100),
        authoredAt: optionalTimestamp(event.authoredAt),
        createdAt: optionalTimestamp(event.createdAt),
        mergedAt: optionalTimestamp(event.mergedAt),
        firstReviewAt: optionalTimestamp(event.firstReviewAt),
        closedAt: optionalTimestamp(event.closedAt),
        additions: optionalLines(event.additions),
        deletions: optionalLines(event.deletions),
        author: optionalText(event.author, 200),
        url: optionalUrl(event.url),
        updatedAt: optionalTimestamp(event.updatedAt),
      });
      if (parsed && !parsed.authoredAt && !parsed.createdAt && !parsed.mergedAt)
        return undefined;
      return parsed;
    }
    case 'incident': {
      if (!onlyKeys(event, INCIDENT_KEYS)) return undefined;
      const parsed = assemble<Extract<ParsedDoraEvent, { type: 'incident' }>>({
        type: 'incident',
        id: text(event.id, 200),
        entityRef: entityRef(event.entityRef),
        createdAt: timestamp(event.createdAt),
        resolvedAt: optionalTimestamp(event.resolvedAt),
        severity: optionalText(event.severity, 50),
        deploymentId: optionalText(event.deploymentId, 200),
        url: optionalUrl(event.url),
        updatedAt: optionalTimestamp(event.updatedAt),
      });
      if (parsed?.resolvedAt && parsed.resolvedAt < parsed.createdAt)
        return undefined;
      return parsed;
    }
    default:
      return undefined;
  }
}
