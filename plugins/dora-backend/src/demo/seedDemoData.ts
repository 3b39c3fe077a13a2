import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { DoraStore } from '../database/DoraStore';
import { DoraIngestService } from '../ingest/DoraIngestService';
import { demoPipelineRunsFor } from './demoPipelineRuns';
import { hash, mulberry32 } from './random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How a team delivers; each profile lands a service in one tier of the 2023 benchmark on most windows. */
interface Profile {
  /** Chance of deploying on a weekday / on a weekend day. */
  weekday: number;
  weekend: number;
  /** Or, instead: deploy every this many days. */
  everyDays?: number;
  codingMinutes: [number, number];
  reviewMinutes: [number, number];
  changesPerDeployment: [number, number];
  failureRate: number;
  restoreMinutes: [number, number];
}

const PROFILES: Record<'elite' | 'high' | 'medium' | 'low', Profile> = {
  elite: {
    weekday: 0.97,
    weekend: 0.2,
    codingMinutes: [30, 300],
    reviewMinutes: [20, 180],
    changesPerDeployment: [1, 4],
    failureRate: 0.03,
    restoreMinutes: [15, 55],
  },
  high: {
    weekday: 0.4,
    weekend: 0,
    codingMinutes: [600, 2880],
    reviewMinutes: [120, 1440],
    changesPerDeployment: [2, 6],
    failureRate: 0.08,
    restoreMinutes: [90, 600],
  },
  medium: {
    weekday: 0,
    weekend: 0,
    everyDays: 16,
    codingMinutes: [1440, 5760],
    reviewMinutes: [720, 2880],
    changesPerDeployment: [4, 10],
    failureRate: 0.13,
    restoreMinutes: [1500, 5000],
  },
  low: {
    weekday: 0,
    weekend: 0,
    everyDays: 70,
    codingMinutes: [7200, 20000],
    reviewMinutes: [2880, 10000],
    changesPerDeployment: [8, 20],
    failureRate: 0.35,
    restoreMinutes: [11000, 20000],
  },
};

/** Which example service delivers how (examples/entities.yaml); other components get a profile by hash. */
const EXAMPLE_PROFILES: Record<string, keyof typeof PROFILES> = {
  'component:default/payments-api': 'elite',
  'component:default/storefront-web': 'elite',
  'component:default/ledger-service': 'high',
  'component:default/checkout-api': 'high',
  'component:default/ci-pipelines': 'high',
  'component:default/fraud-detector': 'medium',
  'component:default/catalog-search': 'medium',
  'component:default/promo-engine': 'medium',
  'component:default/recommendations': 'low',
  'component:default/legacy-reporting': 'low',
};

/**
 * Who authors the demo changes (user names of examples/org.yaml), and from when: a change is authored by one of the
 * people who had joined by its author time, in turn. The newcomers line up with the onboarding demo
 * (plugins/onboarding-backend/src/demo/seedDemoData.ts), whose checklists start a little before their first change:
 *
 * | author       | team       | authors changes from | onboarding checklists started |
 * | ------------ | ---------- | -------------------- | ----------------------------- |
 * | jonas.berg   | Payments   | all year (veteran)   | -                             |
 * | maria.santos | Storefront | all year (veteran)   | -                             |
 * | amira.haddad | Payments   | 141 days ago         | 150 days ago                  |
 * | li.wei       | Storefront | 12 days ago          | 24 days ago                   |
 * | tom.okafor   | Storefront | not yet              | 2 days ago                    |
 *
 * (sofia.rossi of Data, onboarding for 45 days, authors nothing either.)
 */
const DEMO_AUTHORS: Array<{
  name: string;
  sinceDaysAgo: number | 'always' | 'not yet';
}> = [
  { name: 'jonas.berg', sinceDaysAgo: 'always' },
  { name: 'maria.santos', sinceDaysAgo: 'always' },
  { name: 'amira.haddad', sinceDaysAgo: 141 },
  { name: 'li.wei', sinceDaysAgo: 12 },
  { name: 'tom.okafor', sinceDaysAgo: 'not yet' },
];

/** The demo authors who had joined by a time, in the table's order. */
export function demoAuthorsAt(time: number, now: Date): string[] {
  return DEMO_AUTHORS.filter(({ sinceDaysAgo }) => {
    if (sinceDaysAgo === 'always') return true;
    if (sinceDaysAgo === 'not yet') return false;
    return time >= now.getTime() - sinceDaysAgo * DAY;
  }).map(a => a.name);
}

/**
 * Payments' services (examples/entities.yaml) wait long for their first reviews: a day and a quarter to two and a half
 * days on top of the time their profile gives between opening and merging, whatever their pace of delivery.
 */
const SLOW_PICKUP = new Set([
  'component:default/payments-api',
  'component:default/ledger-service',
  'component:default/fraud-detector',
]);

/** The extra wait for a first review of a Payments pull request, in hours. */
const SLOW_PICKUP_WAIT_HOURS: [number, number] = [30, 60];
/** Other teams pick a pull request up within this many hours, whatever their pace (uniformly from 0). */
const QUICK_PICKUP_MAX_HOURS = 8;

/** About one pull request in twenty is merged without a review. */
const UNREVIEWED_SHARE = 0.05;
/** Share of regular production deployments CI flags as rework (a planned-looking fix of something in production). */
const REWORK_FLAG_SHARE = 0.04;
/** Share of resolved incidents fixed by a hotfix deployment while they were open. */
const HOTFIX_SHARE = 0.5;

/** Lines added and deleted: mostly small, now and then one over the 400-line threshold. */
function demoSize(random: () => number): {
  additions: number;
  deletions: number;
} {
  const additions = Math.round(5 + 700 * random() ** 3);
  return { additions, deletions: Math.round(additions * 0.4 * random()) };
}

/**
 * Pull requests open now and waiting for their first review: two or three for each of Payments' services (the older
 * ones overdue after 24 hours), up to two elsewhere. No first commit time, so that nobody's onboarding takes them for a
 * merged change.
 */
function waitingPullRequests(
  entityRef: string,
  random: () => number,
  now: Date,
  changeNo: number,
): ParsedDoraEvent[] {
  const name = entityRef.split('/').pop()!;
  const count = SLOW_PICKUP.has(entityRef)
    ? 2 + Math.floor(random() * 2)
    : Math.floor(random() * 3);
  return Array.from({ length: count }, (_, k) => {
    const number = changeNo + k + 1;
    // The first one has waited 2-6 hours, each further one a day or two longer.
    const waitedHours = 2 + random() * 4 + k * (24 + random() * 24);
    const createdAt = now.getTime() - waitedHours * HOUR;
    const authors = demoAuthorsAt(createdAt, now);
    return {
      type: 'change',
      id: `${name}-pr-${number}`,
      entityRef,
      sha: `${hash(`${entityRef}#open#${number}`)
        .toString(16)
        .padStart(8, '0')}${number.toString(16).padStart(6, '0')}`,
      createdAt: new Date(createdAt).toISOString(),
      ...demoSize(random),
      url: `https://github.com/example-corp/${name}/pull/${number}`,
      author: authors[number % authors.length],
    };
  });
}

/** A year of deployments, changes and incidents for one entity, deterministic for its ref. */
export function demoEventsFor(
  entityRef: string,
  profileName: keyof typeof PROFILES,
  now: Date,
): ParsedDoraEvent[] {
  const profile = PROFILES[profileName];
  const random = mulberry32(hash(entityRef));
  // Review and size come from a stream of their own: the deployments, lead times and incidents stay as they were.
  const flowRandom = mulberry32(hash(`${entityRef}#flow`));
  // Rework (DORA 2024) from a stream of its own too: a few deployments flagged as fixes, and hotfixes while incidents
  // are open. The hotfixes add deployments (and their fix commits), the flags change nothing else.
  const reworkRandom = mulberry32(hash(`${entityRef}#rework`));
  const slowPickup = SLOW_PICKUP.has(entityRef);
  // Payments' extra waits for a first review from a stream of their own as well, so other teams' figures stay put.
  const pickupRandom = mulberry32(hash(`${entityRef}#pickup`));
  // Time to the first review of a pull request opened `span` before its merge: a share of the span (drawn), at most
  // QUICK_PICKUP_MAX_HOURS, plus, for Payments, the extra wait that opened the pull request that much earlier.
  const pickupOf = (span: number, draw: number, wait: number) =>
    wait + Math.min(span / 2, QUICK_PICKUP_MAX_HOURS * HOUR) * draw;
  const between = ([lo, hi]: [number, number]) => lo + random() * (hi - lo);
  const name = entityRef.split('/').pop()!;
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const start = today - 365 * DAY;

  const deployDays: number[] = [];
  const offset = Math.floor(random() * (profile.everyDays ?? 1));
  for (let day = start; day < today; day += DAY) {
    const index = (day - start) / DAY;
    const weekday = new Date(day).getUTCDay() % 6 !== 0;
    const deploys = profile.everyDays
      ? (index + offset) % profile.everyDays === 0
      : random() < (weekday ? profile.weekday : profile.weekend);
    if (deploys) deployDays.push(day);
  }

  // In turn among those who had joined when the change was written (no random draw, so the timings stay as they are).
  const authorOf = (authoredAt: number, changeNo: number) => {
    const authors = demoAuthorsAt(authoredAt, now);
    return authors[changeNo % authors.length];
  };

  const events: ParsedDoraEvent[] = [];
  let previous = start - 7 * DAY;
  let changeNo = 0;
  deployDays.forEach((day, n) => {
    const finishedAt = day + 9 * HOUR + Math.floor(random() * 8 * HOUR);
    const shas: string[] = [];
    const changes = Math.round(between(profile.changesPerDeployment));
    for (let c = 0; c < changes; c++) {
      const sha = `${hash(`${entityRef}#${changeNo}`)
        .toString(16)
        .padStart(8, '0')}${changeNo.toString(16).padStart(6, '0')}`;
      changeNo++;
      shas.push(sha);
      const mergedAt =
        previous + random() * (finishedAt - 10 * MINUTE - previous);
      const openedAt = mergedAt - between(profile.reviewMinutes) * MINUTE;
      const firstCommitAt = openedAt - between(profile.codingMinutes) * MINUTE;
      const plainCommit = random() < 0.1;
      // Drawn from the main stream where it always was, so that every other figure stays as it was.
      const reviewDraw = plainCommit ? 0 : random();
      const flowDraw = flowRandom();
      // A few pull requests are merged without a review.
      const reviewed = flowDraw >= UNREVIEWED_SHARE;
      // A Payments pull request that gets a review was opened that much earlier, its first commit with it: the wait
      // adds to its lead time, as a slow review does. Plain commits and unreviewed merges wait for nobody.
      const [waitLo, waitHi] = SLOW_PICKUP_WAIT_HOURS;
      const wait =
        slowPickup && !plainCommit && reviewed
          ? (waitLo + pickupRandom() * (waitHi - waitLo)) * HOUR
          : 0;
      const createdAt = openedAt - wait;
      const authoredAt = firstCommitAt - wait;
      events.push({
        type: 'change',
        id: `${name}-pr-${changeNo}`,
        entityRef,
        sha,
        authoredAt: new Date(authoredAt).toISOString(),
        ...(plainCommit
          ? {}
          : {
              createdAt: new Date(createdAt).toISOString(),
              mergedAt: new Date(mergedAt).toISOString(),
              ...(reviewed
                ? {
                    firstReviewAt: new Date(
                      createdAt +
                        pickupOf(mergedAt - openedAt, reviewDraw, wait),
                    ).toISOString(),
                  }
                : {}),
              ...demoSize(flowRandom),
              url: `https://github.com/example-corp/${name}/pull/${changeNo}`,
            }),
        author: authorOf(authoredAt, changeNo),
      });
    }
    const id = `${name}-deploy-${n + 1}`;
    // Now and then a staging rollout first, and a failed production attempt.
    if (random() < 0.3) {
      events.push({
        type: 'deployment',
        id: `${id}-staging`,
        entityRef,
        environment: 'staging',
        status: 'success',
        finishedAt: new Date(finishedAt - 2 * HOUR).toISOString(),
        commitShas: shas,
      });
    }
    if (random() < 0.05) {
      events.push({
        type: 'deployment',
        id: `${id}-attempt`,
        entityRef,
        environment: 'production',
        status: 'failure',
        finishedAt: new Date(finishedAt - HOUR).toISOString(),
        commitShas: shas,
      });
    }
    events.push({
      type: 'deployment',
      id,
      entityRef,
      environment: 'production',
      status: 'success',
      startedAt: new Date(
        finishedAt - (5 + random() * 20) * MINUTE,
      ).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      commitShas: shas,
      url: `https://ci.example.com/${name}/deployments/${n + 1}`,
      ...(reworkRandom() < REWORK_FLAG_SHARE ? { rework: true } : {}),
    });
    if (random() < profile.failureRate) {
      const createdAt = finishedAt + (10 + random() * 120) * MINUTE;
      const resolvedAt = createdAt + between(profile.restoreMinutes) * MINUTE;
      if (resolvedAt < now.getTime() && reworkRandom() < HOTFIX_SHARE) {
        // A fix shipped while the incident is open: the first production deployment after it opened, so rework
        // whether or not CI flags it (half of them are flagged).
        const fixedAt =
          createdAt + (0.4 + 0.4 * reworkRandom()) * (resolvedAt - createdAt);
        const flagged = reworkRandom() < 0.5;
        const sha = `f1${hash(`${entityRef}#hotfix#${n}`)
          .toString(16)
          .padStart(8, '0')}`;
        events.push(
          {
            type: 'change',
            id: `${name}-hotfix-${n + 1}`,
            entityRef,
            sha,
            authoredAt: new Date(
              createdAt + 0.2 * (fixedAt - createdAt),
            ).toISOString(),
            author: authorOf(createdAt, n),
          },
          {
            type: 'deployment',
            id: `${id}-hotfix`,
            entityRef,
            environment: 'production',
            status: 'success',
            finishedAt: new Date(fixedAt).toISOString(),
            commitShas: [sha],
            url: `https://ci.example.com/${name}/deployments/${n + 1}-hotfix`,
            ...(flagged ? { rework: true } : {}),
          },
        );
      }
      events.push({
        type: 'incident',
        id: `${name}-incident-${n + 1}`,
        entityRef,
        createdAt: new Date(createdAt).toISOString(),
        ...(resolvedAt < now.getTime()
          ? { resolvedAt: new Date(resolvedAt).toISOString() }
          : {}),
        severity: random() < 0.3 ? 'SEV1' : 'SEV2',
        url: `https://incidents.example.com/${name}/${n + 1}`,
      });
    }
    previous = finishedAt;
  });
  events.push(...waitingPullRequests(entityRef, flowRandom, now, changeNo));
  return events;
}

/**
 * Seeds a year of delivery history and of CI pipeline runs for the components of the catalog, each once: nothing
 * happens when any delivery event, or any pipeline run, was ever stored (so a database seeded before pipeline runs
 * existed gets only those). Returns the number of events written, or null when the catalog has no components yet (try
 * again later).
 */
export async function seedDemoData(options: {
  store: Pick<DoraStore, 'hasEvents' | 'hasPipelineRuns'>;
  /** Writes go through the ingest service, so that other plugins hear of the demo history like of any other. */
  ingest: DoraIngestService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { store, ingest, catalog, auth, logger } = options;
  const seedDelivery = !(await store.hasEvents());
  const seedPipelines = !(await store.hasPipelineRuns());
  if (!seedDelivery && !seedPipelines) return 0;
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  if (items.length === 0) return null;
  const tiers = ['elite', 'high', 'medium', 'low'] as const;
  const refs = items
    .map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US'))
    .sort()
    .slice(0, 50);
  let written = 0;
  for (const entityRef of refs) {
    const profile =
      EXAMPLE_PROFILES[entityRef] ?? tiers[hash(entityRef) % tiers.length];
    const now = options.now ?? new Date();
    const events = [
      ...(seedDelivery ? demoEventsFor(entityRef, profile, now) : []),
      ...(seedPipelines ? demoPipelineRunsFor(entityRef, now) : []),
    ];
    for (let i = 0; i < events.length; i += 2000) {
      written += await ingest.ingest(events.slice(i, i + 2000));
    }
  }
  logger.info(
    `Seeded ${written} demo DORA events for ${refs.length} components`,
  );
  return written;
}
