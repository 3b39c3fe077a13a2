import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DoraApi, DoraFlow, DoraMetrics } from '@vitals/plugin-dora-common';
import {
  periodRange,
  ReportCampaign,
  ReportDebt,
  ReportGoal,
  ReportTrend,
  ReportTrendSection,
  StakeholderReport,
  STATUS_THRESHOLDS,
} from '@vitals/plugin-goals-common';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import pLimit from 'p-limit';
import { GoalsStore, StoredCampaign } from '../database/GoalsStore';
import { describeAreaFailure } from '../service/FigureReader';
import { goalView } from '../service/goalView';
import {
  describeCampaign,
  describeDebt,
  describeGoal,
  describeKeyResult,
  describeTrend,
  STATUS_WORDS,
  verdictOf,
} from './plainLanguage';

const DAY_MS = 86_400_000;
/** Budgets read at once for the org's debt figure. */
const CONCURRENCY = 8;
/** Campaigns a report lists at most. */
const MAX_CAMPAIGNS = 200;
/** Goals a report lists at most (the API's largest page). */
const MAX_GOALS = 500;

const round1 = (v: number) => Math.round(v * 10) / 10;
const hours = (minutes: number | null) =>
  minutes === null ? null : round1(minutes / 60);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** The quarter before `quarter`: 2026-Q1 → 2025-Q4. */
export function previousQuarter(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/** Deployments per week over a window of `days` days. */
const perWeek = (count: number, days: number) =>
  days > 0 ? round1((count / days) * 7) : null;

/** The DORA figures the report compares, from two windows' metrics. */
export function doraTrends(
  current: DoraMetrics,
  previous: DoraMetrics,
): ReportTrend[] {
  const daysOf = (m: DoraMetrics) =>
    (Date.parse(m.to) - Date.parse(m.from)) / DAY_MS;
  const share = (rate: number | null) =>
    rate === null ? null : round1(rate * 100);
  const rows: Array<Omit<ReportTrend, 'verdict' | 'sentence'>> = [
    {
      metric: 'deploymentFrequency',
      label: 'Deployment frequency',
      unit: 'deployments a week',
      better: 'up',
      current: perWeek(
        current.deploymentFrequency.deployments,
        daysOf(current),
      ),
      previous: perWeek(
        previous.deploymentFrequency.deployments,
        daysOf(previous),
      ),
    },
    {
      metric: 'leadTimeForChanges',
      label: 'Lead time for changes (median)',
      unit: 'h',
      better: 'down',
      current: hours(current.leadTimeForChanges.medianMinutes),
      previous: hours(previous.leadTimeForChanges.medianMinutes),
    },
    {
      metric: 'changeFailureRate',
      label: 'Change failure rate',
      unit: '%',
      better: 'down',
      current: share(current.changeFailureRate.rate),
      previous: share(previous.changeFailureRate.rate),
    },
    {
      metric: 'timeToRestore',
      label: 'Time to restore service (median)',
      unit: 'h',
      better: 'down',
      current: hours(current.timeToRestore.medianMinutes),
      previous: hours(previous.timeToRestore.medianMinutes),
    },
  ];
  return rows.map(finishTrend);
}

/** The flow figures the report compares: the four parts of the cycle time and the share merged without review. */
export function flowTrends(
  current: DoraFlow,
  previous: DoraFlow,
): ReportTrend[] {
  const unreviewed = (f: DoraFlow) =>
    f.pullRequests > 0 ? round1((f.unreviewed / f.pullRequests) * 100) : null;
  const part = (
    metric: 'coding' | 'pickup' | 'review' | 'deploy',
    label: string,
  ) => ({
    metric: `${metric}Time`,
    label,
    unit: 'h',
    better: 'down' as const,
    current: hours(current.parts[metric].medianMinutes),
    previous: hours(previous.parts[metric].medianMinutes),
  });
  return [
    part('coding', 'Coding time (median)'),
    part('pickup', 'Pickup time, waiting for a first review (median)'),
    part('review', 'Review time (median)'),
    part('deploy', 'Deploy time, merge to production (median)'),
    {
      metric: 'unreviewedShare',
      label: 'Pull requests merged without a review',
      unit: '%',
      better: 'down' as const,
      current: unreviewed(current),
      previous: unreviewed(previous),
    },
  ].map(finishTrend);
}

function finishTrend(
  row: Omit<ReportTrend, 'verdict' | 'sentence'>,
): ReportTrend {
  return {
    ...row,
    verdict: verdictOf(row.previous, row.current, row.better),
    sentence: describeTrend(row),
  };
}

/**
 * A campaign's standing for the report: at risk while it runs when the share done trails the share of its time gone by
 * more than the goals' on-track margin, or when a team's remaining effort does not fit in its debt budget.
 */
export function campaignStanding(
  campaign: Pick<StoredCampaign, 'name' | 'deadline' | 'createdAt'>,
  figures: { entities: number; done: number; infeasibleTeams: string[] },
  now: Date,
): Omit<ReportCampaign, 'id' | 'status'> {
  const deadlineEnd = Date.parse(`${campaign.deadline}T00:00:00Z`) + DAY_MS;
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  const daysToDeadline = Math.round((deadlineEnd - DAY_MS - today) / DAY_MS);
  const start = Date.parse(campaign.createdAt);
  const elapsed =
    deadlineEnd > start
      ? Math.min(
          1,
          Math.max(0, (now.getTime() - start) / (deadlineEnd - start)),
        )
      : 1;
  const doneShare = figures.entities > 0 ? figures.done / figures.entities : 1;
  const riskReasons: string[] = [];
  const running = daysToDeadline >= 0;
  const behind = (elapsed - doneShare) * 100;
  if (running && doneShare < 1 && behind > STATUS_THRESHOLDS.onTrackWithin) {
    riskReasons.push(
      `${Math.round(doneShare * 100)}% done with ${Math.round(
        elapsed * 100,
      )}% of its time gone`,
    );
  }
  if (running && figures.infeasibleTeams.length) {
    riskReasons.push(
      `the work left does not fit in the debt budget of ${figures.infeasibleTeams.join(
        ', ',
      )}`,
    );
  }
  const standing = {
    name: campaign.name,
    deadline: campaign.deadline,
    entities: figures.entities,
    done: figures.done,
    daysToDeadline,
    atRisk: riskReasons.length > 0,
    riskReasons,
  };
  return { ...standing, sentence: describeCampaign(standing) };
}

export interface StakeholderReporterOptions {
  store: GoalsStore;
  catalog: CatalogService;
  dora: Pick<DoraApi, 'getMetrics' | 'getFlow'>;
  techDebt: Pick<TechDebtApi, 'getBudget'>;
  /** The group that stands for the org in DORA and flow figures. */
  orgGroupRef: () => Promise<string>;
  credentials: () => Promise<BackstageCredentials>;
}

/**
 * The stakeholder report of a team or the org for a quarter: goals and their status from the store, campaigns from
 * their last snapshot, DORA and flow figures of the quarter against the previous one from the DORA area, and debt paid
 * down against the days reserved from the tech-debt area. An area that fails leaves its section unavailable with the
 * reason; the report is still served.
 */
export class StakeholderReporter {
  constructor(private readonly options: StakeholderReporterOptions) {}

  async build(
    team: string,
    title: string,
    quarter: string,
    now: Date,
  ): Promise<StakeholderReport> {
    const range = periodRange(quarter);
    const previous = previousQuarter(quarter);
    const prevRange = periodRange(previous);
    const to = new Date(Math.min(range.end.getTime(), now.getTime()));
    const started = now >= range.start;
    const [goals, campaigns, delivery, flow, debt] = await Promise.all([
      this.goals(team, quarter, started ? to : range.start),
      this.campaigns(team, range, now),
      started
        ? this.trends(team, 'dora', range.start, to, prevRange)
        : notYet(quarter),
      started
        ? this.trends(team, 'flow', range.start, to, prevRange)
        : notYet(quarter),
      this.debt(
        team,
        quarter,
        Math.max(0, Math.ceil((range.end.getTime() - now.getTime()) / DAY_MS)),
      ),
    ]);
    return {
      team,
      title,
      quarter,
      previousQuarter: previous,
      from: range.start.toISOString(),
      to: to.toISOString(),
      generatedAt: now.toISOString(),
      summary: summarize({ goals, campaigns, delivery, flow, debt }),
      goals,
      campaigns,
      delivery,
      flow,
      debt,
    };
  }

  private async goals(
    team: string,
    quarter: string,
    at: Date,
  ): Promise<ReportGoal[]> {
    const { goals } = await this.options.store.listGoals({
      owners: [team],
      periods: [quarter],
      limit: MAX_GOALS,
      offset: 0,
    });
    return goals.map(stored => {
      const goal = goalView(stored, at);
      return {
        id: goal.id,
        objective: goal.objective,
        ownerRef: goal.ownerRef,
        status: goal.status,
        progress: goal.progress,
        expectedProgress: goal.expectedProgress,
        sentence: describeGoal(goal),
        keyResults: goal.keyResults.map(kr => ({
          id: kr.id,
          title: kr.title,
          label: kr.label,
          unit: kr.unit,
          manual: kr.manual,
          baseline: kr.baseline,
          target: kr.target,
          current: kr.current,
          progress: kr.progress,
          expectedProgress: kr.expectedProgress,
          status: kr.status,
          sentence: describeKeyResult(kr),
        })),
      };
    });
  }

  /** Campaigns that ran during the quarter (launched before its end, due on or after its start). */
  private async campaigns(
    team: string,
    range: { start: Date; end: Date },
    now: Date,
  ): Promise<ReportCampaign[]> {
    const { store } = this.options;
    const today = dayOf(now);
    const { campaigns } = await store.listCampaigns({
      today,
      owners: team === 'org' ? undefined : [team],
      limit: MAX_CAMPAIGNS,
      offset: 0,
    });
    const inQuarter = campaigns.filter(
      c =>
        Date.parse(c.createdAt) < range.end.getTime() &&
        c.deadline >= dayOf(range.start),
    );
    return Promise.all(
      inQuarter.map(async c => {
        const teams = await store.getCampaignTeams(c.id);
        const mine =
          team === 'org' ? teams : teams.filter(t => t.ownerRef === team);
        const entities =
          team === 'org'
            ? c.entities
            : mine.reduce((s, t) => s + t.entities, 0);
        const done =
          team === 'org' ? c.done : mine.reduce((s, t) => s + t.done, 0);
        const infeasibleTeams = mine
          .filter(t => t.capacity.feasible === false)
          .map(t => t.ownerRef ?? 'entities without an owner');
        return {
          id: c.id,
          status:
            c.deadline >= today ? ('running' as const) : ('ended' as const),
          ...campaignStanding(c, { entities, done, infeasibleTeams }, now),
        };
      }),
    );
  }

  private async trends(
    team: string,
    kind: 'dora' | 'flow',
    from: Date,
    to: Date,
    previous: { start: Date; end: Date },
  ): Promise<ReportTrendSection> {
    let entityRef = team;
    if (team === 'org') {
      try {
        entityRef = await this.options.orgGroupRef();
      } catch (error) {
        return {
          available: false,
          reason: String((error as Error).message),
          trends: [],
        };
      }
    }
    try {
      const window = (a: Date, b: Date) => ({
        entityRef,
        from: a.toISOString(),
        to: b.toISOString(),
      });
      const { dora } = this.options;
      if (kind === 'dora') {
        const [now, before] = await Promise.all([
          dora.getMetrics(window(from, to)),
          dora.getMetrics(window(previous.start, previous.end)),
        ]);
        return {
          available: true,
          reason: null,
          trends: doraTrends(now, before),
        };
      }
      const [now, before] = await Promise.all([
        dora.getFlow(window(from, to)),
        dora.getFlow(window(previous.start, previous.end)),
      ]);
      return { available: true, reason: null, trends: flowTrends(now, before) };
    } catch (error) {
      return {
        available: false,
        reason: describeAreaFailure('dora', error),
        trends: [],
      };
    }
  }

  /** The team's budget, or for the org the sum of every group's (each item is paid down by its one owner). */
  private async debt(
    team: string,
    quarter: string,
    daysLeftInQuarter: number,
  ): Promise<ReportDebt> {
    const { techDebt, catalog } = this.options;
    try {
      let groups = [team];
      if (team === 'org') {
        const { items } = await catalog.getEntities(
          {
            filter: { kind: 'group' },
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          },
          { credentials: await this.options.credentials() },
        );
        groups = items.map(g =>
          stringifyEntityRef(g).toLocaleLowerCase('en-US'),
        );
      }
      const limit = pLimit(CONCURRENCY);
      const budgets = await Promise.all(
        groups.map(g => limit(() => techDebt.getBudget(g, quarter))),
      );
      const counted = budgets.filter(
        b => b.reservedDays !== null || b.paidDownDays > 0,
      );
      const reserved = counted.filter(b => b.reservedDays !== null);
      const figures = {
        reservedDays: reserved.length
          ? round1(reserved.reduce((s, b) => s + b.reservedDays!, 0))
          : null,
        paidDownDays: round1(counted.reduce((s, b) => s + b.paidDownDays, 0)),
        resolvedCount: counted.reduce((s, b) => s + b.resolvedCount, 0),
      };
      return {
        available: true,
        reason: null,
        ...figures,
        teams: team === 'org' ? counted.map(b => b.groupRef).sort() : [team],
        sentence: describeDebt({ ...figures, daysLeftInQuarter }),
      };
    } catch (error) {
      return {
        available: false,
        reason: describeAreaFailure('tech-debt', error),
        reservedDays: null,
        paidDownDays: 0,
        resolvedCount: 0,
        teams: [],
        sentence: `Debt figures are not available: ${describeAreaFailure(
          'tech-debt',
          error,
        )}.`,
      };
    }
  }
}

function notYet(quarter: string): ReportTrendSection {
  return {
    available: false,
    reason: `${quarter} has not started`,
    trends: [],
  };
}

/** The headline: goals by status, campaigns at risk, the biggest moves in delivery and flow, and debt. */
export function summarize(report: {
  goals: ReportGoal[];
  campaigns: ReportCampaign[];
  delivery: ReportTrendSection;
  flow: ReportTrendSection;
  debt: ReportDebt;
}): string[] {
  const lines: string[] = [];
  const { goals, campaigns } = report;
  if (goals.length === 0) {
    lines.push('No goals set for the quarter.');
  } else {
    const byStatus = new Map<string, number>();
    for (const g of goals)
      byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + 1);
    const parts = (
      ['on_track', 'at_risk', 'off_track', 'not_started', 'no_data'] as const
    )
      .filter(s => byStatus.get(s))
      .map(s => `${byStatus.get(s)} ${STATUS_WORDS[s]}`);
    lines.push(
      `${goals.length} ${goals.length === 1 ? 'goal' : 'goals'}: ${parts.join(
        ', ',
      )}.`,
    );
  }
  const atRisk = campaigns.filter(c => c.atRisk);
  if (campaigns.length) {
    lines.push(
      `${campaigns.length} ${
        campaigns.length === 1 ? 'campaign' : 'campaigns'
      }${
        atRisk.length
          ? `, ${atRisk.length} at risk: ${atRisk.map(c => c.name).join(', ')}`
          : ', none at risk'
      }.`,
    );
  }
  const moved = [...report.delivery.trends, ...report.flow.trends].filter(
    t => t.verdict === 'better' || t.verdict === 'worse',
  );
  const better = moved.filter(t => t.verdict === 'better').map(t => t.label);
  const worse = moved.filter(t => t.verdict === 'worse').map(t => t.label);
  if (better.length)
    lines.push(`Better than last quarter: ${better.join(', ')}.`);
  if (worse.length) lines.push(`Worse than last quarter: ${worse.join(', ')}.`);
  lines.push(report.debt.sentence);
  return lines;
}
