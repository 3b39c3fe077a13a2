import { doraEventSchema, ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { demoPipelineRunsFor, hasFlakyDemoPipelines } from './demoPipelineRuns';

const NOW = new Date('2026-06-15T18:00:00.000Z');
const DAY = 86_400_000;

type Run = Extract<ParsedDoraEvent, { type: 'pipelineRun' }>;
const runsOf = (entityRef: string) =>
  demoPipelineRunsFor(entityRef, NOW) as Run[];

/** Of the failed first attempts, the share whose re-run on the same commit passed. */
function flakyShare(runs: Run[]): number {
  const passed = new Set(
    runs.filter(r => r.attempt > 1 && r.status === 'success').map(r => r.id),
  );
  const failed = runs.filter(r => r.attempt === 1 && r.status === 'failure');
  return failed.filter(r => passed.has(r.id)).length / failed.length;
}

describe('demo pipeline runs', () => {
  it('gives a year of valid runs, the same on every call, none finishing after now', () => {
    const runs = runsOf('component:default/checkout-api');
    expect(runsOf('component:default/checkout-api')).toEqual(runs);
    expect(runs.length).toBeGreaterThan(700);
    for (const run of runs) expect(doraEventSchema.parse(run)).toEqual(run);
    const queued = runs.map(r => Date.parse(r.queuedAt));
    expect(Math.min(...queued)).toBeLessThan(NOW.getTime() - 360 * DAY);
    expect(Math.max(...runs.map(r => Date.parse(r.finishedAt!)))).toBeLessThan(
      NOW.getTime(),
    );
    // (id, attempt) is unique: a re-run is the next attempt of its run.
    expect(new Set(runs.map(r => `${r.id}#${r.attempt}`)).size).toBe(
      runs.length,
    );
    expect(new Set(runs.map(r => r.pipeline))).toEqual(
      new Set(['CI', 'Nightly']),
    );
    expect(new Set(runs.map(r => r.trigger))).toEqual(
      new Set(['push', 'pull_request', 'schedule']),
    );
  });

  it('makes the Payments team’s pipelines flaky and the others steady', () => {
    const payments = [
      'component:default/payments-api',
      'component:default/ledger-service',
      'component:default/fraud-detector',
    ];
    expect(payments.every(hasFlakyDemoPipelines)).toBe(true);
    expect(hasFlakyDemoPipelines('component:default/checkout-api')).toBe(false);
    for (const ref of payments)
      expect(flakyShare(runsOf(ref))).toBeGreaterThan(0.5);
    for (const ref of [
      'component:default/checkout-api',
      'component:default/storefront-web',
      'component:default/recommendations',
    ])
      expect(flakyShare(runsOf(ref))).toBeLessThan(0.25);
  });
});
