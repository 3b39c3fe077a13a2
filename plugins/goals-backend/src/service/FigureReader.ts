import { isError } from '@backstage/errors';
import { DoraApi } from '@vitals/plugin-dora-common';
import {
  FigureDescriptor,
  periodRange,
  quarterOf,
} from '@vitals/plugin-goals-common';
import { OnboardingApi } from '@vitals/plugin-onboarding-common';
import { OwnershipApi } from '@vitals/plugin-ownership-common';
import { PostmortemsApi } from '@vitals/plugin-postmortems-common';
import { ScorecardsApi } from '@vitals/plugin-scorecards-common';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import { Reading } from '../database/GoalsStore';

/** The typed clients of the areas figures are read from, each calling as the goals plugin. */
export interface AreaClients {
  dora: Pick<DoraApi, 'getMetrics' | 'getFlow'>;
  scorecards: Pick<
    ScorecardsApi,
    | 'getDefinition'
    | 'getGroupRollup'
    | 'getOrgSummary'
    | 'getEntityResults'
    | 'getEntityResultsBatch'
  >;
  ownership: Pick<OwnershipApi, 'getGroup' | 'getReportSummary'>;
  onboarding: Pick<OnboardingApi, 'getTeamReport'>;
  techDebt: Pick<TechDebtApi, 'getBudget' | 'getSummary'>;
  postmortems: Pick<PostmortemsApi, 'getCoverage' | 'getEntityFigures'>;
}

/** Reads the live value of a figure. */
export interface FigureReader {
  /**
   * The figure's value now. Never throws for an area that fails or refuses: the reading is then unavailable and says
   * why. `period` is the goal's (the tech-debt budget's quarter defaults to it).
   */
  read(
    figure: FigureDescriptor,
    options: { now: Date; period?: string },
  ): Promise<Reading>;
}

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_DAYS = 90;

const round2 = (value: number) => Math.round(value * 100) / 100;
const hours = (minutes: number | null) =>
  minutes === null ? null : round2(minutes / 60);
const percent = (fraction: number | null) =>
  fraction === null ? null : round2(fraction * 100);

/** Why a call to an area failed, in a sentence for the key result. */
export function describeAreaFailure(source: string, error: unknown): string {
  const e = error as {
    response?: { status?: number };
    body?: { error?: { message?: string } };
  };
  const status = e?.response?.status;
  const message =
    e?.body?.error?.message ?? (isError(error) ? error.message : String(error));
  if (status) return `The ${source} area answered ${status}: ${message}`;
  return `The ${source} area did not answer: ${message}`;
}

class NoValue extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoValue';
  }
}

/** Reads figures through each area's typed client. */
export class AreaFigureReader implements FigureReader {
  constructor(
    private readonly clients: AreaClients,
    /** The group that stands for the org, or why there is none. */
    private readonly orgGroupRef: () => Promise<string>,
  ) {}

  async read(
    figure: FigureDescriptor,
    options: { now: Date; period?: string },
  ): Promise<Reading> {
    const at = options.now;
    if (figure.source === 'manual') {
      return {
        value: null,
        available: false,
        reason: 'A manual key result is typed in, not read',
        at,
      };
    }
    try {
      const value = await this.value(figure, options);
      return {
        value,
        available: true,
        reason: value === null ? 'No data for this scope yet' : null,
        at,
      };
    } catch (error) {
      const reason =
        error instanceof NoValue
          ? error.message
          : describeAreaFailure(figure.source, error);
      return { value: null, available: false, reason, at };
    }
  }

  /** The entity or group ref DORA and flow pool: the scope's, or the org's group. */
  private async poolRef(figure: FigureDescriptor): Promise<string> {
    return figure.scope.kind === 'org' ? this.orgGroupRef() : figure.scope.ref!;
  }

  private window(figure: FigureDescriptor, now: Date) {
    const days = Number(figure.params?.windowDays ?? DEFAULT_WINDOW_DAYS);
    return {
      from: new Date(now.getTime() - days * DAY_MS).toISOString(),
      to: now.toISOString(),
    };
  }

  private async value(
    figure: FigureDescriptor,
    options: { now: Date; period?: string },
  ): Promise<number | null> {
    const { metric, scope } = figure;
    switch (figure.source) {
      case 'dora': {
        const m = await this.clients.dora.getMetrics({
          entityRef: await this.poolRef(figure),
          ...this.window(figure, options.now),
        });
        switch (metric) {
          case 'deploymentFrequency':
            return m.deploymentFrequency.weeklyMedianDeploymentDays;
          case 'leadTimeForChanges':
            return hours(m.leadTimeForChanges.medianMinutes);
          case 'changeFailureRate':
            return percent(m.changeFailureRate.rate);
          case 'timeToRestore':
            return hours(m.timeToRestore.medianMinutes);
          case 'reworkRate':
            return percent(m.reworkRate.rate);
          case 'failedDeploymentRecoveryTime':
            return hours(m.failedDeploymentRecoveryTime.medianMinutes);
          default:
            break;
        }
        break;
      }
      case 'flow': {
        const f = await this.clients.dora.getFlow({
          entityRef: await this.poolRef(figure),
          ...this.window(figure, options.now),
        });
        if (metric === 'unreviewedShare') {
          return f.pullRequests
            ? round2((f.unreviewed / f.pullRequests) * 100)
            : null;
        }
        const part = metric.replace(/Time$/, '') as keyof typeof f.parts;
        if (f.parts[part]) return hours(f.parts[part].medianMinutes);
        break;
      }
      case 'scorecards':
        return this.scorecardValue(figure);
      case 'ownership':
        if (scope.kind === 'team') {
          return (await this.clients.ownership.getGroup(scope.ref!))
            .healthPercent;
        }
        return (await this.clients.ownership.getReportSummary())
          .coveragePercent;
      case 'onboarding': {
        const report = await this.clients.onboarding.getTeamReport({
          groupRef: scope.ref!,
        });
        return metric === 'timeToFirstChange'
          ? report.medianDaysToFirstChange
          : report.medianDaysToFirstDeploy;
      }
      case 'tech-debt': {
        if (metric === 'openEffort') {
          return (await this.clients.techDebt.getSummary(scope.ref!))
            .openEffortDays;
        }
        const quarter = String(
          figure.params?.quarter ??
            (options.period && /-Q[1-4]$/.test(options.period)
              ? options.period
              : quarterOf(
                  options.period
                    ? periodRange(options.period).start
                    : options.now,
                )),
        );
        const budget = await this.clients.techDebt.getBudget(
          scope.ref!,
          quarter,
        );
        if (!budget.reservedDays) {
          throw new NoValue(
            `${scope.ref} has set no debt budget for ${quarter}`,
          );
        }
        return round2((budget.paidDownDays / budget.reservedDays) * 100);
      }
      case 'postmortems': {
        if (metric !== 'coverage') break;
        const window = this.window(figure, options.now);
        if (scope.kind === 'entity') {
          const { entities } = await this.clients.postmortems.getEntityFigures({
            entityRef: [scope.ref!],
            ...window,
          });
          return percent(entities[0]?.coverage ?? null);
        }
        const coverage = await this.clients.postmortems.getCoverage({
          ...(scope.kind === 'team' ? { team: scope.ref! } : {}),
          ...window,
        });
        return percent(coverage.total.coverage);
      }
      default:
        break;
    }
    throw new NoValue(`${figure.source} has no metric '${metric}'`);
  }

  private async scorecardValue(
    figure: FigureDescriptor,
  ): Promise<number | null> {
    const scorecardId = String(figure.params!.scorecardId);
    const levelId =
      figure.metric === 'levelShare' ? String(figure.params!.levelId) : null;
    // The definition first: an unknown scorecard or level is said plainly.
    const definition = await this.clients.scorecards.getDefinition(scorecardId);
    const levelIndex =
      levelId === null
        ? -1
        : definition.levels.findIndex(l => l.id === levelId);
    if (levelId !== null && levelIndex < 0) {
      throw new NoValue(
        `Scorecard ${scorecardId} has no level '${levelId}' (levels: ${definition.levels
          .map(l => l.id)
          .join(', ')})`,
      );
    }
    const atOrAbove = (id: string | null) =>
      id !== null &&
      definition.levels.findIndex(l => l.id === id) >= levelIndex;
    const { scope } = figure;
    if (scope.kind === 'entity') {
      const { results } = await this.clients.scorecards.getEntityResults(
        scope.ref!,
      );
      const result = results.find(r => r.scorecardId === scorecardId);
      if (!result) return null;
      if (levelId === null) return result.score;
      return atOrAbove(result.levelId) ? 100 : 0;
    }
    const summary =
      scope.kind === 'team'
        ? (
            await this.clients.scorecards.getGroupRollup(scope.ref!)
          ).scorecards.find(s => s.scorecardId === scorecardId)
        : (
            await this.clients.scorecards.getOrgSummary({
              scorecardId,
            })
          ).scorecards.find(s => s.scorecardId === scorecardId);
    if (!summary) return null;
    if (levelId === null) return summary.averageScore;
    const total = summary.levels.reduce((sum, l) => sum + l.count, 0);
    if (total === 0) return null;
    const reached = summary.levels
      .filter(l => atOrAbove(l.levelId))
      .reduce((sum, l) => sum + l.count, 0);
    return round2((reached / total) * 100);
  }
}
