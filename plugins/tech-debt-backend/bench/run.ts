/*
 * Benchmark of the tech-debt register API on a large register: 100,000 items over 5,000 entities.
 *
 *   yarn bench:tech-debt                         # SQLite file in the temp directory
 *   BENCH_DATABASE=postgres yarn bench:tech-debt # PostgreSQL, database vitals_bench_tech_debt (created and dropped)
 *
 * Env: BENCH_PG_CONNECTION (default postgresql://postgres@127.0.0.1:5432), BENCH_ITEMS, BENCH_ENTITIES,
 * BENCH_REQUESTS (measured requests per scenario, default 300), BENCH_WARMUP (default 20), BENCH_KEEP=1 to keep the
 * database afterwards for looking at query plans.
 * Exits non-zero when a scenario's p95 is over BENCH_P95_TARGET_MS (default 50).
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  DebtCategory,
  DebtStatus,
} from '@vitals/plugin-tech-debt-common';
import express from 'express';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { DatabaseTechDebtStore } from '../src/database/DatabaseTechDebtStore';
import { NewDebtItem } from '../src/database/TechDebtStore';
import { createRouter } from '../src/service/router';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 5_000);
const GROUPS = 50;
const SYSTEMS = 20;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const P95_TARGET_MS = Number(process.env.BENCH_P95_TARGET_MS ?? 50);
const PG_DATABASE = 'vitals_bench_tech_debt';

/** Deterministic pseudo-random numbers, so that runs are comparable. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];

const entityRef = (i: number) => `component:default/service-${String(i).padStart(5, '0')}`;
const groupRef = (i: number) => `group:default/team-${String(i).padStart(2, '0')}`;
const systemRef = (i: number) => `system:default/system-${String(i).padStart(2, '0')}`;

interface BenchDatabase {
  label: string;
  knex: Knex;
  cleanUp(): Promise<void>;
}

async function openDatabase(): Promise<BenchDatabase> {
  const kind = (process.env.BENCH_DATABASE ?? 'sqlite').toLowerCase();
  if (kind === 'sqlite') {
    const filename = path.join(os.tmpdir(), 'vitals-bench-tech-debt.sqlite');
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${filename}${suffix}`, { force: true });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    return {
      label: `SQLite (better-sqlite3, ${filename})`,
      knex,
      async cleanUp() {
        await knex.destroy();
        if (process.env.BENCH_KEEP) return;
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${filename}${suffix}`, { force: true });
      },
    };
  }
  if (kind === 'postgres' || kind === 'pg' || kind === 'postgresql') {
    const connection = process.env.BENCH_PG_CONNECTION ?? 'postgresql://postgres@127.0.0.1:5432';
    const admin = knexFactory({ client: 'pg', connection });
    await admin.raw('drop database if exists ??', [PG_DATABASE]);
    await admin.raw('create database ??', [PG_DATABASE]);
    const url = new URL(connection);
    url.pathname = `/${PG_DATABASE}`;
    const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
    const version = (await knex.raw('show server_version')).rows[0].server_version;
    return {
      label: `PostgreSQL ${version} (${PG_DATABASE})`,
      knex,
      async cleanUp() {
        await knex.destroy();
        if (!process.env.BENCH_KEEP) await admin.raw('drop database if exists ??', [PG_DATABASE]);
        await admin.destroy();
      },
    };
  }
  throw new Error(`BENCH_DATABASE must be sqlite or postgres, got '${kind}'`);
}

function makeItems(): NewDebtItem[] {
  const statuses: DebtStatus[] = ['open', 'open', 'open', 'planned', 'in_progress', 'resolved', 'resolved', 'wont_fix'];
  const tags = ['ci', 'flaky', 'security', 'runtime', 'refactor', 'docs', 'latency', 'database'];
  return Array.from({ length: ITEMS }, (_, i) => {
    const entity = i % ENTITIES;
    const status = pick(statuses);
    return {
      entityRef: entityRef(entity),
      // A few entities have no owner or system, as in a real catalog.
      ownerRef: entity % 97 === 0 ? null : groupRef(entity % GROUPS),
      systemRef: entity % 13 === 0 ? null : systemRef(entity % SYSTEMS),
      title: `Debt item ${i}: ${pick(['upgrade', 'split', 'remove', 'document', 'test', 'migrate'])} ${pick(['the client', 'the module', 'the pipeline', 'the schema'])}`,
      description: 'Benchmark item.',
      category: pick(DEBT_CATEGORIES) as DebtCategory,
      impact: 1 + Math.floor(random() * 5),
      effortDays: pick([0.5, 1, 2, 3, 5, 8, 13, 20]),
      interestHoursPerMonth: random() < 0.3 ? null : Math.floor(random() * 20),
      status: DEBT_STATUSES.includes(status) ? status : 'open',
      assignee: null,
      trackerUrl: null,
      tags: random() < 0.4 ? [] : [pick(tags), pick(tags)].filter((t, k, all) => all.indexOf(t) === k),
    };
  });
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function main() {
  const db = await openDatabase();
  let server: ReturnType<express.Express['listen']> | undefined;
  try {
    const database: DatabaseService = { getClient: async () => db.knex };
    const store = await DatabaseTechDebtStore.create({ database });

    const items = makeItems();
    const seedStart = process.hrtime.bigint();
    // Several calls, as a real import would; each is one transaction.
    for (let offset = 0; offset < items.length; offset += 20_000) {
      await store.importItems(items.slice(offset, offset + 20_000), 'user:default/bench');
    }
    const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;
    if (db.knex.client.config.client === 'pg') {
      await db.knex.raw('analyze');
    }

    const router = await createRouter({
      store,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock({ entities: [] }),
      auditor: {
        createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
      },
      logger: mockServices.rootLogger({ level: 'none' }),
    });
    const app = express().use('/api/tech-debt', router);
    server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tech-debt`;

    const scenarios: Array<{ name: string; url: () => string; check: (body: any) => void }> = [
      {
        name: 'entity list   GET /v1/items?entityRef=<entity>',
        url: () => `/v1/items?entityRef=${entityRef(Math.floor(random() * ENTITIES))}`,
        check: body => {
          if (body.totalCount !== ITEMS / ENTITIES) throw new Error(`expected ${ITEMS / ENTITIES} items, got ${body.totalCount}`);
        },
      },
      {
        name: 'org register  GET /v1/items?limit=100',
        url: () => '/v1/items?limit=100',
        check: body => {
          if (body.totalCount !== ITEMS || body.items.length !== 100) throw new Error('bad org register page');
        },
      },
      {
        name: 'team open     GET /v1/items?owner=<group>&status=open',
        url: () => `/v1/items?owner=${groupRef(Math.floor(random() * GROUPS))}&status=open`,
        check: body => {
          if (!(body.totalCount > 0)) throw new Error('team has no open items');
        },
      },
      {
        name: 'summary       GET /v1/summary?entityRef=<entity>',
        url: () => `/v1/summary?entityRef=${entityRef(Math.floor(random() * ENTITIES))}`,
        check: body => {
          if (typeof body.openCount !== 'number') throw new Error('bad summary');
        },
      },
    ];

    const results: Array<{ name: string; p50: number; p95: number; max: number }> = [];
    for (const scenario of scenarios) {
      const timings: number[] = [];
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const start = process.hrtime.bigint();
        const res = await fetch(`${base}${scenario.url()}`);
        const body = await res.json();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (res.status !== 200) throw new Error(`${scenario.name}: ${res.status} ${JSON.stringify(body)}`);
        scenario.check(body);
        if (i >= WARMUP) timings.push(ms);
      }
      timings.sort((a, b) => a - b);
      results.push({ name: scenario.name, p50: percentile(timings, 50), p95: percentile(timings, 95), max: timings[timings.length - 1] });
    }

    const fmt = (ms: number) => ms.toFixed(1).padStart(7);
    const lines = [
      `Tech-debt API benchmark on ${db.label}`,
      `${ITEMS.toLocaleString('en-US')} items over ${ENTITIES.toLocaleString('en-US')} entities, ${GROUPS} groups, ${SYSTEMS} systems; ` +
        `${REQUESTS} sequential requests per scenario after ${WARMUP} warm-up`,
      `Seed (store.importItems): ${(seedMs / 1000).toFixed(1)} s`,
      '',
      `${'scenario'.padEnd(52)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}`,
      ...results.map(r => `${r.name.padEnd(52)} ${fmt(r.p50)} ${fmt(r.p95)} ${fmt(r.max)}`),
    ];
    // eslint-disable-next-line no-console
    console.log(lines.join('\n'));
    const missed = results.filter(r => r.p95 > P95_TARGET_MS);
    if (missed.length) {
      // eslint-disable-next-line no-console
      console.error(`\np95 over the ${P95_TARGET_MS} ms target: ${missed.map(r => r.name.split(/\s{2,}/)[0]).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    if (server) await new Promise(resolve => server!.close(resolve));
    await db.cleanUp();
  }
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
