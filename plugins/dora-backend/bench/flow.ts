/*
 * Benchmark of the flow and CI/CD friction reads on PostgreSQL: a year of pull requests and pipeline runs bulk-loaded
 * into the store's tables (with the deployment links and lead-time parts the ingest path maintains), then, through the
 * real router:
 *   1. GET /v1/flow for one entity over 90 days (another entity each request), p50/p95/p99, target p95 <= 20 ms;
 *   2. GET /v1/flow/waiting for one entity, the same figures and target;
 *   3. GET /v1/pipelines for one entity over 90 days, the same figures and target;
 *   4. GET /v1/flow/teams?type=team over 90 days, the org page (every team's flow figures in one request), p50/p95,
 *      target p95 <= 300 ms;
 *   5. and 6. the org page's other two requests, for the team it shows: GET /v1/flow/waiting?entityRef=<team>&limit=100
 *      (its waiting pull requests) and GET /v1/pipelines?entityRef=<team> over 90 days (its pipeline table, pooled
 *      over the team's 200 entities), another team each request, the same target. Before the reads the bench runs
 *      what the portal's scheduled task does for the pipeline tables (refreshPipelineFigures) and prints its time.
 * The window is the one the Flow page asks for: the 90 whole UTC days to the end of today.
 *
 *   BENCH_DATABASE=postgres yarn bench:flow
 *
 * The dataset: BENCH_ENTITIES components owned by teams of BENCH_TEAM_SIZE, BENCH_TEAMS_PER_DEPARTMENT teams to a
 * department (the catalog the router is given, in process). Per entity an even share of BENCH_PRS merged pull requests
 * over the year before now: most with a first commit, about 93 in 100 reviewed before the merge (5 merged without a
 * review, 2 reviewed only after it), a size for 97 in 100 (now and then over 400 lines), shipped in production
 * deployments of about BENCH_PRS_PER_DEPLOYMENT pull requests each (those merged after an entity's last deployment not
 * yet deployed); an average of BENCH_WAITING / BENCH_ENTITIES open pull requests waiting for a first review (most
 * opened in the last day or two, a few up to 10 days ago), besides open ones already reviewed and some closed without a
 * merge. Per entity an even share of BENCH_RUNS pipeline runs (attempts) of `CI` (on the default branch or a feature
 * branch) and `Nightly`, some failing, some re-run (flaky in every fifth team), some cancelled or skipped.
 *
 * Env: BENCH_PG_CONNECTION (default postgresql://postgres@127.0.0.1:5432), BENCH_ENTITIES (5,000), BENCH_TEAM_SIZE
 * (200), BENCH_TEAMS_PER_DEPARTMENT (5), BENCH_PRS (1,000,000), BENCH_PRS_PER_DEPLOYMENT (2), BENCH_WAITING (10,000),
 * BENCH_RUNS (2,000,000), BENCH_REQUESTS (200 per entity read), BENCH_TEAMS_REQUESTS (30), BENCH_KEEP=1 keeps the
 * database (vitals_bench_dora_flow) for looking at plans; otherwise it is dropped at the end. The bulk load is
 * PostgreSQL's own SQL, so BENCH_DATABASE is not read. The exit code is 1 when a target is missed.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  BenchServer,
  benchSizes,
  elapsedMs,
  loadAverage,
  openBenchDatabase,
  percentile,
  printFigures,
  runBench,
  seededRandom,
  serveRouter,
  summarize,
} from '@vitals/backend-test-utils';
import { leadTimeParts } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { DatabaseDoraStore } from '../src/database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../src/ingest/DoraIngestService';
import { refreshPipelineFigures } from '../src/service/pipelines';
import { createRouter } from '../src/service/router';
import { benchCatalog, entityRef, groupRef, teamCount } from './catalog';
import { BulkLoader, bulkLoad } from './history';

const sizes = benchSizes({
  entities: 5000,
  teamSize: 200,
  teamsPerDepartment: 5,
  prs: 1_000_000,
  prsPerDeployment: 2,
  waiting: 10_000,
  runs: 2_000_000,
  requests: 200,
  teamsRequests: 30,
});

const TARGETS = { entityP95: 20, orgP95: 300 };
const WINDOW_DAYS = 90;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const random = seededRandom(17);
/** An exponentially distributed span with this mean: most are short, a few long. */
const spread = (mean: number) => Math.round(-mean * Math.log(1 - random()));
/** A standard normal number (Box-Muller). */
const normal = () =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const thousands = (v: number) => Math.round(v).toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

interface LoadTotals {
  merged: number;
  unreviewed: number;
  undeployed: number;
  deployments: number;
  waiting: number;
  openReviewed: number;
  closed: number;
  runs: number;
}

/** How slow a team is: teams differ in how long their pull requests wait and their pipelines take. */
const paceOf = (entity: number) =>
  0.5 + (Math.floor(entity / sizes.teamSize) % 5) * 0.5;

/** A pull request's size: log-normal around 120 lines; 3 in 100 without one. */
function sizeOf(): { additions: number | null; deletions: number | null } {
  if (random() < 0.03) return { additions: null, deletions: null };
  const lines = Math.min(
    20_000,
    Math.max(1, Math.round(Math.exp(Math.log(120) + 1.1 * normal()))),
  );
  const additions = Math.round(lines * (0.5 + 0.4 * random()));
  return { additions, deletions: lines - additions };
}

type Change = {
  authored_at: number | null;
  created_at: number;
  merged_at: number | null;
  first_review_at: number | null;
  closed_at: number | null;
  additions: number | null;
  deletions: number | null;
};

/** A dora_changes row as the ingest path stores it: parts computed from the times and the deployment. */
function changeRow(
  id: string,
  ref: string,
  change: Change,
  deployment: { id: string; finishedAt: number } | null,
  now: number,
) {
  const parts = leadTimeParts({
    authoredAt: change.authored_at,
    createdAt: change.created_at,
    mergedAt: change.merged_at,
    firstReviewAt: change.first_review_at,
    deployedAt: deployment?.finishedAt ?? null,
  });
  return {
    id,
    entity_ref: ref,
    sha: id,
    ...change,
    author: `dev-${Math.floor(random() * 40)}`,
    url: null,
    deployment_id: deployment?.id ?? null,
    deployed_at: deployment?.finishedAt ?? null,
    coding_minutes: parts.codingMinutes,
    pickup_minutes: parts.pickupMinutes,
    review_minutes: parts.reviewMinutes,
    merge_minutes: parts.mergeMinutes,
    deploy_minutes: parts.deployMinutes,
    lead_time_minutes: parts.leadTimeMinutes,
    received_at: now,
    state_at: Math.max(
      ...[
        change.authored_at,
        change.created_at,
        change.merged_at,
        change.first_review_at,
        change.closed_at,
      ].filter((t): t is number => t !== null),
    ),
  };
}

/** A year of merged pull requests of one entity, shipped in deployments, and its open and closed ones. */
async function loadPullRequests(
  { push }: BulkLoader,
  e: number,
  count: number,
  now: number,
  totals: LoadTotals,
) {
  const ref = entityRef(e);
  const pace = paceOf(e);
  const gap = (365 * DAY) / count;
  let shipping: Array<{ id: string; change: Change }> = [];
  let deployments = 0;
  let batch = 1 + Math.floor(random() * (2 * sizes.prsPerDeployment - 1));
  const ship = async (
    deployment: { id: string; finishedAt: number } | null,
  ) => {
    for (const { id, change } of shipping)
      await push('dora_changes', changeRow(id, ref, change, deployment, now));
    if (deployment) {
      await push('dora_deployments', {
        id: deployment.id,
        entity_ref: ref,
        environment: 'production',
        status: 'success',
        started_at: deployment.finishedAt - 10 * MINUTE,
        finished_at: deployment.finishedAt,
        url: null,
        commit_count: shipping.length,
        counted: 1,
        failed: random() < 0.04 ? 1 : 0,
        rework: 0,
        received_at: now,
        state_at: deployment.finishedAt,
      });
      for (const { id } of shipping)
        await push('dora_deployment_commits', {
          deployment_id: deployment.id,
          entity_ref: ref,
          sha: id,
        });
      totals.deployments++;
    } else {
      totals.undeployed += shipping.length;
    }
    shipping = [];
  };

  for (let k = 0; k < count; k++) {
    // One merge in each slot of the year, so they come in order.
    const mergedAt = Math.round(now - 365 * DAY + (k + random()) * gap);
    const kind = random();
    const reviewed = kind >= 0.07;
    // Reviewed before the merge, only after it (kind 0.05-0.07), or never.
    let firstReviewAt: number | null = null;
    if (reviewed) firstReviewAt = mergedAt - spread(2 * HOUR * pace);
    else if (kind >= 0.05) firstReviewAt = mergedAt + spread(HOUR);
    const createdAt = reviewed
      ? firstReviewAt! - spread(4 * HOUR * pace)
      : mergedAt - spread(3 * HOUR);
    shipping.push({
      id: `e${e}-pr${k}`,
      change: {
        authored_at: random() < 0.85 ? createdAt - spread(DAY) : null,
        created_at: createdAt,
        merged_at: mergedAt,
        first_review_at: firstReviewAt,
        closed_at: null,
        ...sizeOf(),
      },
    });
    totals.merged++;
    if (!reviewed) totals.unreviewed++;
    if (shipping.length >= batch) {
      const finishedAt = mergedAt + 5 * MINUTE + spread(2 * HOUR * pace);
      // Merged too late for a deployment before now: not deployed yet.
      await ship(
        finishedAt < now ? { id: `e${e}-d${deployments++}`, finishedAt } : null,
      );
      batch = 1 + Math.floor(random() * (2 * sizes.prsPerDeployment - 1));
    }
  }
  await ship(null);

  // Open pull requests: waiting for a first review (some overdue), reviewed and not merged yet, closed unmerged.
  const average = sizes.waiting / sizes.entities;
  const open = (kind: 'waiting' | 'reviewed' | 'closed', k: number) => {
    // Most opened in the last day or two, a few long ago.
    const createdAt = now - Math.min(10 * DAY, spread(DAY));
    const change: Change = {
      authored_at: random() < 0.85 ? createdAt - spread(DAY) : null,
      created_at: createdAt,
      merged_at: null,
      first_review_at:
        kind === 'reviewed'
          ? Math.min(now, createdAt + spread(4 * HOUR * pace))
          : null,
      closed_at:
        kind === 'closed' ? Math.min(now, createdAt + spread(DAY)) : null,
      ...sizeOf(),
    };
    return push(
      'dora_changes',
      changeRow(`e${e}-${kind}${k}`, ref, change, null, now),
    );
  };
  const waiting = Math.floor(random() * (2 * average + 1));
  for (let k = 0; k < waiting; k++) await open('waiting', k);
  const reviewed = Math.floor(random() * (average + 1));
  for (let k = 0; k < reviewed; k++) await open('reviewed', k);
  const closed = random() < 0.5 ? 1 : 0;
  for (let k = 0; k < closed; k++) await open('closed', k);
  totals.waiting += waiting;
  totals.openReviewed += reviewed;
  totals.closed += closed;
}

const FAILURE_RATE = { flaky: 0.18, steady: 0.06 };
const RERUN_RATE = 0.7;

/** A year of pipeline runs of one entity: `count` attempts or a few more (re-runs), in order of queuing. */
async function loadRuns(
  { push }: BulkLoader,
  e: number,
  count: number,
  now: number,
  totals: LoadTotals,
) {
  if (count === 0) return;
  const ref = entityRef(e);
  const pace = paceOf(e);
  const flaky = Math.floor(e / sizes.teamSize) % 5 === 0;
  const failureRate = flaky ? FAILURE_RATE.flaky : FAILURE_RATE.steady;
  // Slots for first attempts, so that with the re-runs the entity has about `count` runs.
  const slots = Math.max(1, Math.round(count / (1 + failureRate * RERUN_RATE)));
  const gap = (365 * DAY) / slots;
  const run = async (row: {
    id: string;
    attempt: number;
    pipeline: string;
    branch: string;
    sha: string;
    trigger: string;
    status: string;
    queued_at: number;
    started_at: number | null;
    finished_at: number | null;
  }) => {
    // What has not happened by now is still running or queued.
    let { status, started_at: startedAt, finished_at: finishedAt } = row;
    if (finishedAt !== null && finishedAt > now) {
      finishedAt = null;
      status = 'in_progress';
    }
    if (startedAt !== null && startedAt > now) {
      startedAt = null;
      status = 'queued';
    }
    await push('dora_pipeline_runs', {
      ...row,
      entity_ref: ref,
      on_default_branch: row.branch === 'main' ? 1 : 0,
      status,
      started_at: startedAt,
      finished_at: finishedAt,
      url: null,
      received_at: now,
      state_at: Math.max(row.queued_at, startedAt ?? 0, finishedAt ?? 0),
    });
    totals.runs++;
  };
  for (let n = 0; n < slots; n++) {
    const queuedAt = Math.round(now - 365 * DAY + (n + random() * 0.8) * gap);
    if (queuedAt >= now) break;
    const nightly = random() < 0.25;
    const onMain = nightly || random() < 0.6;
    const startedAt = queuedAt + 5000 + spread(40_000 * pace);
    const duration = nightly
      ? 900_000 + spread(600_000 * pace)
      : 240_000 + spread(300_000 * pace);
    const outcome = random();
    let status = 'success';
    if (outcome < failureRate) status = 'failure';
    else if (outcome < failureRate + 0.03) status = 'cancelled';
    else if (outcome < failureRate + 0.04) status = 'skipped';
    let trigger = 'pull_request';
    if (nightly) trigger = 'schedule';
    else if (onMain) trigger = 'push';
    const first = {
      id: `e${e}-run${n}`,
      attempt: 1,
      pipeline: nightly ? 'Nightly' : 'CI',
      branch: onMain ? 'main' : `feature/e${e}-${n}`,
      sha: `e${e}-c${n}`,
      trigger,
      status,
      queued_at: queuedAt,
      started_at: status === 'skipped' ? null : startedAt,
      finished_at:
        status === 'skipped'
          ? startedAt
          : startedAt +
            (status === 'cancelled' ? Math.round(duration / 3) : duration),
    };
    await run(first);
    if (status === 'failure' && random() < RERUN_RATE) {
      // A re-run of the same commit: passes when the failure was flaky.
      const requeued = first.finished_at! + MINUTE + spread(10 * MINUTE);
      const restarted = requeued + 5000 + spread(40_000 * pace);
      await run({
        ...first,
        attempt: 2,
        status: random() < (flaky ? 0.7 : 0.3) ? 'success' : 'failure',
        queued_at: requeued,
        started_at: restarted,
        finished_at: restarted + duration,
      });
    }
  }
}

/** Latency figures of one kind of request, with the first request's and the last answer. */
interface Timed {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  first: number;
  lastBody: any;
}

/** Sends warm-up + `requests` GETs one after the other and times each until its body is read; fails on any non-200. */
async function timeReads(
  base: string,
  scenario: { name: string; url: () => string; check?: (body: any) => void },
  requests: number,
): Promise<Timed> {
  const warmup = Math.min(20, Math.ceil(requests / 5));
  const timings: number[] = [];
  let first = 0;
  let lastBody: any;
  for (let i = 0; i < warmup + requests; i++) {
    const start = process.hrtime.bigint();
    const res = await fetch(`${base}${scenario.url()}`);
    const body = await res.json();
    const ms = elapsedMs(start);
    if (res.status !== 200)
      throw new Error(
        `${scenario.name}: ${res.status} ${JSON.stringify(body)}`,
      );
    scenario.check?.(body);
    if (i === 0) first = ms;
    if (i >= warmup) timings.push(ms);
    lastBody = body;
  }
  const { count, p50, p95, max } = summarize(timings);
  const p99 = percentile(
    [...timings].sort((a, b) => a - b),
    99,
  );
  return { count, p50, p95, p99, max, first, lastBody };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main() {
  const db = await openBenchDatabase({ name: 'dora-flow', postgresOnly: true });
  const knex: Knex = db.knex;
  let server: BenchServer | undefined;
  try {
    const database: DatabaseService = { getClient: async () => knex };
    const store = await DatabaseDoraStore.create({ database });
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const teams = teamCount(sizes);
    const departments =
      sizes.teamsPerDepartment > 0
        ? Math.ceil(teams / sizes.teamsPerDepartment)
        : 0;

    // 0. The bulk load.
    const loadAtStart = loadAverage();
    const seedStart = Date.now();
    const totals: LoadTotals = {
      merged: 0,
      unreviewed: 0,
      undeployed: 0,
      deployments: 0,
      waiting: 0,
      openReviewed: 0,
      closed: 0,
      runs: 0,
    };
    const prsPerEntity = Math.ceil(sizes.prs / sizes.entities);
    const runsPerEntity = Math.ceil(sizes.runs / sizes.entities);
    const timings = await bulkLoad(
      knex,
      [
        'dora_entities',
        'dora_deployments',
        'dora_deployment_commits',
        'dora_changes',
        'dora_pipeline_runs',
      ],
      async loader => {
        for (let e = 0; e < sizes.entities; e++) {
          await loader.push('dora_entities', {
            entity_ref: entityRef(e),
            first_event_at: now - 365 * DAY,
            last_event_at: now,
            version: 1,
          });
          await loadPullRequests(
            loader,
            e,
            Math.max(0, Math.min(prsPerEntity, sizes.prs - totals.merged)),
            now,
            totals,
          );
          await loadRuns(
            loader,
            e,
            Math.max(0, Math.min(runsPerEntity, sizes.runs - totals.runs)),
            now,
            totals,
          );
        }
      },
    );
    // What autovacuum does after a large insert: statistics, and the visibility map of index-only scans.
    await knex.raw('vacuum analyze');
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const router = await createRouter({
      store,
      ingest: new PublishingDoraIngestService({
        store,
        // Writes (none here) would publish on an in-process events service, as in a backend with no events backend.
        events: DefaultEventsService.create({
          logger: mockServices.rootLogger({ level: 'none' }),
          useEventBus: 'never',
        }).forPlugin('dora'),
        logger: mockServices.rootLogger({ level: 'none' }),
      }),
      httpAuth: mockServices.httpAuth(),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      catalog: benchCatalog(sizes),
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      },
      logger: mockServices.rootLogger({ level: 'none' }),
      now: () => now,
    });
    server = await serveRouter('/api/dora', router);
    const base = server.base;

    // The 90 whole UTC days to the end of today, as the Flow page's window picker asks for them.
    const to = (Math.floor(now / DAY) + 1) * DAY;
    const from = to - WINDOW_DAYS * DAY;
    const window = `from=${new Date(from).toISOString()}&to=${new Date(
      to,
    ).toISOString()}`;
    const [{ prs }] = (
      await knex.raw(
        'select count(*)::int as prs from dora_changes where merged_at >= ? and merged_at < ? and created_at is not null',
        [from, to],
      )
    ).rows;
    const [{ runs }] = (
      await knex.raw(
        'select count(*)::int as runs from dora_pipeline_runs where queued_at >= ? and queued_at < ?',
        [from, to],
      )
    ).rows;

    const anEntity = () => entityRef(Math.floor(random() * sizes.entities));
    const aTeam = () => groupRef(Math.floor(random() * teams));
    const seen = { flow: 0, waiting: 0, runs: 0 };
    const scenarios: Array<{
      name: string;
      url: () => string;
      check?: (body: any) => void;
      requests: number;
      target: number;
      what: (body: any) => string;
    }> = [
      {
        name: `entity, ${WINDOW_DAYS} days GET /v1/flow?entityRef=<component>`,
        url: () => `/v1/flow?entityRef=${anEntity()}&${window}`,
        check: body => {
          seen.flow += body.pullRequests;
        },
        requests: sizes.requests,
        target: TARGETS.entityP95,
        what: body =>
          `${body.pullRequests} pull requests, ${body.unreviewed} unreviewed, ${body.weeks.length} weeks`,
      },
      {
        name: 'entity GET /v1/flow/waiting?entityRef=<component>',
        url: () => `/v1/flow/waiting?entityRef=${anEntity()}`,
        check: body => {
          seen.waiting += body.totalCount;
        },
        requests: sizes.requests,
        target: TARGETS.entityP95,
        what: body =>
          `${body.totalCount} waiting, ${body.overdueCount} overdue`,
      },
      {
        name: `entity, ${WINDOW_DAYS} days GET /v1/pipelines?entityRef=<component>`,
        url: () => `/v1/pipelines?entityRef=${anEntity()}&${window}`,
        check: body => {
          seen.runs += body.figures.runs;
        },
        requests: sizes.requests,
        target: TARGETS.entityP95,
        what: body =>
          `${body.figures.runs} runs, ${body.figures.flakiness.failures} failures, ${body.pipelines.length} pipelines`,
      },
      {
        name: `org page, ${WINDOW_DAYS} days GET /v1/flow/teams?type=team`,
        url: () => `/v1/flow/teams?${window}&type=team`,
        check: body => {
          if (body.teams.length !== teams && sizes.prs >= sizes.entities)
            throw new Error(
              `GET /v1/flow/teams: ${body.teams.length} teams, expected ${teams}`,
            );
        },
        requests: sizes.teamsRequests,
        target: TARGETS.orgP95,
        what: body =>
          `${body.teams.length} teams, ${thousands(
            body.teams.reduce((s: number, t: any) => s + t.pullRequests, 0),
          )} pull requests, ${thousands(
            body.teams.reduce(
              (s: number, t: any) => s + t.waiting.totalCount,
              0,
            ),
          )} waiting`,
      },
      {
        name: 'org page, a team GET /v1/flow/waiting?entityRef=<team>&limit=100',
        url: () => `/v1/flow/waiting?entityRef=${aTeam()}&limit=100`,
        requests: sizes.teamsRequests,
        target: TARGETS.orgP95,
        what: body =>
          `${body.totalCount} waiting, ${body.overdueCount} overdue, ${body.items.length} listed`,
      },
      {
        name: `org page, a team, ${WINDOW_DAYS} days GET /v1/pipelines?entityRef=<team>`,
        url: () => `/v1/pipelines?entityRef=${aTeam()}&${window}`,
        check: body => {
          if (body.figures.runs === 0 && sizes.runs >= sizes.entities)
            throw new Error('GET /v1/pipelines of a team found no runs');
        },
        requests: sizes.teamsRequests,
        target: TARGETS.orgP95,
        what: body =>
          `${thousands(body.figures.runs)} runs, ${thousands(
            body.figures.flakiness.failures,
          )} failures, ${body.pipelines.length} pipelines`,
      },
    ];

    // What the portal's scheduled task (dora-flow-team-figures, every 5 minutes) does besides the flow figures: keeps
    // each team's pipeline table for the Flow page's windows, so that the page reads them rather than every run.
    const refreshStart = Date.now();
    const refresh = await refreshPipelineFigures({
      stores: { runs: store, figures: store.pipelineFigures },
      catalog: benchCatalog(sizes),
      credentials: await mockServices.auth().getOwnServiceCredentials(),
      now,
      type: 'team',
      leadMs: 0,
    });
    const refreshLine = `Pipeline figures kept by the scheduled refresh: ${
      refresh.computed
    } (team, window) figures of ${refresh.groups} teams in ${
      refresh.windows
    } windows in ${((Date.now() - refreshStart) / 1000).toFixed(
      1,
    )} s. Load average after ${loadAverage()}`;

    const lines: string[] = [refreshLine];
    let allMet = true;
    for (const scenario of scenarios) {
      const before = loadAverage();
      const timed = await timeReads(base, scenario, scenario.requests);
      const met = timed.p95 <= scenario.target;
      allMet &&= met;
      lines.push(
        `${scenario.name}: ${timed.count} requests, p50 ${ms(
          timed.p50,
        )}, p95 ${ms(timed.p95)}, p99 ${ms(timed.p99)}, max ${ms(
          timed.max,
        )}; first request ${ms(timed.first)} (last: ${scenario.what(
          timed.lastBody,
        )}). Target p95 <= ${scenario.target} ms: ${verdict(
          met,
        )}. Load average before ${before}, after ${loadAverage()}`,
      );
    }
    // A fast answer over no data is not a figure.
    if (sizes.prs >= sizes.entities && (seen.flow === 0 || seen.runs === 0))
      throw new Error(
        'the entity reads found no pull requests or runs: the dataset is not there',
      );

    printFigures([
      `Flow benchmark on ${
        db.label
      }; load average (1, 5, 15 min) at the start ${loadAtStart}, at the end ${loadAverage()}`,
      `Dataset: ${thousands(totals.merged)} merged pull requests (${thousands(
        totals.unreviewed,
      )} without a review before the merge, ${thousands(
        totals.undeployed,
      )} not deployed yet) shipped in ${thousands(
        totals.deployments,
      )} deployments; ${thousands(
        totals.waiting,
      )} open pull requests waiting for a first review, ${thousands(
        totals.openReviewed,
      )} open and reviewed, ${thousands(totals.closed)} closed unmerged; ` +
        `${thousands(totals.runs)} pipeline runs; over ${thousands(
          sizes.entities,
        )} entities in ${teams} teams of ${
          sizes.teamSize
        } in ${departments} departments (bulk load ${seedSeconds.toFixed(
          0,
        )} s: inserts ${timings.insertSeconds.toFixed(
          0,
        )} s, indexes ${timings.indexSeconds.toFixed(
          0,
        )} s, vacuum analyze and the rest ${(
          seedSeconds -
          timings.insertSeconds -
          timings.indexSeconds
        ).toFixed(0)} s)`,
      `Window: the ${WINDOW_DAYS} whole UTC days to ${new Date(
        to,
      ).toISOString()}, ${thousands(prs)} pull requests merged, ${thousands(
        runs,
      )} pipeline runs queued`,
      ...lines,
    ]);
    if (!allMet) process.exitCode = 1;
  } finally {
    await server?.close();
    await db.cleanUp();
  }
}

runBench(main);
