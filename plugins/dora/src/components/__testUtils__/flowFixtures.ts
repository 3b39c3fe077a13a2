import {
  DoraFlow,
  DoraFlowParts,
  DoraFlowPullRequest,
  DoraFlowTeam,
  DoraFlowTeamsResponse,
  DoraPipelineFigures,
  DoraPipelineRun,
  DoraPipelinesResponse,
  DoraWaitingPullRequest,
  DoraWaitingPullRequests,
} from '@vitals/plugin-dora-common';

const FROM = '2026-09-07T00:00:00.000Z';
const TO = '2026-12-06T00:00:00.000Z';

/** Payments-like parts: a long pickup (21 h 50 min), a short review and deploy. */
export function makeParts(
  overrides: Partial<DoraFlowParts> = {},
): DoraFlowParts {
  return {
    coding: { pullRequests: 9, medianMinutes: 312, p75Minutes: 540 },
    pickup: { pullRequests: 7, medianMinutes: 1310, p75Minutes: 1725.5 },
    review: { pullRequests: 7, medianMinutes: 95, p75Minutes: 180 },
    deploy: { pullRequests: 8, medianMinutes: 44, p75Minutes: 61.25 },
    ...overrides,
  };
}

/** `GET /v1/flow` of payments-api as the backend README shows it, with two full weeks. */
export function makeFlow(overrides: Partial<DoraFlow> = {}): DoraFlow {
  return {
    entityRef: 'component:default/payments-api',
    from: FROM,
    to: TO,
    entityRefs: ['component:default/payments-api'],
    pullRequests: 9,
    unreviewed: 2,
    parts: makeParts(),
    size: {
      measured: 9,
      medianLines: 146,
      p75Lines: 388,
      largeThresholdLines: 400,
      large: 2,
      largeShare: 0.2222,
    },
    weeks: [
      {
        start: FROM,
        pullRequests: 5,
        unreviewed: 1,
        large: 1,
        parts: makeParts(),
      },
      {
        start: '2026-09-14T00:00:00.000Z',
        pullRequests: 4,
        unreviewed: 1,
        large: 1,
        parts: makeParts(),
      },
    ],
    ...overrides,
  };
}

/** A window without a merged pull request. */
export function emptyFlow(overrides: Partial<DoraFlow> = {}): DoraFlow {
  const none = { pullRequests: 0, medianMinutes: null, p75Minutes: null };
  return makeFlow({
    pullRequests: 0,
    unreviewed: 0,
    parts: { coding: none, pickup: none, review: none, deploy: none },
    size: {
      measured: 0,
      medianLines: null,
      p75Lines: null,
      largeThresholdLines: 400,
      large: 0,
      largeShare: null,
    },
    weeks: [],
    ...overrides,
  });
}

export const slowPickup: DoraFlowPullRequest = {
  id: 'github:example-corp/payments-api:pull:418',
  entityRef: 'component:default/payments-api',
  sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
  author: 'amira.haddad',
  url: 'https://github.com/example-corp/payments-api/pull/418',
  authoredAt: '2026-11-18T08:00:00.000Z',
  createdAt: '2026-11-18T10:00:00.000Z',
  firstReviewAt: '2026-11-19T14:00:00.000Z',
  mergedAt: '2026-11-19T16:00:00.000Z',
  deploymentId: 'deploy-77',
  deployedAt: '2026-11-19T17:00:00.000Z',
  codingMinutes: 120,
  pickupMinutes: 1680,
  reviewMinutes: 120,
  deployMinutes: 60,
  reviewed: true,
  additions: 380,
  deletions: 120,
  linesChanged: 500,
  large: true,
};

export function waitingPullRequest(
  overrides: Partial<DoraWaitingPullRequest> = {},
): DoraWaitingPullRequest {
  return {
    id: 'github:example-corp/payments-api:pull:431',
    entityRef: 'component:default/payments-api',
    sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    author: 'amira.haddad',
    url: 'https://github.com/example-corp/payments-api/pull/431',
    createdAt: '2026-11-24T16:30:00.000Z',
    additions: 318,
    deletions: 120,
    linesChanged: 438,
    waitedHours: 41.5,
    overdue: true,
    ...overrides,
  };
}

/** `GET /v1/flow/waiting`: an overdue pull request (41 h 30 min) and a fresh one (3 h 12 min). */
export function makeWaiting(
  overrides: Partial<DoraWaitingPullRequests> = {},
): DoraWaitingPullRequests {
  return {
    entityRef: 'component:default/payments-api',
    entityRefs: ['component:default/payments-api'],
    asOf: '2026-11-26T10:00:00.000Z',
    overdueAfterHours: 24,
    totalCount: 2,
    overdueCount: 1,
    items: [
      waitingPullRequest(),
      waitingPullRequest({
        id: 'github:example-corp/payments-api:pull:440',
        author: 'li.wei',
        url: null,
        createdAt: '2026-11-26T06:48:00.000Z',
        waitedHours: 3.2,
        overdue: false,
        additions: 40,
        deletions: 2,
        linesChanged: 42,
      }),
    ],
    ...overrides,
  };
}

export function noneWaiting(): DoraWaitingPullRequests {
  return makeWaiting({ totalCount: 0, overdueCount: 0, items: [] });
}

export function pipelineFigures(
  overrides: Partial<DoraPipelineFigures> = {},
): DoraPipelineFigures {
  return {
    runs: 289,
    duration: { runs: 289, medianSeconds: 841.046, p90Seconds: 1203.689 },
    queue: { runs: 289, medianSeconds: 81.704 },
    defaultBranchSuccess: { successes: 140, failures: 38, rate: 0.7865 },
    flakiness: { failures: 53, flakyFailures: 33, rate: 0.6226 },
    timeToGreen: { recoveries: 33, stillRed: 1, medianSeconds: 2176.396 },
    ...overrides,
  };
}

/** `GET /v1/pipelines` of the flaky payments-api: CI and Nightly. */
export function makePipelines(
  overrides: Partial<DoraPipelinesResponse> = {},
): DoraPipelinesResponse {
  return {
    entityRef: 'component:default/payments-api',
    from: FROM,
    to: TO,
    entityRefs: ['component:default/payments-api'],
    figures: pipelineFigures(),
    pipelines: [
      {
        entityRef: 'component:default/payments-api',
        pipeline: 'CI',
        ...pipelineFigures({
          runs: 183,
          duration: { runs: 183, medianSeconds: 829.999, p90Seconds: 1220.822 },
          queue: { runs: 183, medianSeconds: 85.34 },
          defaultBranchSuccess: { successes: 53, failures: 19, rate: 0.7361 },
          flakiness: { failures: 34, flakyFailures: 17, rate: 0.5 },
          timeToGreen: {
            recoveries: 15,
            stillRed: 1,
            medianSeconds: 16779.882,
          },
        }),
      },
      {
        entityRef: 'component:default/payments-api',
        pipeline: 'Nightly',
        ...pipelineFigures({
          runs: 106,
          duration: { runs: 106, medianSeconds: 1500, p90Seconds: 1800 },
          queue: { runs: 106, medianSeconds: 45 },
          defaultBranchSuccess: { successes: 87, failures: 19, rate: 0.8208 },
          flakiness: { failures: 19, flakyFailures: 16, rate: 0.8421 },
          timeToGreen: { recoveries: 18, stillRed: 0, medianSeconds: 900 },
        }),
      },
    ],
    ...overrides,
  };
}

export function noPipelines(): DoraPipelinesResponse {
  return makePipelines({
    figures: pipelineFigures({
      runs: 0,
      duration: { runs: 0, medianSeconds: null, p90Seconds: null },
      queue: { runs: 0, medianSeconds: null },
      defaultBranchSuccess: { successes: 0, failures: 0, rate: null },
      flakiness: { failures: 0, flakyFailures: 0, rate: null },
      timeToGreen: { recoveries: 0, stillRed: 0, medianSeconds: null },
    }),
    pipelines: [],
  });
}

export const flakyRun: DoraPipelineRun = {
  id: 'gha-run-90412',
  attempt: 1,
  entityRef: 'component:default/payments-api',
  pipeline: 'CI',
  branch: 'main',
  onDefaultBranch: true,
  sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
  trigger: 'push',
  status: 'failure',
  queuedAt: '2026-11-25T10:30:00.000Z',
  startedAt: '2026-11-25T10:31:00.000Z',
  finishedAt: '2026-11-25T10:39:00.000Z',
  url: null,
  durationSeconds: 480,
  queueSeconds: 60,
  flaky: true,
  timeToGreenSeconds: 1270,
};

export function flowTeam(overrides: Partial<DoraFlowTeam> = {}): DoraFlowTeam {
  const flow = makeFlow();
  return {
    entityRef: 'group:default/payments',
    title: 'Payments',
    type: 'team',
    pullRequests: flow.pullRequests,
    unreviewed: flow.unreviewed,
    parts: flow.parts,
    size: flow.size,
    waiting: { totalCount: 3, overdueCount: 1 },
    computedAt: '2026-12-06T09:55:00.000Z',
    ...overrides,
  };
}

export function flowTeams(teams: DoraFlowTeam[]): DoraFlowTeamsResponse {
  return {
    from: FROM,
    to: TO,
    asOf: '2026-12-06T10:00:00.000Z',
    overdueAfterHours: 24,
    teams,
  };
}
