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
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { BenchServer, benchSizes, loadAverage, openBenchDatabase, printFigures, runBench, seededRandom, serveRouter, timeRequests } from '@vitals/backend-test-utils';
import { leadTimeParts } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { DatabaseDoraStore } from '../src/database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../src/ingest/DoraIngestService';
import { createRouter } from '../src/service/router';

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
const MINUTE = 60_000;

const entityRef = (i: number) => `component:default/service-${String(i).padStart(5, '0')}`;
const groupRef = (g: number) => `group:default/team-${String(g).padStart(3, '0')}`;

const random = seededRandom(7);

/** A catalog of ENTITIES components owned by teams of GROUP_SIZE, answering only what the router asks. */
function benchCatalog(): CatalogService {
  const entity = (ref: string): Entity => {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, namespace }, relations: [] };
  };
  const known = (ref: string) => {
    const m = /^component:default\/service-(\d+)$/.exec(ref);
    return m ? Number(m[1]) < ENTITIES : /^group:default\/team-\d+$/.test(ref);
  };
  return {
    async getEntityByRef(ref: string | { kind: string; namespace?: string; name: string }) {
      const text = typeof ref === 'string' ? ref : `${ref.kind}:${ref.namespace ?? 'default'}/${ref.name}`;
      return known(text) ? entity(text) : undefined;
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return { items: request.entityRefs.map(r => (known(r) ? entity(r) : undefined)) };
    },
    // GET /v1/teams reads every group with its relations.
    async queryEntities() {
      const groups = Array.from({ length: Math.ceil(ENTITIES / GROUP_SIZE) }, (_, g) => ({
        ...entity(groupRef(g)),
        spec: { type: 'team' },
        relations: Array.from({ length: GROUP_SIZE }, (__, k) => g * GROUP_SIZE + k)
          .filter(i => i < ENTITIES)
          .map(i => ({ type: 'ownerOf', targetRef: entityRef(i) })),
      }));
      return { items: groups, totalItems: groups.length, pageInfo: {} };
    },
    async getEntities(request: { filter?: Array<Record<string, string>> }) {
      const groups = (request.filter ?? []).map(f => Number(/team-(\d+)/.exec(f['relations.ownedBy'])?.[1]));
      const items = groups.flatMap(g =>
        Array.from({ length: GROUP_SIZE }, (_, k) => g * GROUP_SIZE + k).filter(i => i < ENTITIES).map(i => entity(entityRef(i))),
      );
      return { items };
    },
  } as unknown as CatalogService;
}

type Db = Knex | Knex.Transaction;

/** Rows per insert statement: large enough that per-statement overhead vanishes, small enough to keep memory flat. */
const BULK_ROWS = 25_000;

/**
 * Bulk insert: the rows of a statement travel as one JSON parameter expanded by PostgreSQL
 * (`json_populate_recordset`), far less to bind, send and parse than a multi-row VALUES list of the same rows.
 */
async function insertAll(db: Db, table: string, rows: object[]): Promise<void> {
  // Awaited here, once: a knex query runs again every time it is awaited.
  await db.raw('insert into ?? select * from json_populate_recordset(null::??, ?)', [table, table, JSON.stringify(rows)]);
}

/**
 * Bulk-loads a year of history per entity, computing links and lead times the way the ingest path does. Everything is
 * one transaction; the secondary indexes are dropped first and built once at the end (one sort per index instead of
 * millions of B-tree insertions), and while PostgreSQL inserts one batch the next is generated.
 */
async function seed(knex: Knex, now: number) {
  const perEntity = Math.ceil(DEPLOYMENTS / ENTITIES);
  const incidentChance = INCIDENTS / DEPLOYMENTS;
  const totals = { deployments: 0, changes: 0, incidents: 0 };
  const timings = { insertSeconds: 0, indexSeconds: 0 };
  await knex.transaction(async tx => {
    await tx.raw("set local maintenance_work_mem = '512MB'");
    const tables = ['dora_deployments', 'dora_deployment_commits', 'dora_changes', 'dora_incidents', 'dora_entities'];
    const indexes: Array<{ indexname: string; indexdef: string }> = (
      await tx.raw(
        `select i.indexname, i.indexdef from pg_indexes i
         where i.tablename = any(?) and not exists (
           select 1 from pg_constraint c where c.conname = i.indexname and c.contype in ('p', 'u'))`,
        [tables],
      )
    ).rows;
    for (const index of indexes) await tx.raw('drop index ??', [index.indexname]);

    const insertStart = Date.now();
    let pending: Promise<unknown> = Promise.resolve();
    const buffers: Record<string, object[]> = Object.fromEntries(tables.map(t => [t, []]));
    // Sends what a table has gathered once the previous statement is done, without waiting for this one: the next
    // rows are generated meanwhile.
    const send = async (table: string, force = false) => {
      const rows = buffers[table];
      if (rows.length === 0 || (!force && rows.length < BULK_ROWS)) return;
      buffers[table] = [];
      await pending;
      pending = insertAll(tx, table, rows);
      // Awaited before the next statement; this only keeps a failure from counting as unhandled in between.
      pending.catch(() => undefined);
    };
    const push = async (table: string, row: object) => {
      buffers[table].push(row);
      await send(table);
    };

    for (let e = 0; e < ENTITIES && totals.deployments < DEPLOYMENTS; e++) {
      const ref = entityRef(e);
      const gap = (365 * DAY) / perEntity;
      let previous = now - 366 * DAY;
      await push('dora_entities', { entity_ref: ref, first_event_at: now, last_event_at: now });
      for (let d = 0; d < perEntity && totals.deployments < DEPLOYMENTS; d++) {
        const finishedAt = Math.round(now - 365 * DAY + d * gap + random() * gap * 0.5);
        const id = `e${e}-d${d}`;
        const failed = random() < incidentChance;
        await push('dora_deployments', { id, entity_ref: ref, environment: 'production', status: 'success', started_at: finishedAt - 10 * MINUTE, finished_at: finishedAt, url: null, commit_count: CHANGES_PER_DEPLOYMENT, counted: 1, failed: failed ? 1 : 0, received_at: now });
        totals.deployments++;
        for (let c = 0; c < CHANGES_PER_DEPLOYMENT; c++) {
          const sha = `${id}-c${c}`;
          const mergedAt = Math.round(previous + random() * (finishedAt - previous));
          const createdAt = mergedAt - Math.round(random() * 2 * DAY);
          const authoredAt = createdAt - Math.round(random() * 3 * DAY);
          const parts = leadTimeParts({ authoredAt, createdAt, mergedAt, firstReviewAt: null, deployedAt: finishedAt });
          await push('dora_deployment_commits', { deployment_id: id, entity_ref: ref, sha });
          await push('dora_changes', {
            id: sha, entity_ref: ref, sha, authored_at: authoredAt, created_at: createdAt, merged_at: mergedAt, first_review_at: null,
            author: null, url: null, deployment_id: id, deployed_at: finishedAt, coding_minutes: parts.codingMinutes,
            pickup_minutes: null, review_minutes: null, merge_minutes: parts.mergeMinutes, deploy_minutes: parts.deployMinutes,
            lead_time_minutes: parts.leadTimeMinutes, received_at: now,
          });
          totals.changes++;
        }
        if (failed) {
          const createdAt = finishedAt + 30 * MINUTE;
          const resolvedAt = createdAt + Math.round(random() * 600) * MINUTE;
          await push('dora_incidents', { id: `${id}-i`, entity_ref: ref, created_at: createdAt, resolved_at: resolvedAt, severity: null, url: null, deployment_id: null, linked_deployment_id: id, restore_minutes: (resolvedAt - createdAt) / MINUTE, received_at: now });
          totals.incidents++;
        }
        previous = finishedAt;
      }
    }
    for (const table of tables) await send(table, true);
    await pending;
    timings.insertSeconds = (Date.now() - insertStart) / 1000;

    const indexStart = Date.now();
    for (const index of indexes) await tx.raw(index.indexdef);
    timings.indexSeconds = (Date.now() - indexStart) / 1000;
  });
  return { ...totals, ...timings };
}

/** Sums the time of every SQL statement during ingestion by its first words, to see where a batch spends its time. */
function profileQueries(knex: Knex) {
  const started = new Map<string, bigint>();
  const totals = new Map<string, { count: number; ms: number }>();
  const kindOf = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)/g, '(?...)').slice(0, 110);
  let recording = false;
  knex.on('query', (q: any) => {
    if (recording) started.set(q.__knexQueryUid, process.hrtime.bigint());
  });
  knex.on('query-response', (_r: unknown, q: any) => {
    const start = started.get(q.__knexQueryUid);
    if (start === undefined) return;
    started.delete(q.__knexQueryUid);
    const total = totals.get(kindOf(q.sql)) ?? { count: 0, ms: 0 };
    total.count++;
    total.ms += Number(process.hrtime.bigint() - start) / 1e6;
    totals.set(kindOf(q.sql), total);
  });
  return {
    start() {
      recording = true;
    },
    report(seconds: number) {
      recording = false;
      const sorted = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const sqlMs = sorted.reduce((sum, [, t]) => sum + t.ms, 0);
      const lines = sorted.slice(0, 25).map(([sql, t]) => `${t.ms.toFixed(0).padStart(8)} ms ${String(t.count).padStart(6)}x  ${sql}`);
      // eslint-disable-next-line no-console
      console.log([`Ingest profile: ${(seconds * 1000).toFixed(0)} ms in total, ${sqlMs.toFixed(0)} ms in SQL`, ...lines].join('\n'));
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
    const profile = process.env.BENCH_PROFILE ? profileQueries(knex) : undefined;
    const now = Math.floor(Date.now() / DAY) * DAY;

    const seedStart = Date.now();
    const loadAtStart = loadAverage();
    const totals = await seed(knex, now - 2 * DAY);
    // What autovacuum does to a table after a large insert: statistics, and the visibility map that lets the reads use
    // index-only scans. A bulk-loaded table without it is a state production does not stay in.
    await knex.raw('vacuum analyze');
    const seedSeconds = (Date.now() - seedStart) / 1000;

    // Writes publish on an in-process events service, as in a backend with no events backend.
    const eventsService = DefaultEventsService.create({ logger: mockServices.rootLogger({ level: 'none' }), useEventBus: 'never' }).forPlugin('dora');
    const router = await createRouter({
      store,
      ingest: new PublishingDoraIngestService({ store, events: eventsService, logger: mockServices.rootLogger({ level: 'none' }) }),
      httpAuth: mockServices.httpAuth(),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      catalog: benchCatalog(),
      auditor: { createEvent: async () => ({ success: async () => {}, fail: async () => {} }) },
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
        events.push({ type: 'change', id: sha, entityRef: ref, sha, authoredAt: new Date(finishedAt - 5 * 3600_000).toISOString(), createdAt: new Date(finishedAt - 4 * 3600_000).toISOString(), mergedAt: new Date(finishedAt - 3600_000).toISOString() });
      }
      events.push({ type: 'deployment', id: `ingest-${n}`, entityRef: ref, environment: 'production', status: 'success', finishedAt: new Date(finishedAt).toISOString(), commitShas: shas });
      if (n % 20 === 0) events.push({ type: 'incident', id: `ingest-${n}-i`, entityRef: ref, createdAt: new Date(finishedAt + 600_000).toISOString() });
    }
    profile?.start();
    const ingestStart = Date.now();
    for (let i = 0; i < events.length; i += 1000) {
      const res = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: events.slice(i, i + 1000) }),
      });
      if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
    }
    const ingestSeconds = (Date.now() - ingestStart) / 1000;
    profile?.report(ingestSeconds);
    await knex.raw('analyze');

    const to = new Date(now).toISOString();
    const from = new Date(now - 90 * DAY).toISOString();
    const groups = Math.ceil(ENTITIES / GROUP_SIZE);
    const scenarios = [
      { name: 'entity, 90 days   GET /v1/metrics?entityRef=<component>', url: () => `/v1/metrics?entityRef=${entityRef(Math.floor(random() * ENTITIES))}&from=${from}&to=${to}` },
      { name: `group of ${GROUP_SIZE}, 90 days GET /v1/metrics?entityRef=<group>`, url: () => `/v1/metrics?entityRef=${groupRef(Math.floor(random() * groups))}&from=${from}&to=${to}` },
      {
        name: `all ${groups} teams, 90 days GET /v1/teams`,
        url: () => `/v1/teams?from=${from}&to=${to}`,
        requests: TEAMS_REQUESTS,
        summary: (body: any) => {
          const sum = (f: (m: any) => number) => body.teams.reduce((total: number, t: any) => total + f(t.metrics), 0);
          return `${body.teams.length} teams, ${sum(m => m.deploymentFrequency.deployments)} deployments, ${sum(m => m.leadTimeForChanges.changes)} changes`;
        },
      },
    ] as Array<{ name: string; url: () => string; requests?: number; summary?: (body: any) => string }>;
    const results: string[] = [];
    for (const scenario of scenarios) {
      const requests = scenario.requests ?? REQUESTS;
      const timed = await timeRequests(base, scenario, { requests, warmup: Math.min(20, Math.ceil(requests / 5)) });
      const sample = timed.lastBody;
      results.push(
        `${scenario.name.padEnd(62)} p50 ${timed.p50.toFixed(1).padStart(6)} ms  p95 ${timed.p95.toFixed(1).padStart(6)} ms  ` +
          `(${timed.count} requests; last: ${scenario.summary ? scenario.summary(sample) : `${sample.deploymentFrequency.deployments} deployments, ${sample.leadTimeForChanges.changes} changes`})`,
      );
    }
    printFigures([
      `DORA API benchmark on ${db.label}; load average (1, 5, 15 min) at the start ${loadAtStart}, at the end ${loadAverage()}`,
      `Dataset: ${totals.deployments.toLocaleString('en-US')} deployments, ${totals.changes.toLocaleString('en-US')} changes, ` +
        `${totals.incidents.toLocaleString('en-US')} incidents over ${ENTITIES.toLocaleString('en-US')} entities (bulk load ${seedSeconds.toFixed(0)} s: ` +
        `inserts ${totals.insertSeconds.toFixed(0)} s, indexes ${totals.indexSeconds.toFixed(0)} s, vacuum analyze and the rest ${(seedSeconds - totals.insertSeconds - totals.indexSeconds).toFixed(0)} s)`,
      `Ingest through HTTP: ${events.length.toLocaleString('en-US')} events in batches of 1,000: ${ingestSeconds.toFixed(1)} s = ` +
        `${Math.round(events.length / ingestSeconds).toLocaleString('en-US')} events/s`,
      ...results,
    ]);
  } finally {
    await server?.close();
    await db.cleanUp();
  }
}

runBench(main);
