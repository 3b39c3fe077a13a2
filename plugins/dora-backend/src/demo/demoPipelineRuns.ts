import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { hash, mulberry32 } from './random';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The example team whose pipelines are flaky (examples/entities.yaml: Payments owns these); the others are steady. */
const FLAKY_ENTITIES = new Set([
  'component:default/payments-api',
  'component:default/ledger-service',
  'component:default/fraud-detector',
]);

/** How a team's CI behaves. */
interface CiProfile {
  /** Chance that a run fails. */
  failureRate: number;
  /** Of the failures, the share a re-run of the same commit passes (flaky). */
  flakyShare: number;
  durationMinutes: [number, number];
  queueSeconds: [number, number];
}

const STEADY: CiProfile = {
  failureRate: 0.06,
  flakyShare: 0.1,
  durationMinutes: [5, 11],
  queueSeconds: [4, 40],
};
const FLAKY: CiProfile = {
  failureRate: 0.18,
  flakyShare: 0.65,
  durationMinutes: [9, 22],
  queueSeconds: [10, 150],
};

/** Whether the example entity's team has flaky pipelines in the demo. */
export function hasFlakyDemoPipelines(entityRef: string): boolean {
  return FLAKY_ENTITIES.has(entityRef);
}

/**
 * A year of CI runs for one entity, deterministic for its ref and day: on weekdays one to four pushes, each a `CI` run
 * on `main` (push) or on a feature branch (pull request), and a `Nightly` run on `main` every night. Failed runs of the
 * flaky team are mostly re-run on the same commit and pass (attempt 2); other failures are real and stay red until the
 * next run of the pipeline on the branch. Runs that would finish after `now` are left out.
 */
export function demoPipelineRunsFor(
  entityRef: string,
  now: Date,
): ParsedDoraEvent[] {
  const profile = hasFlakyDemoPipelines(entityRef) ? FLAKY : STEADY;
  const random = mulberry32(hash(`${entityRef}#pipelines`));
  const between = ([lo, hi]: [number, number]) => lo + random() * (hi - lo);
  const name = entityRef.split('/').pop()!;
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const events: ParsedDoraEvent[] = [];
  let runNo = 0;
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

  const run = (
    pipeline: string,
    branch: string,
    trigger: string,
    at: number,
  ) => {
    runNo++;
    const id = `${name}-${pipeline.toLowerCase()}-${runNo}`;
    const sha = `${hash(`${entityRef}@${runNo}`)
      .toString(16)
      .padStart(8, '0')}${runNo.toString(16).padStart(6, '0')}`;
    const attempt = (
      n: number,
      queuedAt: number,
      status: 'success' | 'failure' | 'cancelled',
    ) => {
      const startedAt = queuedAt + between(profile.queueSeconds) * SECOND;
      const minutes =
        status === 'cancelled'
          ? between([0.5, 3])
          : between(profile.durationMinutes) * (status === 'failure' ? 0.7 : 1);
      const finishedAt = startedAt + minutes * MINUTE;
      if (finishedAt >= now.getTime()) return undefined;
      events.push({
        type: 'pipelineRun',
        id,
        entityRef,
        attempt: n,
        pipeline,
        branch,
        defaultBranch: 'main',
        sha,
        trigger,
        status,
        queuedAt: iso(queuedAt),
        startedAt: iso(startedAt),
        finishedAt: iso(finishedAt),
        url: `https://ci.example.com/${name}/runs/${runNo}${
          n > 1 ? `/attempts/${n}` : ''
        }`,
      });
      return finishedAt;
    };
    const draw = random();
    let status: 'success' | 'failure' | 'cancelled' = 'success';
    if (trigger === 'pull_request' && draw < 0.03) status = 'cancelled';
    else if (draw < 0.03 + profile.failureRate) status = 'failure';
    const finishedAt = attempt(1, at, status);
    if (
      status === 'failure' &&
      finishedAt !== undefined &&
      random() < profile.flakyShare
    ) {
      // Someone presses "re-run" on the same commit, and it passes.
      attempt(2, finishedAt + between([3, 25]) * MINUTE, 'success');
    }
  };

  for (let day = today - 365 * DAY; day < today + DAY; day += DAY) {
    const weekday = new Date(day).getUTCDay() % 6 !== 0;
    const pushes = weekday ? 1 + Math.floor(random() * 4) : 0;
    const times = Array.from(
      { length: pushes },
      () => day + 8 * HOUR + random() * 10 * HOUR,
    ).sort((a, b) => a - b);
    run('Nightly', 'main', 'schedule', day + 2 * HOUR + random() * 20 * MINUTE);
    for (const at of times) {
      const onMain = random() < 0.4;
      run(
        'CI',
        onMain ? 'main' : `feature/${name}-${runNo + 1}`,
        onMain ? 'push' : 'pull_request',
        at,
      );
    }
  }
  return events;
}
