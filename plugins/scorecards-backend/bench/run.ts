/*
 * Benchmark of scorecard evaluation and the read API: 10,000 entities × 3 scorecards × 15 checks, facts from a
 * synthetic in-process provider (so the figure is the engine and the store, not a network).
 *
 *   yarn workspace @vitals/plugin-scorecards-backend bench                         # SQLite file in the temp directory
 *   BENCH_DATABASE=postgres yarn workspace @vitals/plugin-scorecards-backend bench # PostgreSQL, database vitals_bench_scorecards
 *
 * Then, side by side on the same database, the real Tech Insights backend and this plugin answer the same boolean checks
 * for the same BENCH_TI_ENTITIES (200) entities through their own HTTP APIs (see techInsights.ts).
 *
 * Env: BENCH_PG_CONNECTION (default postgresql://postgres@127.0.0.1:5432), BENCH_ENTITIES (default 10000),
 * BENCH_REQUESTS (measured requests per scenario, default 300), BENCH_WARMUP (default 20), BENCH_KEEP=1,
 * BENCH_TI_ENTITIES (default 200; 0 skips the comparison).
 * Exits non-zero when a target is missed: evaluation < 120 s, entity results p95 < 20 ms, org summary p95 < 300 ms.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CheckOperator,
  ScorecardCheck,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { EntityFacts, FactProvider } from '@vitals/plugin-scorecards-node';
import {
  BenchDatabase,
  BenchServer,
  benchSizes,
  latencyTable,
  loadAverageLine,
  openBenchDatabase,
  printFigures,
  RequestScenario,
  runBench,
  serveRouter,
  timeScenarios,
} from '@vitals/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseScorecardsStore } from '../src/database/DatabaseScorecardsStore';
import { createRouter } from '../src/service/router';
import { ScorecardEvaluator } from '../src/service/ScorecardEvaluator';
import {
  compareWithTechInsights,
  ComparisonDatabase,
  ComparisonResult,
} from './techInsights';

const {
  entities: ENTITIES,
  requests: REQUESTS,
  warmup: WARMUP,
  tiEntities: TI_ENTITIES,
} = benchSizes({
  entities: 10_000,
  requests: 300,
  warmup: 20,
  tiEntities: 200,
});
const SCORECARDS = 3;
const CHECKS = 15;
const GROUPS = 50;
const SYSTEMS = 20;
const TARGETS = { evaluationMs: 120_000, entityP95: 20, summaryP95: 300 };

const name = (i: number) => `service-${String(i).padStart(5, '0')}`;
const groupRef = (i: number) =>
  `group:default/team-${String(i).padStart(2, '0')}`;

/**
 * The same database for the Tech Insights comparison's test backend: on PostgreSQL the bench database (a schema per
 * plugin), on SQLite a directory of its own (a file per plugin), removed afterwards unless BENCH_KEEP is set.
 */
function comparisonDatabase(
  db: BenchDatabase,
): ComparisonDatabase & { cleanUp(): void } {
  if (db.kind === 'postgres') {
    return {
      label: db.label.replace(/\)$/, ', a schema per plugin)'),
      config: {
        client: 'pg',
        connection: db.location,
        pluginDivisionMode: 'schema',
      },
      cleanUp() {},
    };
  }
  const directory = path.join(os.tmpdir(), 'vitals-bench-scorecards-ti');
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory);
  return {
    label: `SQLite (better-sqlite3, one file per plugin in ${directory})`,
    config: { client: 'better-sqlite3', connection: { directory } },
    cleanUp() {
      if (!process.env.BENCH_KEEP)
        fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

function makeEntities(): Entity[] {
  return Array.from({ length: ENTITIES }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: name(i),
      namespace: 'default',
      description: 'Benchmark service',
      tags: i % 3 ? ['java'] : ['go'],
    },
    spec: {
      type: 'service',
      lifecycle: i % 10 === 0 ? 'experimental' : 'production',
      owner: groupRef(i % GROUPS),
      system: `system-${i % SYSTEMS}`,
    },
  }));
}

/** Every operator in turn, with thresholds that about 80% of entities pass. */
function makeCheck(card: number, i: number): ScorecardCheck {
  const fact = `synthetic.f${card * CHECKS + i}`;
  const level = ['bronze', 'silver', 'gold', 'platinum', 'diamond'][
    Math.floor(i / 3)
  ];
  const base = {
    id: `check-${i}`,
    title: `Check ${i}`,
    fact,
    level,
    howToFix: 'Fix it.',
  };
  const operators: Array<[CheckOperator, ScorecardCheck['threshold']]> = [
    ['<=', 80],
    ['>=', 20],
    ['<', 80],
    ['>', 20],
    ['==', true],
    ['!=', 'deprecated'],
    ['exists', undefined],
    ['contains', 'owner'],
    ['matches', '^ok'],
  ];
  const [operator, threshold] = operators[i % operators.length];
  return {
    ...base,
    operator,
    ...(threshold === undefined ? {} : { threshold }),
  };
}

const DEFINITIONS: ScorecardDefinition[] = Array.from(
  { length: SCORECARDS },
  (_, card) => ({
    id: `card-${card}`,
    title: `Scorecard ${card}`,
    appliesTo: { kind: ['Component'] },
    levels: ['bronze', 'silver', 'gold', 'platinum', 'diamond'].map(id => ({
      id,
      title: id,
    })),
    checks: Array.from({ length: CHECKS }, (_unused, i) => makeCheck(card, i)),
  }),
);

/** A value for the check with operator number `kind` (see makeCheck) from a pseudo-random r in 0..100. */
function syntheticValue(kind: number, r: number): EntityFacts[string] {
  switch (kind) {
    case 4:
      return r < 85;
    case 5:
      return r < 90 ? 'production' : 'deprecated';
    case 6:
      return r < 95 ? 'x' : null;
    case 7:
      return r < 90 ? ['owner', 'docs'] : ['docs'];
    case 8:
      return r < 85 ? 'ok' : 'bad';
    default:
      return r;
  }
}

/** Deterministic pseudo-random facts, one call per batch like a real provider. */
const syntheticProvider: FactProvider = {
  id: 'synthetic',
  batchSize: 500,
  facts: Array.from({ length: SCORECARDS * CHECKS }, (_, f) => ({
    id: `synthetic.f${f}`,
    type: 'number' as const,
    description: 'synthetic',
  })),
  async getFacts({ entities, factIds }) {
    const out = new Map<string, EntityFacts>();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const seed = Number(entity.metadata.name.slice(-5));
      const facts: EntityFacts = {};
      for (const id of factIds) {
        const f = Number(id.slice('synthetic.f'.length));
        const r = ((seed * 7919 + f * 104729) % 1000) / 10; // 0..99.9
        facts[id] = syntheticValue((f % CHECKS) % 9, r);
      }
      out.set(ref, facts);
    }
    return out;
  },
};

function comparisonLines(c: ComparisonResult, database: string): string[] {
  const fmt = (ms: number) => ms.toFixed(1).padStart(8);
  const row = (
    label: string,
    t: { p50: number; p95: number; totalMs: number },
  ) => `${label.padEnd(66)} ${fmt(t.p50)} ${fmt(t.p95)} ${fmt(t.totalMs)}`;
  return [
    '',
    `Side by side with Tech Insights on ${database}: ${c.entities} entities × ${c.checks} boolean checks, the same ` +
      `outcome on both sides for every entity and check (${c.passes} of ${
        c.entities * c.checks
      } pass); one request ` +
      `at a time, interleaved per entity, ${c.timedPasses} passes (percentiles over all requests, total per pass)`,
    `${'read path'.padEnd(66)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(
      8,
    )} ${'total ms'.padStart(8)}`,
    row('Vitals scorecards  GET /api/scorecards/v1/entities/results', c.ours),
    row(
      'Tech Insights      POST /api/tech-insights/checks/run/:ns/:kind/:name',
      c.theirs,
    ),
    `${'Tech Insights      POST /api/tech-insights/checks/run (all at once)'.padEnd(
      66,
    )} ${''.padStart(8)} ${''.padStart(8)} ${fmt(c.theirsBatchMs)}`,
    `Ratio ours / theirs: total ${(c.ours.totalMs / c.theirs.totalMs).toFixed(
      3,
    )}, p50 ${(c.ours.p50 / c.theirs.p50).toFixed(3)}, ` +
      `p95 ${(c.ours.p95 / c.theirs.p95).toFixed(3)} (Tech Insights is ${(
        c.theirs.totalMs / c.ours.totalMs
      ).toFixed(1)}× slower per entity; ` +
      `its batch call is ${(c.theirsBatchMs / c.ours.totalMs).toFixed(
        1,
      )}× our ${c.entities} single reads)`,
  ];
}

async function main() {
  const db = await openBenchDatabase({ name: 'scorecards' });
  const comparisonDb = comparisonDatabase(db);
  let server: BenchServer | undefined;
  try {
    const store = await DatabaseScorecardsStore.create({
      database: { getClient: async () => db.knex },
    });
    const entities = makeEntities();
    const catalog = catalogServiceMock({ entities });
    const logger = mockServices.rootLogger({ level: 'none' });
    const evaluator = new ScorecardEvaluator({
      store,
      catalog,
      auth: mockServices.auth(),
      logger,
      definitions: DEFINITIONS,
      providers: [syntheticProvider],
    });

    const first = await evaluator.evaluateAll();
    // A second run is the steady state: results exist, history only for changes.
    const second = await evaluator.evaluateAll();
    await db.analyze();

    const router = await createRouter({
      store,
      evaluator,
      catalog,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      },
      logger,
    });
    server = await serveRouter('/api/scorecards', router);

    let n = 0;
    const scenarios: Array<RequestScenario & { target?: number }> = [
      {
        name: 'entity results GET /v1/entities/results?entityRef=<entity>',
        url: () =>
          `/v1/entities/results?entityRef=component:default/${name(
            (n++ * 7919) % ENTITIES,
          )}`,
        target: TARGETS.entityP95,
        check: body => {
          if (
            body.results.length !== SCORECARDS ||
            body.results[0].checks.length !== CHECKS
          )
            throw new Error('bad results');
        },
      },
      {
        name: 'org summary    GET /v1/summary',
        url: () => '/v1/summary',
        target: TARGETS.summaryP95,
        check: body => {
          const total = body.scorecards.reduce(
            (s: number, c: { entities: number }) => s + c.entities,
            0,
          );
          if (total !== ENTITIES * SCORECARDS)
            throw new Error(`summary counts ${total} results`);
          if (body.heatmap.length !== GROUPS * SCORECARDS * CHECKS)
            throw new Error(`heatmap has ${body.heatmap.length} cells`);
        },
      },
      {
        name: 'team summary   GET /v1/summary?owner=<group>',
        url: () => `/v1/summary?owner=${groupRef(n++ % GROUPS)}`,
        check: body => {
          if (body.scorecards.length !== SCORECARDS)
            throw new Error('bad team summary');
        },
      },
      {
        name: 'group roll-up  GET /v1/groups/rollup?groupRef=<group>',
        url: () => `/v1/groups/rollup?groupRef=${groupRef(n++ % GROUPS)}`,
        check: body => {
          if (body.scorecards[0].entities.length !== ENTITIES / GROUPS)
            throw new Error('bad roll-up');
        },
      },
    ];

    const timed = await timeScenarios(server.base, scenarios, {
      requests: REQUESTS,
      warmup: WARMUP,
    });
    const results = timed.map((r, i) => ({
      ...r,
      target: scenarios[i].target,
    }));

    await server.close();
    let comparison: ComparisonResult | undefined;
    if (TI_ENTITIES > 0) {
      comparison = await compareWithTechInsights({
        database: comparisonDb,
        entities: TI_ENTITIES,
        warmup: WARMUP,
      });
    }

    const evalLine = (
      label: string,
      run: { durationMs: number; results: number },
    ) =>
      `${label}: ${(run.durationMs / 1000).toFixed(
        1,
      )} s for ${run.results.toLocaleString('en-US')} results ` +
      `(${((run.results * CHECKS) / 1000).toFixed(
        0,
      )}k check results), target < ${TARGETS.evaluationMs / 1000} s`;
    printFigures([
      `Scorecards benchmark on ${db.label}`,
      `${ENTITIES.toLocaleString(
        'en-US',
      )} entities × ${SCORECARDS} scorecards × ${CHECKS} checks, ${GROUPS} teams, ${SYSTEMS} systems; ` +
        `${REQUESTS} sequential requests per scenario after ${WARMUP} warm-up`,
      evalLine('Full evaluation, first run ', first),
      evalLine('Full evaluation, second run', second),
      '',
      ...latencyTable(
        results.map(r => ({ ...r, note: r.target ? `< ${r.target} ms` : '' })),
        { nameWidth: 58, noteHeader: 'target p95' },
      ),
      ...(comparison ? comparisonLines(comparison, comparisonDb.label) : []),
      '',
      loadAverageLine(),
    ]);
    const missed = [
      ...[first, second]
        .filter(r => r.durationMs > TARGETS.evaluationMs)
        .map(() => 'evaluation'),
      ...results
        .filter(r => r.target && r.p95 > r.target)
        .map(r => r.name.split(/\s{2,}/)[0]),
    ];
    if (missed.length) {
      // eslint-disable-next-line no-console
      console.error(`\nMissed targets: ${missed.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await server?.close();
    await db.cleanUp();
    comparisonDb.cleanUp();
  }
}

// The comparison's test backend leaves timers behind (its scheduler, database pools); the figures are printed.
runBench(main, { exitWhenDone: true });
