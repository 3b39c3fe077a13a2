/*
 * The load of the two-replica benchmark, over plain HTTP on the loopback interface: CI posting batches of events, and
 * people reading the org page and entity pages. Every loop is bounded by a count (and the readers also by the end of
 * the load they run beside).
 */
import { summarize } from '@vitals/backend-test-utils';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface Target {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
}

/**
 * A day of new delivery history for existing entities, in batches of `batchSize` JSON bodies ready to send: per
 * deployment three changes (sent first, as CI sends a merge before it deploys) and now and then an incident. Consecutive
 * deployments belong to consecutive entities, so that batches sent at once touch different entities, as CI pipelines
 * of different services do.
 */
export function ingestBatches(options: {
  events: number;
  batchSize: number;
  entities: number;
  entityRef: (index: number) => string;
  /** The end of the day the events fall in (epoch ms). */
  now: number;
  /** Starts every event id, so that another phase's events are new ones (default `replica-bench`). */
  idPrefix?: string;
}): Array<{ body: string; events: number }> {
  const { events: total, batchSize, entities, entityRef, now } = options;
  const prefix = options.idPrefix ?? 'replica-bench';
  const bodies: Array<{ body: string; events: number }> = [];
  let batch: object[] = [];
  let count = 0;
  const push = (event: object) => {
    batch.push(event);
    count++;
    if (batch.length === batchSize) {
      bodies.push({
        body: JSON.stringify({ events: batch }),
        events: batch.length,
      });
      batch = [];
    }
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let n = 0; count < total; n++) {
    // The last deployment may take the total a few events past `events`.
    const ref = entityRef(n % entities);
    const finishedAt = now - DAY + (n % 1000) * 60_000;
    const shas = [0, 1, 2].map(c => `${prefix}-${n}-${c}`);
    for (const sha of shas) {
      push({
        type: 'change',
        id: sha,
        entityRef: ref,
        sha,
        authoredAt: iso(finishedAt - 5 * HOUR),
        createdAt: iso(finishedAt - 4 * HOUR),
        mergedAt: iso(finishedAt - HOUR),
      });
    }
    push({
      type: 'deployment',
      id: `${prefix}-${n}`,
      entityRef: ref,
      environment: 'production',
      status: 'success',
      finishedAt: iso(finishedAt),
      commitShas: shas,
    });
    if (n % 20 === 0)
      push({
        type: 'incident',
        id: `${prefix}-${n}-i`,
        entityRef: ref,
        createdAt: iso(finishedAt + 600_000),
      });
  }
  if (batch.length > 0)
    bodies.push({
      body: JSON.stringify({ events: batch }),
      events: batch.length,
    });
  return bodies;
}

export interface IngestResult {
  events: number;
  batches: number;
  seconds: number;
  eventsPerSecond: number;
  /** Per-batch latency, ms. */
  p50: number;
  p95: number;
  max: number;
}

/**
 * Posts every batch once, `postersPerTarget` requests in flight per target, the batches dealt out in turn; fails on the
 * first answer other than 200 (an ingest that drops batches must not count as fast). With `eventsPerSecond`, a batch
 * is not sent before its time at that rate (the events before it divided by the rate, from the start): CI at a steady
 * pace instead of as fast as the replicas take it. A batch that falls behind its time is sent at once.
 */
export async function postBatches(options: {
  targets: Target[];
  bodies: Array<{ body: string; events: number }>;
  postersPerTarget: number;
  token: string;
  eventsPerSecond?: number;
}): Promise<IngestResult> {
  const { targets, bodies, token, eventsPerSecond } = options;
  let next = 0;
  let events = 0;
  let scheduled = 0;
  const latencies: number[] = [];
  let begin = 0;
  const poster = async (target: Target) => {
    while (next < bodies.length) {
      const index = next++;
      if (eventsPerSecond) {
        const due = begin + (scheduled / eventsPerSecond) * 1000;
        scheduled += bodies[index].events;
        const wait = due - performance.now();
        if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
      }
      const start = performance.now();
      const res = await fetch(`${target.url}/api/dora/v1/events`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
        },
        body: bodies[index].body,
      });
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(
          `POST /v1/events to ${target.url}: ${res.status} ${text.slice(
            0,
            300,
          )}`,
        );
      latencies.push(performance.now() - start);
      events += bodies[index].events;
    }
  };
  begin = performance.now();
  await Promise.all(
    targets.flatMap(target =>
      Array.from({ length: options.postersPerTarget }, () => poster(target)),
    ),
  );
  const seconds = (performance.now() - begin) / 1000;
  const { p50, p95, max } = summarize(latencies);
  return {
    events,
    batches: bodies.length,
    seconds,
    eventsPerSecond: events / seconds,
    p50,
    p95,
    max,
  };
}

export interface ReadResult {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The first request's latency (what the first reader after a change waits). */
  first: number;
  lastBody: any;
}

/**
 * One client reading `path()` from its target, one request after the other: `requests` times, or until `until` says
 * stop (checked before each request) when given. Fails on any answer other than 200 or one `check` rejects.
 */
export async function readSequentially(options: {
  target: Target;
  path: () => string;
  token: string;
  requests: number;
  until?: () => boolean;
  check?: (body: any) => void;
}): Promise<{ timings: number[]; lastBody: any }> {
  const timings: number[] = [];
  let lastBody: any;
  for (let i = 0; i < options.requests && !(options.until?.() ?? false); i++) {
    const path = options.path();
    const start = performance.now();
    const get = () =>
      fetch(`${options.target.url}${path}`, {
        headers: { Authorization: `Bearer ${options.token}` },
      });
    // A kept-alive connection the server closed just as it was reused fails at once: asked again on a new one (as a
    // browser does), the wait counted from the first try.
    const res = await get().catch(error => {
      if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error;
      return get();
    });
    const body = await res.json();
    timings.push(performance.now() - start);
    if (res.status !== 200)
      throw new Error(
        `GET ${path} on ${options.target.url}: ${res.status} ${JSON.stringify(
          body,
        ).slice(0, 300)}`,
      );
    options.check?.(body);
    lastBody = body;
  }
  return { timings, lastBody };
}

/** Latency figures of several clients' timings together (`first` is the slowest of their first requests). */
export function readFigures(
  clients: Array<{ timings: number[]; lastBody: any }>,
  warmup = 0,
): ReadResult {
  const all = clients.flatMap(c => c.timings.slice(warmup));
  if (all.length === 0) throw new Error('no request completed');
  const sorted = [...all].sort((a, b) => a - b);
  const p99 = sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)];
  const { count, p50, p95, max } = summarize(all);
  return {
    count,
    p50,
    p95,
    p99,
    max,
    first: Math.max(...clients.map(c => c.timings[0] ?? 0)),
    lastBody: clients[0].lastBody,
  };
}
