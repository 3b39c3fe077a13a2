import {
  DORA_TIERS,
  DoraBenchmark,
  DoraTier,
} from '@vitals/plugin-dora-common';
import { formatMinutes } from '@vitals/react';

const HOUR = 60;
const DAY = 24 * HOUR;

function trimmed(value: number, decimals: number): string {
  const factor = 10 ** decimals;
  return String(Math.round(value * factor) / factor);
}

// Durations and rates read the same on every Vitals page: the DORA card and the scorecards share these.
export { formatMinutes };
export { formatRate } from '@vitals/react';

/** A duration for a chart axis, one unit only: "45 min", "13 h", "1.5 d". */
export function formatMinutesShort(minutes: number): string {
  if (minutes < HOUR) return `${Math.round(minutes)} min`;
  if (minutes < DAY) return `${trimmed(minutes / HOUR, 1)} h`;
  return `${trimmed(minutes / DAY, 1)} d`;
}

/** Deployment days per week, e.g. "3 days / week"; null is an em dash. */
export function formatDeploymentDays(
  days: number | null | undefined,
  per: 'week' | 'month',
): string {
  if (days === null || days === undefined) return '—';
  const value = trimmed(days, 1);
  return `${value} ${value === '1' ? 'day' : 'days'} / ${per}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

export const TIER_LABELS: Record<DoraTier, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const NO_TIER_LABEL = 'Not enough data';

/** What a metric that no benchmark places in tiers (the rework rate) shows instead of a tier. */
export const UNTIERED_LABEL = 'No tier';

export function tierLabel(tier: DoraTier | null): string {
  return tier ? TIER_LABELS[tier] : NO_TIER_LABEL;
}

/** Sort rank of a tier: elite first, no data last. */
export function tierRank(tier: DoraTier | null): number {
  return tier ? DORA_TIERS.indexOf(tier) : DORA_TIERS.length;
}

export const BENCHMARK_LABELS: Record<DoraBenchmark, string> = {
  '2023': '2023 State of DevOps',
  '2021': '2021 State of DevOps',
  '2024': '2024 State of DevOps',
};

export const WINDOW_DAYS = [30, 90, 180] as const;
export type WindowDays = (typeof WINDOW_DAYS)[number];

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
}

/** The first characters of a commit sha, as Git shows it. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{12,}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/**
 * A duration in seconds (pipeline runs) in whole units: "45 s" under a minute, "3 min 20 s" under ten minutes, from
 * there on as `formatMinutes` reads minutes ("14 min", "2 h 5 min"). `—` when there is no figure.
 */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds))
    return '—';
  const total = Math.round(Math.max(0, seconds));
  if (total < 60) return `${total} s`;
  if (total < 600) {
    const rest = total % 60;
    return rest
      ? `${Math.floor(total / 60)} min ${rest} s`
      : `${total / 60} min`;
  }
  return formatMinutes(total / 60);
}

/** How long a pull request has waited, from the API's hours with one decimal: "41 h 30 min", "2 days 3 h". */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  return formatMinutes(hours * 60);
}

/** Lines changed by a pull request: "438 lines"; `—` without a size. */
export function formatLines(lines: number | null | undefined): string {
  if (lines === null || lines === undefined) return '—';
  return plural(Math.round(lines), 'line');
}
