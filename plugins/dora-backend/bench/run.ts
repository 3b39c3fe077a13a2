/*
 * Benchmark of the DORA API on PostgreSQL: a large history bulk-loaded into the store's tables (with the link and
 * lead-time columns the ingest path maintains), then
 *   1. ingestion through HTTP, POST /v1/events in batches of 1,000, events/s;
 *   2. GET /v1/metrics for one entity over 90 days, p50/p95;
 *   3. GET /v1/metrics for a group of 200 entities over 90 days, p50/p95;
 *   4. GET /v1/teams, every team (25 groups of 200 entities) over 90 days in one request, p50/p95.
 *
 *   yarn workspace @vitals/plugin-dora-backend bench
 *
 * Env: BENCH_PG_CONNECTION (default postgresql://postgres@127.0.0.1:5432), BENCH_ENTITIES (5000),
 * BENCH_DEPLOYMENTS (1,000,000), BENCH_CHANGES_PER_DEPLOYMENT (3), BENCH_INCIDENTS (50,000), BENCH_INGEST_EVENTS
 * (100,000), BENCH_REQUESTS (200), BENCH_TEAMS_REQUESTS (50), BENCH_KEEP=1 keeps the database (vitals_bench_dora) for looking at plans,
 * BENCH_PROFILE=1 prints where ingestion spends its time (SQL statements by kind, and the time outside the store).
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  BenchServer,
  benchSizes,
  loadAverage,
  openBenchDatabase,
  printFigures,
  runBench,
  seededRandom,
  serveRouter,
  timeRequests,
} from '@vitals/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs';
import { DatabaseDoraStore } from '../src/database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../src/ingest/DoraIngestService';
import { createRouter } from '../src/service/router';
import { benchCatalog, entityRef, groupRef } from './catalog';
import { loadHistory } from './history';

const {
  entities: ENTITIES,
  deployments: DEPLOYMENTS,
  changesPerDeployment: CHANGES_PER_DEPLOYMENT,
  incidents: INCIDENTS,
  ingestEvents: INGEST_EVENTS,
  requests: REQUESTS,
  teamsRequests: TEAMS_REQUESTS,
} = benchSizes({
  entities: 5000,
  deployments: 1_000_000,
  changesPerDeployment: 3,
  incidents: 50_000,
  ingestEvents: 100_000,
  requests: 200,
  teamsRequests: 50,
});
const GROUP_SIZE = 200;
const DAY = 86_400_000;

const random = seededRandom(7);

/** User + system CPU time of a process (the PostgreSQL backend of a connection), ms; 0 when it cannot be read. */
function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Sums the time of every SQL statement during ingestion by its first words, to see where a batch spends its time: the
 * time until the answer, and the CPU time of the PostgreSQL process that ran it (read from /proc on Linux, in 10 ms
 * ticks: a single statement reads as 0 or 10 ms, their sums are right on average).
 */
function profileQueries(knex: Knex) {
  const started = new Map<string, { at: bigint; pid?: number; cpu: number }>();
  const totals = new Map<
    string,
    { count: number; ms: number; cpuMs: number }
  >();
  const pids = new Map<string, number>();
  const kindOf = (sql: string) =>
    sql
      .replace(/\s+/g, ' ')
      .replace(/\(\?(, \?)*\)/g, '(?...)')
      .slice(0, 110);
  let recording = false;
  let nodeCpuAtStart = 0;
  (knex.client as any).pool.on(
    'acquireSuccess',
    (_id: unknown, connection: any) => {
      if (connection?.processID)
        pids.set(connection.__knexUid, connection.processID);
    },
  );
  knex.on('query', (q: any) => {
    if (!recording) return;
    const pid = pids.get(q.__knexUid);
    started.set(q.__knexQueryUid, {
      at: process.hrtime.bigint(),
      pid,
      cpu: pid ? processCpuMs(pid) : 0,
    });
  });
  knex.on('query-response', (_r: unknown, q: any) => {
    const start = started.get(q.__knexQueryUid);
    if (start === undefined) return;
    started.delete(q.__knexQueryUid);
    const total = totals.get(kindOf(q.sql)) ?? { count: 0, ms: 0, cpuMs: 0 };
    total.count++;
    total.ms += Number(process.hrtime.bigint() - start.at) / 1e6;
    total.cpuMs += start.pid ? processCpuMs(start.pid) - start.cpu : 0;
    totals.set(kindOf(q.sql), total);
  });
  const nodeCpu = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  return {
    start() {
      recording = true;
      nodeCpuAtStart = nodeCpu();
    },
    report(seconds: number, events: number) {
      recording = false;
      const sorted = [...totals.entries()].sort(
        (a, b) => b[1].cpuMs - a[1].cpuMs,
      );
      const sqlMs = sorted.reduce((sum, [, t]) => sum + t.ms, 0);
      const pgCpu = sorted.reduce((sum, [, t]) => sum + t.cpuMs, 0);
      const node = nodeCpu() - nodeCpuAtStart;
      const lines = sorted
        .slice(0, 25)
        .map(
          ([sql, t]) =>
            `${t.cpuMs.toFixed(0).padStart(7)} ms CPU ${t.ms
              .toFixed(0)
              .padStart(7)} ms ${String(t.count).padStart(6)}x  ${sql}`,
        );
      // eslint-disable-next-line no-console
      console.log(
        [
          `Ingest profile: ${(seconds * 1000).toFixed(
            0,
          )} ms in total, ${sqlMs.toFixed(
            0,
          )} ms waiting for SQL; CPU: this process ` +
            `${node.toFixed(0)} ms, PostgreSQL ${pgCpu.toFixed(0)} ms = ${(
              ((node + pgCpu) / events) *
              1000
            ).toFixed(0)} ms per 1,000 events`,
          ...lines,
        ].join('\n'),
      );
    },
  };
}

async function main() {
  // The bulk load and the seed's SQL are PostgreSQL's own.
  const db = await openBenchDatabase({ name: 'dora', postgresOnly: true });
  const knex = db.knex;
  let server: BenchServer | undefined;
  try {
    const database: DatabaseService = { getClient: async () => knex };
    const store = await DatabaseDoraStore.create({ database });
    const profile = process.env.BENCH_PROFILE
      ? profileQueries(knex)
      : undefined;
    const now = Math.floor(Date.now() / DAY) * DAY;

    const seedStart = Date.now();
    const loadAtStart = loadAverage();
    const totals = await loadHistory(knex, {
      entities: ENTITIES,
      deployments: DEPLOYMENTS,
      changesPerDeployment: CHANGES_PER_DEPLOYMENT,
      incidents: INCIDENTS,
      now: now - 2 * DAY,
      entityRef,
      random,
    });
    // What autovacuum does to a table after a large insert: statistics, and the visibility map that lets the reads use
    // index-only scans. A bulk-loaded table without it is a state production does not stay in.
    await knex.raw('vacuum analyze');
    const seedSeconds = (Date.now() - seedStart) / 1000;

    // Writes publish on an in-process events service, as in a backend with no events backend.
    const eventsService = DefaultEventsService.create({
      logger: mockServices.rootLogger({ level: 'none' }),
      useEventBus: 'never',
    }).forPlugin('dora');
    const router = await createRouter({
      store,
      ingest: new PublishingDoraIngestService({
        store,
        events: eventsService,
        logger: mockServices.rootLogger({ level: 'none' }),
      }),
      httpAuth: mockServices.httpAuth(),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      catalog: benchCatalog({ entities: ENTITIES, teamSize: GROUP_SIZE }),
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      },
      logger: mockServices.rootLogger({ level: 'none' }),
    });
    server = await serveRouter('/api/dora', router);
    const base = server.base;

    // 1. Ingest: a day of new history for existing entities: per deployment 3 changes, now and then an incident.
    const events: object[] = [];
    for (let n = 0; events.length < INGEST_EVENTS; n++) {
      const ref = entityRef(n % ENTITIES);
      const finishedAt = now - DAY + (n % 1000) * 60_000;
      const shas = [0, 1, 2].map(c => `ingest-${n}-${c}`);
      for (const sha of shas) {
        events.push({
          type: 'change',
          id: sha,
          entityRef: ref,
          sha,
          authoredAt: new Date(finishedAt - 5 * 3600_000).toISOString(),
          createdAt: new Date(finishedAt - 4 * 3600_000).toISOString(),
          mergedAt: new Date(finishedAt - 3600_000).toISOString(),
        });
      }
      events.push({
        type: 'deployment',
        id: `ingest-${n}`,
        entityRef: ref,
        environment: 'production',
        status: 'success',
        finishedAt: new Date(finishedAt).toISOString(),
        commitShas: shas,
      });
      if (n % 20 === 0)
        events.push({
          type: 'incident',
          id: `ingest-${n}-i`,
          entityRef: ref,
          createdAt: new Date(finishedAt + 600_000).toISOString(),
        });
    }
    profile?.start();
    const ingestStart = Date.now();
    for (let i = 0; i < events.length; i += 1000) {
      const res = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: events.slice(i, i + 1000) }),
      });
      if (res.status !== 200)
        throw new Error(`ingest: ${res.status} ${await res.text()}`);
    }
    const ingestSeconds = (Date.now() - ingestStart) / 1000;
    profile?.report(ingestSeconds, events.length);
    await knex.raw('analyze');

    const to = new Date(now).toISOString();
    const from = new Date(now - 90 * DAY).toISOString();
    const groups = Math.ceil(ENTITIES / GROUP_SIZE);
    const scenarios = [
      {
        name: 'entity, 90 days   GET /v1/metrics?entityRef=<component>',
        url: () =>
          `/v1/metrics?entityRef=${entityRef(
            Math.floor(random() * ENTITIES),
          )}&from=${from}&to=${to}`,
      },
      {
        name: `group of ${GROUP_SIZE}, 90 days GET /v1/metrics?entityRef=<group>`,
        url: () =>
          `/v1/metrics?entityRef=${groupRef(
            Math.floor(random() * groups),
          )}&from=${from}&to=${to}`,
      },
      {
        name: `all ${groups} teams, 90 days GET /v1/teams`,
        url: () => `/v1/teams?from=${from}&to=${to}`,
        requests: TEAMS_REQUESTS,
        summary: (body: any) => {
          const sum = (f: (m: any) => number) =>
            body.teams.reduce(
              (total: number, t: any) => total + f(t.metrics),
              0,
            );
          return `${body.teams.length} teams, ${sum(
            m => m.deploymentFrequency.deployments,
          )} deployments, ${sum(m => m.leadTimeForChanges.changes)} changes`;
        },
      },
    ] as Array<{
      name: string;
      url: () => string;
      requests?: number;
      summary?: (body: any) => string;
    }>;
    const results: string[] = [];
    for (const scenario of scenarios) {
      const requests = scenario.requests ?? REQUESTS;
      const timed = await timeRequests(base, scenario, {
        requests,
        warmup: Math.min(20, Math.ceil(requests / 5)),
      });
      const sample = timed.lastBody;
      results.push(
        `${scenario.name.padEnd(62)} p50 ${timed.p50
          .toFixed(1)
          .padStart(6)} ms  p95 ${timed.p95.toFixed(1).padStart(6)} ms  ` +
          `(${timed.count} requests; last: ${
            scenario.summary
              ? scenario.summary(sample)
              : `${sample.deploymentFrequency.deployments} deployments, ${sample.leadTimeForChanges.changes} changes`
          })`,
      );
    }
    printFigures([
      `DORA API benchmark on ${
        db.label
      }; load average (1, 5, 15 min) at the start ${loadAtStart}, at the end ${loadAverage()}`,
      `Dataset: ${totals.deployments.toLocaleString(
        'en-US',
      )} deployments, ${totals.changes.toLocaleString('en-US')} changes, ` +
        `${totals.incidents.toLocaleString(
          'en-US',
        )} incidents over ${ENTITIES.toLocaleString(
          'en-US',
        )} entities (bulk load ${seedSeconds.toFixed(0)} s: ` +
        `inserts ${totals.insertSeconds.toFixed(
          0,
        )} s, indexes ${totals.indexSeconds.toFixed(
          0,
        )} s, vacuum analyze and the rest ${(
          seedSeconds -
          totals.insertSeconds -
          totals.indexSeconds
        ).toFixed(0)} s)`,
      `Ingest through HTTP: ${events.length.toLocaleString(
        'en-US',
      )} events in batches of 1,000: ${ingestSeconds.toFixed(1)} s = ` +
        `${Math.round(events.length / ingestSeconds).toLocaleString(
          'en-US',
        )} events/s`,
      ...results,
    ]);
  } finally {
    await server?.close();
    await db.cleanUp();
  }
}

runBench(main);
