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
  BenchServer,
  benchSizes,
  latencyTable,
  openBenchDatabase,
  printFigures,
  RequestScenario,
  runBench,
  seededRandom,
  serveRouter,
  timeScenarios,
} from '@vitals/backend-test-utils';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  DebtCategory,
  DebtStatus,
} from '@vitals/plugin-tech-debt-common';
import { DatabaseTechDebtStore } from '../src/database/DatabaseTechDebtStore';
import { NewDebtItem } from '../src/database/TechDebtStore';
import { createRouter } from '../src/service/router';

const {
  items: ITEMS,
  entities: ENTITIES,
  requests: REQUESTS,
  warmup: WARMUP,
  p95TargetMs: P95_TARGET_MS,
} = benchSizes({
  items: 100_000,
  entities: 5_000,
  requests: 300,
  warmup: 20,
  p95TargetMs: 50,
});
const GROUPS = 50;
const SYSTEMS = 20;

const random = seededRandom(42);
const pick = <T>(values: readonly T[]): T =>
  values[Math.floor(random() * values.length)];

const entityRef = (i: number) =>
  `component:default/service-${String(i).padStart(5, '0')}`;
const groupRef = (i: number) =>
  `group:default/team-${String(i).padStart(2, '0')}`;
const systemRef = (i: number) =>
  `system:default/system-${String(i).padStart(2, '0')}`;

function makeItems(): NewDebtItem[] {
  const statuses: DebtStatus[] = [
    'open',
    'open',
    'open',
    'planned',
    'in_progress',
    'resolved',
    'resolved',
    'wont_fix',
  ];
  const tags = [
    'ci',
    'flaky',
    'security',
    'runtime',
    'refactor',
    'docs',
    'latency',
    'database',
  ];
  return Array.from({ length: ITEMS }, (_, i) => {
    const entity = i % ENTITIES;
    const status = pick(statuses);
    return {
      entityRef: entityRef(entity),
      // A few entities have no owner or system, as in a real catalog.
      ownerRef: entity % 97 === 0 ? null : groupRef(entity % GROUPS),
      systemRef: entity % 13 === 0 ? null : systemRef(entity % SYSTEMS),
      title: `Debt item ${i}: ${pick([
        'upgrade',
        'split',
        'remove',
        'document',
        'test',
        'migrate',
      ])} ${pick(['the client', 'the module', 'the pipeline', 'the schema'])}`,
      description: 'Benchmark item.',
      category: pick(DEBT_CATEGORIES) as DebtCategory,
      impact: 1 + Math.floor(random() * 5),
      effortDays: pick([0.5, 1, 2, 3, 5, 8, 13, 20]),
      interestHoursPerMonth: random() < 0.3 ? null : Math.floor(random() * 20),
      status: DEBT_STATUSES.includes(status) ? status : 'open',
      assignee: null,
      trackerUrl: null,
      tags:
        random() < 0.4
          ? []
          : [pick(tags), pick(tags)].filter(
              (t, k, all) => all.indexOf(t) === k,
            ),
    };
  });
}

async function main() {
  const db = await openBenchDatabase({ name: 'tech-debt' });
  let server: BenchServer | undefined;
  try {
    const database: DatabaseService = { getClient: async () => db.knex };
    const store = await DatabaseTechDebtStore.create({ database });

    const items = makeItems();
    const seedStart = process.hrtime.bigint();
    // Several calls, as a real import would; each is one transaction.
    for (let offset = 0; offset < items.length; offset += 20_000) {
      await store.importItems(
        items.slice(offset, offset + 20_000),
        'user:default/bench',
      );
    }
    const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;
    await db.analyze();

    const router = await createRouter({
      store,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock({ entities: [] }),
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      },
      logger: mockServices.rootLogger({ level: 'none' }),
    });
    server = await serveRouter('/api/tech-debt', router);

    const scenarios: RequestScenario[] = [
      {
        name: 'entity list   GET /v1/items?entityRef=<entity>',
        url: () =>
          `/v1/items?entityRef=${entityRef(Math.floor(random() * ENTITIES))}`,
        check: body => {
          if (body.totalCount !== ITEMS / ENTITIES)
            throw new Error(
              `expected ${ITEMS / ENTITIES} items, got ${body.totalCount}`,
            );
        },
      },
      {
        name: 'org register  GET /v1/items?limit=100',
        url: () => '/v1/items?limit=100',
        check: body => {
          if (body.totalCount !== ITEMS || body.items.length !== 100)
            throw new Error('bad org register page');
        },
      },
      {
        name: 'team open     GET /v1/items?owner=<group>&status=open',
        url: () =>
          `/v1/items?owner=${groupRef(
            Math.floor(random() * GROUPS),
          )}&status=open`,
        check: body => {
          if (!(body.totalCount > 0)) throw new Error('team has no open items');
        },
      },
      {
        name: 'summary       GET /v1/summary?entityRef=<entity>',
        url: () =>
          `/v1/summary?entityRef=${entityRef(Math.floor(random() * ENTITIES))}`,
        check: body => {
          if (typeof body.openCount !== 'number')
            throw new Error('bad summary');
        },
      },
    ];

    const results = await timeScenarios(server.base, scenarios, {
      requests: REQUESTS,
      warmup: WARMUP,
    });

    printFigures([
      `Tech-debt API benchmark on ${db.label}`,
      `${ITEMS.toLocaleString('en-US')} items over ${ENTITIES.toLocaleString(
        'en-US',
      )} entities, ${GROUPS} groups, ${SYSTEMS} systems; ` +
        `${REQUESTS} sequential requests per scenario after ${WARMUP} warm-up`,
      `Seed (store.importItems): ${(seedMs / 1000).toFixed(1)} s`,
      '',
      ...latencyTable(results, { nameWidth: 52 }),
    ]);
    const missed = results.filter(r => r.p95 > P95_TARGET_MS);
    if (missed.length) {
      // eslint-disable-next-line no-console
      console.error(
        `\np95 over the ${P95_TARGET_MS} ms target: ${missed
          .map(r => r.name.split(/\s{2,}/)[0])
          .join(', ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await server?.close();
    await db.cleanUp();
  }
}

runBench(main);
