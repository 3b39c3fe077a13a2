import { InputError } from '@backstage/errors';
import {
  doraEventSchema,
  ingestEventsRequestSchema,
  MAX_COMMITS_PER_REQUEST,
  MAX_EVENTS_PER_REQUEST,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { z } from 'zod';
import { fastParseDoraEvent } from '../ingest/fastEventParse';

/** `events[3].finishedAt`: the path of a bad field the way the JSON body reads. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) =>
      typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`,
    )
    .join('');
}

/** At most this many problems are listed in one message; a batch of 5,000 bad events would otherwise be megabytes. */
const MAX_ISSUES = 10;

/**
 * Parses request input with a zod schema; a failure is a 400 whose message names each bad field with its position,
 * e.g. `Invalid events: events[3].finishedAt: Invalid input`.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw invalid(what, result.error.issues);
  return result.data;
}

/** The 400 for these issues: each bad field with its position, at most {@link MAX_ISSUES} of them. */
function invalid(
  what: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): InputError {
  const text = issues
    .slice(0, MAX_ISSUES)
    .map(issue => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
  const more =
    issues.length > MAX_ISSUES
      ? `; and ${issues.length - MAX_ISSUES} more`
      : '';
  return new InputError(`Invalid ${what}: ${text}${more}`);
}

/** Events validated in one go by {@link parseEventsRequest}; between two steps the process serves other requests. */
const EVENTS_PER_STEP = 100;

/**
 * `parseInput(ingestEventsRequestSchema, body, 'events')`, with the same result and the same 400s, but validating the
 * events a hundred at a time and letting the event loop run in between: 5,000 events take tens of milliseconds to
 * validate, and reads served by the same process would wait that long.
 */
export async function parseEventsRequest(
  body: unknown,
): Promise<{ events: ParsedDoraEvent[] }> {
  const events =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).length === 1
      ? (body as { events?: unknown }).events
      : undefined;
  if (
    !Array.isArray(events) ||
    events.length < 1 ||
    events.length > MAX_EVENTS_PER_REQUEST
  ) {
    // Whatever is wrong with the request as a whole, the schema says it.
    return parseInput(ingestEventsRequestSchema, body, 'events');
  }
  const parsed: ParsedDoraEvent[] = [];
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_STEP) {
    if (start > 0) await new Promise(resolve => setImmediate(resolve));
    const end = Math.min(start + EVENTS_PER_STEP, events.length);
    for (let index = start; index < end; index++) {
      // Events in the usual form are checked by hand (the same rules, a fraction of the time); the schema parses the
      // others and words the errors.
      const fast = fastParseDoraEvent(events[index]);
      if (fast) {
        parsed.push(fast);
        continue;
      }
      const result = doraEventSchema.safeParse(events[index]);
      if (result.success) {
        parsed.push(result.data);
        continue;
      }
      for (const issue of result.error.issues) {
        issues.push({
          path: ['events', index, ...issue.path],
          message: issue.message,
        });
      }
    }
  }
  if (issues.length > 0) throw invalid('events', issues);
  let shas = 0;
  for (const event of parsed)
    if (event.type === 'deployment') shas += event.commitShas.length;
  // The limit over the whole request: the schema words that refusal.
  if (shas > MAX_COMMITS_PER_REQUEST)
    return parseInput(ingestEventsRequestSchema, body, 'events');
  return { events: parsed };
}

/** `EntityRef`'s pattern in src/schema/openapi.yaml. */
const SPEC_ENTITY_REF =
  // eslint-disable-next-line no-control-regex
  /^[^\x00-\x1f\x7f:/]+:([^\x00-\x1f\x7f/]+\/)?[^\x00-\x1f\x7f/][^\x00-\x1f\x7f]*$/u;

/**
 * Whether an event the fast path accepted is one the OpenAPI spec accepts too: the fast path measures text once
 * trimmed, the spec as sent, so every text must be sent trimmed; and the entity ref must match the spec's pattern.
 */
function inSpecForm(event: Record<string, unknown>): boolean {
  for (const key of Object.keys(event)) {
    const value = event[key];
    if (typeof value === 'string') {
      if (value.trim() !== value) return false;
    } else if (Array.isArray(value)) {
      for (const item of value)
        if (typeof item !== 'string' || item.trim() !== item) return false;
    }
  }
  return SPEC_ENTITY_REF.test(event.entityRef as string);
}

/**
 * The events of a body every one of whose events the fast path accepts in the form the OpenAPI spec accepts (what CI
 * sends), parsed as {@link parseEventsRequest} parses them; undefined for any other body, valid or not, which then goes
 * through the OpenAPI validator and {@link parseEventsRequest} (their 400s word the errors). Such a body passes the
 * validator, so `POST /v1/events` skips its pass over every event.
 */
export async function parseEventsInUsualForm(
  body: unknown,
): Promise<ParsedDoraEvent[] | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return undefined;
  const keys = Object.keys(body);
  const events = (body as { events?: unknown }).events;
  if (
    keys.length !== 1 ||
    keys[0] !== 'events' ||
    !Array.isArray(events) ||
    events.length < 1 ||
    events.length > MAX_EVENTS_PER_REQUEST
  )
    return undefined;
  const parsed: ParsedDoraEvent[] = new Array(events.length);
  let shas = 0;
  for (let start = 0; start < events.length; start += EVENTS_PER_STEP) {
    if (start > 0) await new Promise(resolve => setImmediate(resolve));
    const end = Math.min(start + EVENTS_PER_STEP, events.length);
    for (let index = start; index < end; index++) {
      const event = fastParseDoraEvent(events[index]);
      if (!event || !inSpecForm(events[index])) return undefined;
      if (event.type === 'deployment') shas += event.commitShas.length;
      parsed[index] = event;
    }
  }
  return shas > MAX_COMMITS_PER_REQUEST ? undefined : parsed;
}
