/*
 * DORA under load on two replicas of the real portal backend sharing one PostgreSQL:
 *   1. the DORA org page, GET /v1/teams?type=team over the catalog's teams (10,000 entities), two clients at once;
 *   2. ingestion through HTTP, POST /v1/events in batches of 1,000 sent to both replicas at once, events/s in total;
 *   3. during that ingestion, GET /v1/metrics of one entity (another entity each time), p99;
 *   4. the same reads while CI posts at steady paces below what the machine takes (BENCH_INGEST_RATES), with the share
 *      of the machine's cores busy at each pace.
 *
 *   yarn bench:dora-replicas
 *
 * It writes the organisation (components owned by teams in departments) to a catalog file in a temp directory, starts
 * two portal backends on a fresh database prefix (scripts/replicas/lib.mjs), bulk-loads a year of delivery history into
 * the DORA database while the catalog reads the file, waits until the org page lists every team with all its entities,
 * measures, then stops both processes by process group and drops the prefix's databases. Everything runs on the
 * loopback interface; every loop is bounded.
 *
 * Env: BENCH_PG_CONNECTION or VITALS_REPLICAS_PG_CONNECTION (default postgresql://postgres@127.0.0.1:5432),
 * BENCH_ENTITIES (10,000), BENCH_TEAM_SIZE (200), BENCH_DEPLOYMENTS (1,000,000 over the year),
 * BENCH_CHANGES_PER_DEPLOYMENT (3), BENCH_INCIDENTS (50,000), BENCH_INGEST_EVENTS (200,000), BENCH_POSTERS (2 requests
 * in flight per replica), BENCH_TEAMS_REQUESTS (30 per client), BENCH_METRICS_REQUESTS (at most 20,000),
 * BENCH_INGEST_RATES (the paces of step 4 in events/s, comma-separated; default 2000,4000,6000; empty for none),
 * BENCH_PACED_EVENTS (events posted at each pace, 30,000), BENCH_KEEP=1 keeps the databases (the processes are stopped all the same), BENCH_CPU_PROF=<dir> writes a V8 CPU
 * profile of each backend while the org page is read (<dir>/a-1.cpuprofile, b-1.cpuprofile) and during the ingestion
 * (a-2, b-2; see cpuProfile.cjs), BENCH_MAX_CONCURRENT_WRITES sets dora.ingest.maxConcurrentWrites (default none: no limit).
 */
import {
  benchSizes,
  loadAverage,
  printFigures,
  runBench,
  seededRandom,
} from '@vitals/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadHistory } from '../history';
import { cpuSnapshot, cpuSpent, CpuSpent } from './cpu';
import {
  ingestBatches,
  postBatches,
  readFigures,
  readSequentially,
  ReadResult,
} from './load';
import { BenchOrg, componentRef, teamCount, writeOrgFile } from './org';

const sizes = benchSizes({
  entities: 10_000,
  teamSize: 200,
  deployments: 1_000_000,
  changesPerDeployment: 3,
  incidents: 50_000,
  ingestEvents: 200_000,
  posters: 2,
  teamsRequests: 30,
  metricsRequests: 20_000,
  pacedEvents: 30_000,
});

/** The paces of the steady-rate phases (events/s in total): `BENCH_INGEST_RATES`, a comma-separated list, `` for none. */
const ingestRates = (process.env.BENCH_INGEST_RATES ?? '2000,4000,6000')
  .split(',')
  .filter(text => text.trim() !== '')
  .map(text => {
    const rate = Number(text);
    if (!(rate > 0))
      throw new Error(
        `BENCH_INGEST_RATES must list numbers above 0, got '${text}'`,
      );
    return rate;
  });

const TARGETS = { ingestPerSecond: 20_000, teamsP95: 300, metricsP99: 20 };
const BATCH = 1000;
const DAY = 86_400_000;
const WINDOW_DAYS = 90;

/** What this bench uses of scripts/replicas/lib.mjs (an ES module, loaded at run time). */
interface Replica {
  name: string;
  url: string;
  pid: number;
  logFile: string;
}
interface ReplicasLib {
  uniquePrefix(label: string): string;
  startReplica(options: {
    name: string;
    prefix: string;
    demo: boolean;
    config: object;
    logDir: string;
    env?: Record<string, string>;
  }): Promise<Replica>;
  waitReady(
    replica: Replica,
    options?: { timeoutMs?: number },
  ): Promise<number>;
  stopReplica(replica: Replica): Promise<void>;
  dropDatabases(prefix: string): Promise<number>;
  pluginDatabase(prefix: string, pluginId: string): string;
  queryPluginDatabase(
    prefix: string,
    pluginId: string,
    sql: string,
    params?: unknown[],
  ): Promise<any[]>;
  pgConnectionString(): string;
  guestToken(replica: Replica): Promise<string>;
  CI_TOKEN: string;
}

async function loadReplicasLib(): Promise<ReplicasLib> {
  const file = path.resolve(__dirname, '../../../../scripts/replicas/lib.mjs');
  return import(pathToFileURL(file).href);
}

const log = (line: string) =>
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The portal's config for the bench: the generated organisation as the only catalog location, read once (the catalog's
 * periodic reprocessing of 10,000 entities, every 100-150 s by default, is the catalog's load, not DORA's), and the
 * other Vitals plugins' scheduled sweeps over the catalog moved past the few minutes measured.
 */
/** A scheduled task of another plugin moved past the run. */
const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 20 },
  initialDelay: { hours: 2 },
};

function benchConfig(orgFile: string) {
  return {
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
      locations: [{ type: 'file', target: orgFile }],
      processingInterval: { hours: 2 },
    },
    ownership: { schedules: { snapshot: LATER } },
    techDebt: { schedules: { catalogSync: LATER } },
    onboarding: { schedules: { templatesRefresh: LATER } },
    // No scorecards: their evaluation at start-up reads every entity's DORA figures over HTTP (10,000 entities) while
    // the history loads and the load runs.
    scorecards: { definitionFiles: [], schedules: { evaluate: LATER } },
    // Their first runs read the DORA database (the incidents, the metrics of every goal) while the history loads.
    postmortems: {
      schedules: {
        incidentSync: LATER,
        followThrough: LATER,
        templatesRefresh: { ...LATER, scope: 'local' },
      },
    },
    goals: { schedules: { snapshot: LATER } },
    dora: {
      // The flow org page's kept figures are computed again every 5 minutes for the groups written since: work per
      // refresh (all 55 groups here, whatever the number of events), not per event, which would land in the
      // 10-30 s of ingestion and be counted per event. README: its cost, measured apart.
      schedules: { flowTeamFigures: LATER },
      ...(process.env.BENCH_MAX_CONCURRENT_WRITES
        ? {
            ingest: {
              maxConcurrentWrites: Number(
                process.env.BENCH_MAX_CONCURRENT_WRITES,
              ),
            },
          }
        : {}),
    },
  };
}

/** Polls `probe` every `intervalMs` until it returns true, at most until `timeoutMs`. */
async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  intervalMs = 2000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const seconds = (v: number) => `${(v / 1000).toFixed(1)} s`;

/** `CPU a 12.3 s, b 11.0 s, PostgreSQL 20.1 s (dora 12.0 s, onboarding 7.1 s), bench 1.2 s`. */
function cpuLine(spent: CpuSpent): string {
  const byDatabase = [...spent.postgresByDatabase]
    .filter(([, v]) => v >= 100)
    .sort((x, y) => y[1] - x[1])
    .map(([database, v]) => `${database} ${seconds(v)}`)
    .join(', ');
  const backends = [...spent.backends]
    .map(([name, v]) => `${name} ${seconds(v)}`)
    .join(', ');
  return `CPU ${backends}, PostgreSQL ${seconds(
    spent.postgres,
  )} (${byDatabase}), bench ${seconds(spent.bench)}`;
}
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
const thousands = (v: number) => Math.round(v).toLocaleString('en-US');

async function main() {
  const lib = await loadReplicasLib();
  const org: BenchOrg = {
    entities: sizes.entities,
    teamSize: sizes.teamSize,
    teamsPerDepartment: 10,
  };
  const teams = teamCount(org);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitals-dora-replicas-'));
  const orgFile = writeOrgFile(dir, org);
  const prefix = lib.uniquePrefix('dora_bench');
  const replicas: Replica[] = [];
  let knex: Knex | undefined;
  const figures: string[] = [];
  try {
    // One after the other: replicas starting together on an empty prefix race for the migrations.
    for (const name of ['a', 'b']) {
      const profile = process.env.BENCH_CPU_PROF;
      const env = profile
        ? {
            NODE_OPTIONS: `--require ${path.join(__dirname, 'cpuProfile.cjs')}`,
            BENCH_CPU_PROF_DIR: path.resolve(profile),
            BENCH_CPU_PROF_NAME: name,
          }
        : undefined;
      const replica = await lib.startReplica({
        name,
        prefix,
        demo: false,
        config: benchConfig(orgFile),
        logDir: dir,
        env,
      });
      replicas.push(replica);
      const waited = await lib.waitReady(replica, { timeoutMs: 600_000 });
      log(
        `replica ${name} ready on ${replica.url} after ${(
          waited / 1000
        ).toFixed(0)} s (log ${replica.logFile})`,
      );
    }

    // The history goes straight into the DORA database while the catalog reads the organisation.
    const url = new URL(
      process.env.BENCH_PG_CONNECTION ?? lib.pgConnectionString(),
    );
    url.pathname = `/${lib.pluginDatabase(prefix, 'dora')}`;
    knex = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: 4 },
    });
    const version = (await knex.raw('show server_version')).rows[0]
      .server_version;
    const db = knex;
    const snapshot = async () => {
      const processes = (
        await db.raw(
          'select pid, datname from pg_stat_activity where datname like ?',
          [`${prefix}%`],
        )
      ).rows.map((r: any) => ({
        pid: r.pid,
        database: r.datname.slice(prefix.length),
      }));
      return cpuSnapshot(replicas, processes);
    };
    const now = Math.floor(Date.now() / DAY) * DAY;
    const historyStart = Date.now();
    const history = await loadHistory(knex, {
      entities: sizes.entities,
      deployments: sizes.deployments,
      changesPerDeployment: sizes.changesPerDeployment,
      incidents: sizes.incidents,
      now: now - 2 * DAY,
      entityRef: componentRef,
      random: seededRandom(7),
    });
    await knex.raw('vacuum analyze');
    log(
      `history: ${thousands(history.deployments)} deployments, ${thousands(
        history.changes,
      )} changes, ${thousands(history.incidents)} incidents ` +
        `over ${thousands(sizes.entities)} entities in ${(
          (Date.now() - historyStart) /
          1000
        ).toFixed(0)} s`,
    );

    await waitFor(
      `the catalog to hold ${sizes.entities} components`,
      1_800_000,
      async () => {
        const [row] = await lib.queryPluginDatabase(
          prefix,
          'catalog',
          `select count(*)::int as n from final_entities f join refresh_state r on r.entity_id = f.entity_id
         where f.final_entity is not null and r.entity_ref like 'component:%'`,
        );
        log(`catalog: ${row.n} of ${sizes.entities} components`);
        return row.n >= sizes.entities;
      },
      10_000,
    );

    const token = await lib.guestToken(replicas[0]);
    // The window the DORA org page asks for: the 90 whole UTC days that end with today.
    const to = now + DAY;
    const window = `from=${new Date(
      to - WINDOW_DAYS * DAY,
    ).toISOString()}&to=${new Date(to).toISOString()}`;
    const teamsPath = `/api/dora/v1/teams?type=team&${window}`;
    const checkTeams = (body: any) => {
      const complete =
        body.teams.length === teams &&
        body.teams.every(
          (t: any) => t.metrics.entityRefs.length === org.teamSize,
        );
      if (!complete)
        throw new Error(
          `GET /v1/teams answered ${body.teams.length} teams, not all ${teams} with ${org.teamSize} entities each`,
        );
    };
    // The ownership relations reach the groups after the components are processed and the groups stitched again.
    await waitFor(
      `the org page to list ${teams} teams of ${org.teamSize} entities`,
      900_000,
      async () => {
        const res = await fetch(`${replicas[0].url}${teamsPath}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        const body = await res.json();
        log(
          `org page: ${res.status} ${
            body.teams
              ? `${body.teams.length} teams, ${body.teams.reduce(
                  (n: number, t: any) => n + t.metrics.entityRefs.length,
                  0,
                )} entities`
              : JSON.stringify(body).slice(0, 200)
          }`,
        );
        checkTeams(body);
        return true;
      },
      5_000,
    );
    figures.push(
      `DORA on two portal backends sharing PostgreSQL ${version}, ${
        os.cpus().length
      } cores shared with everything else on the machine`,
      `Data: ${thousands(history.deployments)} deployments, ${thousands(
        history.changes,
      )} changes, ${thousands(history.incidents)} incidents over the year; ` +
        `${thousands(sizes.entities)} components owned by ${teams} teams of ${
          org.teamSize
        } in ${Math.ceil(teams / org.teamsPerDepartment)} departments`,
    );

    // 1. The org page, two people at once, one on each replica.
    const load = loadAverage();
    const profiling = !!process.env.BENCH_CPU_PROF;
    /** Starts or stops the CPU profiles; when stopping, waits until the n-th profile of each backend is written. */
    const toggleProfiles = async (stopping?: number) => {
      if (!profiling) return;
      replicas.forEach(replica => process.kill(replica.pid, 'SIGUSR2'));
      if (stopping === undefined) return;
      const files = replicas.map(replica =>
        path.resolve(
          process.env.BENCH_CPU_PROF!,
          `${replica.name}-${stopping}.cpuprofile`,
        ),
      );
      await waitFor(
        'the CPU profiles',
        60_000,
        async () => files.every(file => fs.existsSync(file)),
        1000,
      );
      log(`CPU profiles: ${files.join(', ')}`);
    };
    await toggleProfiles();
    const cpuBefore = await snapshot();
    const teamClients = await Promise.all(
      replicas.map(target =>
        readSequentially({
          target,
          path: () => teamsPath,
          token,
          requests: sizes.teamsRequests,
          check: checkTeams,
        }),
      ),
    );
    const teamsCpu = cpuSpent(cpuBefore, await snapshot());
    await toggleProfiles(1);
    const teamsRead = readFigures(teamClients, 1);
    const teamsBody = teamsRead.lastBody;
    const sum = (f: (m: any) => number) =>
      teamsBody.teams.reduce(
        (total: number, t: any) => total + f(t.metrics),
        0,
      );
    figures.push(
      `GET /v1/teams?type=team, ${teams} teams over ${thousands(
        sizes.entities,
      )} entities, ${WINDOW_DAYS} days (${thousands(
        sum(m => m.deploymentFrequency.deployments),
      )} deployments, ` +
        `${thousands(
          sum(m => m.leadTimeForChanges.changes),
        )} changes), two clients at once, ${
          teamsRead.count
        } requests after one each: ` +
        `p50 ${ms(teamsRead.p50)}, p95 ${ms(teamsRead.p95)}, max ${ms(
          teamsRead.max,
        )}; first request ${ms(teamsRead.first)}. ` +
        `Target p95 <= ${TARGETS.teamsP95} ms: ${verdict(
          teamsRead.p95 <= TARGETS.teamsP95,
        )}. Load average before ${load}, after ${loadAverage()}. ` +
        `${cpuLine(teamsCpu)}: ${ms(
          teamsCpu.total / (teamsRead.count + teamClients.length),
        )} a request`,
    );

    // 2 and 3. Ingestion on both replicas, and meanwhile one entity's metrics, on each replica in turn.
    const random = seededRandom(11);
    /** Posts `events` new events (ids from `idPrefix`), at `eventsPerSecond` when given, reading metrics meanwhile. */
    const ingestPhase = async (phase: {
      events: number;
      idPrefix: string;
      eventsPerSecond?: number;
    }) => {
      const bodies = ingestBatches({
        events: phase.events,
        batchSize: BATCH,
        entities: sizes.entities,
        entityRef: componentRef,
        now,
        idPrefix: phase.idPrefix,
      });
      let ingesting = true;
      let turn = 0;
      const before = loadAverage();
      const metricsReader = readSequentially({
        target: {
          get url() {
            return replicas[turn++ % replicas.length].url;
          },
        },
        path: () =>
          `/api/dora/v1/metrics?entityRef=${componentRef(
            Math.floor(random() * sizes.entities),
          )}&${window}`,
        token,
        requests: sizes.metricsRequests,
        until: () => !ingesting,
        check: body => {
          if (body.deploymentFrequency.deployments === 0)
            throw new Error(
              `no deployments for ${body.entityRef}: the history is not there`,
            );
        },
      });
      // Its failure is reported once the ingestion is over (awaited below), not as an unhandled rejection that would
      // end the process before the replicas are stopped.
      metricsReader.catch(() => undefined);
      let ingest;
      const cpuStart = await snapshot();
      try {
        ingest = await postBatches({
          targets: replicas,
          bodies,
          postersPerTarget: sizes.posters,
          token: lib.CI_TOKEN,
          eventsPerSecond: phase.eventsPerSecond,
        });
      } finally {
        ingesting = false;
      }
      const metricsRead: ReadResult = readFigures([await metricsReader]);
      const cpu = cpuSpent(cpuStart, await snapshot());
      return { ingest, metricsRead, cpu, before, after: loadAverage() };
    };
    const metricsLine = (metricsRead: ReadResult) =>
      `${metricsRead.count} requests, p50 ${ms(metricsRead.p50)}, p95 ${ms(
        metricsRead.p95,
      )}, p99 ${ms(metricsRead.p99)}, max ${ms(metricsRead.max)}. ` +
      `Target p99 <= ${TARGETS.metricsP99} ms: ${verdict(
        metricsRead.p99 <= TARGETS.metricsP99,
      )}`;

    await toggleProfiles();
    const full = await ingestPhase({
      events: sizes.ingestEvents,
      idPrefix: 'replica-bench',
    });
    await toggleProfiles(2);
    const { ingest, metricsRead, cpu: ingestCpu } = full;
    const loads = `Load average before ${full.before}, after ${full.after}`;
    figures.push(
      `POST /v1/events, ${thousands(ingest.events)} events in ${
        ingest.batches
      } batches of ${BATCH}, ${
        sizes.posters
      } requests in flight per replica: ` +
        `${ingest.seconds.toFixed(1)} s = ${thousands(
          ingest.eventsPerSecond,
        )} events/s in total (a batch p50 ${ms(ingest.p50)}, p95 ${ms(
          ingest.p95,
        )}). ` +
        `Target >= ${thousands(TARGETS.ingestPerSecond)}/s: ${verdict(
          ingest.eventsPerSecond >= TARGETS.ingestPerSecond,
        )}. ${loads}. ` +
        `${cpuLine(ingestCpu)} (with the metrics reads): ${ms(
          (ingestCpu.total / ingest.events) * 1000,
        )} per 1,000 events ` +
        `(at 20,000 events/s, ${os.cpus().length} cores give ${ms(
          (os.cpus().length * 1000 * 1000) / TARGETS.ingestPerSecond,
        )})`,
      `GET /v1/metrics of one entity, ${WINDOW_DAYS} days, during that ingestion: ${metricsLine(
        metricsRead,
      )}. ${loads}`,
    );

    // 4. The same at steady paces below the machine's capacity: how the reads fare while CI sends at that rate.
    for (const [i, rate] of ingestRates.entries()) {
      const paced = await ingestPhase({
        events: sizes.pacedEvents,
        idPrefix: `replica-bench-paced-${i}`,
        eventsPerSecond: rate,
      });
      const busy =
        paced.cpu.total / (paced.ingest.seconds * 1000 * os.cpus().length);
      figures.push(
        `At a pace of ${thousands(rate)} events/s (${thousands(
          paced.ingest.events,
        )} events, sent at ${thousands(
          paced.ingest.eventsPerSecond,
        )}/s, a batch p50 ${ms(paced.ingest.p50)}, p95 ${ms(
          paced.ingest.p95,
        )}; the machine's cores ${(busy * 100).toFixed(0)} % busy, ${ms(
          (paced.cpu.total / paced.ingest.events) * 1000,
        )} of CPU per 1,000 events, the reads included): GET /v1/metrics ${metricsLine(
          paced.metricsRead,
        )}. Load average before ${paced.before}, after ${paced.after}`,
      );
    }
    printFigures(['', ...figures]);
    const met =
      ingest.eventsPerSecond >= TARGETS.ingestPerSecond &&
      teamsRead.p95 <= TARGETS.teamsP95 &&
      metricsRead.p99 <= TARGETS.metricsP99;
    if (!met) process.exitCode = 1;
  } catch (error) {
    for (const replica of replicas)
      log(`log of replica ${replica.name}: ${replica.logFile}`);
    throw error;
  } finally {
    await knex?.destroy();
    await Promise.all(replicas.map(replica => lib.stopReplica(replica)));
    if (!process.env.BENCH_KEEP) {
      const dropped = await lib.dropDatabases(prefix);
      log(`stopped both replicas; dropped ${dropped} databases of ${prefix}`);
      fs.rmSync(dir, { recursive: true, force: true });
    } else {
      log(`stopped both replicas; kept the databases of ${prefix} and ${dir}`);
    }
  }
}

runBench(main);
