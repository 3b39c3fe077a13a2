import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CampaignEntity,
  computeProgress,
  Direction,
  expectedProgress,
  FigureDescriptor,
  periodRange,
  quarterOf,
} from '@vitals/plugin-goals-common';
import { CampaignSnapshot, GoalsStore, Reading } from '../database/GoalsStore';
import { CampaignEvaluator } from '../service/CampaignEvaluator';
import { FigureReader } from '../service/FigureReader';

const DAY_MS = 86_400_000;
const ACTOR = 'user:default/priya.nair';
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const round2 = (value: number) => Math.round(value * 100) / 100;

/** A demo key result: its figure, and where its progress should stand against the expected line. */
interface DemoKeyResult {
  title: string;
  figure: FigureDescriptor;
  direction: Direction;
  /** The target as a multiple of the live value now. */
  targetFactor: number;
  /** Progress, in points, relative to the expected progress today (+5 on track, −18 at risk). */
  againstExpected: number;
}

const team = (name: string) => ({
  kind: 'team' as const,
  ref: `group:default/${name}`,
});

const DEMO_GOALS: Array<{
  ownerRef: string;
  objective: string;
  keyResults: DemoKeyResult[];
}> = [
  {
    ownerRef: 'group:default/payments',
    objective: 'Ship payment changes in hours, not days',
    keyResults: [
      {
        title: 'Lead time for changes down by 40 %',
        figure: {
          source: 'dora',
          metric: 'leadTimeForChanges',
          scope: team('payments'),
        },
        direction: 'down',
        targetFactor: 0.6,
        againstExpected: 5,
      },
      {
        title: 'Deploy on more days of the week',
        figure: {
          source: 'dora',
          metric: 'deploymentFrequency',
          scope: team('payments'),
        },
        direction: 'up',
        targetFactor: 1.25,
        againstExpected: 3,
      },
    ],
  },
  {
    ownerRef: 'group:default/storefront',
    objective: 'Fewer failed storefront releases',
    keyResults: [
      {
        title: 'Change failure rate down by half',
        figure: {
          source: 'dora',
          metric: 'changeFailureRate',
          scope: team('storefront'),
        },
        direction: 'down',
        targetFactor: 0.5,
        againstExpected: -18,
      },
      {
        title: 'Lead time for changes down by a third',
        figure: {
          source: 'dora',
          metric: 'leadTimeForChanges',
          scope: team('storefront'),
        },
        direction: 'down',
        targetFactor: 0.67,
        againstExpected: -16,
      },
    ],
  },
];

/**
 * The baseline that puts a key result at `progress` (0–1) with `current` now and `target`: solved from
 * `progress = (current − baseline) / (target − baseline)`.
 */
export function baselineFor(
  current: number,
  target: number,
  progress: number,
): number {
  return round2((current - progress * target) / (1 - progress));
}

/**
 * Seeds a quarter of goals for Payments (on track) and Storefront (at risk) and one running campaign with a burn-up
 * over the past weeks. Goals are anchored on the live DORA figures: each baseline is chosen so that the live value
 * stands where the demo wants it against the expected line, and the trend walks from the baseline to it. Returns
 * false (to be tried again) until the figures and the catalog are there, and when the plugin already holds a goal.
 */
export async function seedDemoData(options: {
  store: GoalsStore;
  reader: FigureReader;
  evaluator: CampaignEvaluator;
  logger: LoggerService;
  now?: Date;
}): Promise<boolean> {
  const { store, reader, evaluator, logger } = options;
  const now = options.now ?? new Date();
  if ((await store.listGoals({ limit: 1, offset: 0 })).totalCount > 0) {
    return false;
  }
  const period = quarterOf(now);
  const range = periodRange(period);
  const expected = expectedProgress(range, now) / 100;

  // Read every live figure first: nothing is written until the areas answer. A figure that answers with no value or
  // zero (nothing to improve) is left out of its goal.
  const live = new Map<DemoKeyResult, number>();
  for (const goal of DEMO_GOALS) {
    for (const kr of goal.keyResults) {
      const reading = await reader.read(kr.figure, { now, period });
      if (!reading.available) {
        logger.info(
          `Goals demo waits for ${kr.figure.source} ${kr.figure.metric} of ${kr.figure.scope.ref}: ${reading.reason}`,
        );
        return false;
      }
      if (reading.value !== null && reading.value > 0) {
        live.set(kr, reading.value);
      }
    }
    if (!goal.keyResults.some(kr => live.has(kr))) {
      logger.info(`Goals demo waits for DORA figures of ${goal.ownerRef}`);
      return false;
    }
  }

  // The campaign's burn-up is drawn back from where its entities stand now, so it waits for the catalog to list the
  // services and for scorecards to have evaluated them (else every day would read 0 done, and stay so).
  const campaign = await evaluator.evaluate(demoCampaignRequest(now).request);
  if (
    campaign.entities.length === 0 ||
    campaign.unevaluated === campaign.entities.length
  ) {
    logger.info(
      `Goals demo waits for the scorecard results of the services (${campaign.entities.length} selected, none evaluated yet)`,
    );
    return false;
  }

  for (const goal of DEMO_GOALS) {
    const keyResults = goal.keyResults
      .filter(kr => live.has(kr))
      .map(kr => {
        const current = live.get(kr)!;
        const target = round2(current * kr.targetFactor);
        const progress = Math.min(
          0.95,
          Math.max(0, expected + kr.againstExpected / 100),
        );
        return {
          kr,
          current,
          target,
          baseline: baselineFor(current, target, progress),
        };
      });
    const at = range.start;
    const reading = (value: number, time: Date): Reading => ({
      value,
      available: true,
      reason: null,
      at: time,
    });
    const created = await store.createGoal(
      {
        objective: goal.objective,
        description: 'Demo goal: its key results follow the live DORA figures.',
        ownerRef: goal.ownerRef,
        period,
        periodStart: range.start,
        periodEnd: range.end,
        keyResults: keyResults.map(k => ({
          title: k.kr.title,
          figure: k.kr.figure,
          direction: k.kr.direction,
          target: k.target,
          baseline: k.baseline,
          reading: reading(k.baseline, at),
        })),
      },
      ACTOR,
      at,
    );
    // A weekly trend from the baseline to the live value, with a deterministic wobble.
    for (const [i, k] of keyResults.entries()) {
      const id = created.keyResults[i].id;
      const span = now.getTime() - range.start.getTime();
      for (
        let t = range.start.getTime() + 7 * DAY_MS;
        t < now.getTime() - DAY_MS;
        t += 7 * DAY_MS
      ) {
        const share = (t - range.start.getTime()) / span;
        const wobble = 1 + 0.04 * Math.sin(t / DAY_MS + i);
        const value = round2(
          (k.baseline + (k.current - k.baseline) * share) * wobble,
        );
        await store.recordReading(id, reading(value, new Date(t)), true);
      }
      await store.recordReading(id, reading(k.current, now), true);
      logger.info(
        `Goals demo: ${k.kr.title} — baseline ${k.baseline}, now ${
          k.current
        }, target ${k.target}, progress ${computeProgress({
          baseline: k.baseline,
          target: k.target,
          current: k.current,
          direction: k.kr.direction,
        })} %`,
      );
    }
  }

  await seedDemoCampaign({ store, live: campaign, now });
  return true;
}

/**
 * The demo campaign: the Bronze checks of the example "Production readiness" scorecard (examples/scorecards.yaml) for
 * every service. With the example catalog (examples/entities.yaml) six of the eight services pass them all; the two
 * that do not link their source repository are the orphaned legacy-reporting and promo-engine, whose owner does not
 * exist, so the campaign is believably under way and its open part is the one nobody is looking after.
 */
export const DEMO_CAMPAIGN = {
  name: 'Bronze production readiness for every service',
  description:
    'Before the holiday freeze every service is findable and owned: an owner, a description, a system, and its source repository linked, so that whoever is on call knows what it is, who runs it and where its code lives.',
  checks: [
    { scorecardId: 'production-readiness', checkId: 'has-owner' },
    { scorecardId: 'production-readiness', checkId: 'has-description' },
    { scorecardId: 'production-readiness', checkId: 'in-a-system' },
    { scorecardId: 'production-readiness', checkId: 'source-linked' },
  ],
  selection: { kind: ['component'], type: ['service'] },
  effortDaysPerEntity: 1.5,
  reminderDaysBefore: [14, 7, 1],
};

/** The demo campaign's request: launched four weeks before `now`, due three weeks after. */
function demoCampaignRequest(now: Date) {
  const today = Date.parse(`${dayOf(now.getTime())}T00:00:00Z`);
  return {
    launched: today - 28 * DAY_MS,
    request: { ...DEMO_CAMPAIGN, deadline: dayOf(today + 21 * DAY_MS) },
  };
}

/**
 * The campaign launched four weeks ago, with its burn-up seeded day by day from where its entities stand now (`live`,
 * the evaluator's answer): the entities done today became done on days spread evenly over the four weeks, the others
 * stay open every day, so that the last seeded day agrees with the live figures the next snapshot reads.
 */
async function seedDemoCampaign(options: {
  store: GoalsStore;
  live: CampaignSnapshot;
  now: Date;
}) {
  const { store, live: snapshot, now } = options;
  const { launched, request } = demoCampaignRequest(now);
  const campaign = await store.createCampaign(
    request,
    ACTOR,
    new Date(launched),
  );
  const done = snapshot.entities.filter(e => e.state !== 'open');
  // Done entity k (in ref order) became done on day k × 28 / (done + 1) after launch.
  const doneOn = new Map(
    done.map((e, k) => [
      e.entityRef,
      Math.round(((k + 1) * 28) / (done.length + 1)),
    ]),
  );
  for (let d = 0; d < 28; d++) {
    const entities: CampaignEntity[] = snapshot.entities.map(e =>
      e.state !== 'open' && doneOn.get(e.entityRef)! > d
        ? {
            ...e,
            state: 'open',
            failingChecks: [...e.failingChecks, ...e.waivedChecks],
            waivedChecks: [],
          }
        : e,
    );
    const teams = snapshot.teams.map(t => {
      const mine = entities.filter(e => e.ownerRef === t.ownerRef);
      const teamDone = mine.filter(e => e.state !== 'open').length;
      return {
        ...t,
        done: teamDone,
        waived: mine.filter(e => e.state === 'waived').length,
        remainingEffortDays: round2(
          (mine.length - teamDone) * request.effortDaysPerEntity,
        ),
      };
    });
    const day = launched + d * DAY_MS;
    await store.writeCampaignSnapshot(
      campaign.id,
      { entities, teams },
      dayOf(day),
      new Date(day + 6 * 3_600_000),
    );
  }
}
