import { parseEntityRef } from '@backstage/catalog-model';

/**
 * A date in the viewer's locale and time zone, medium style: `Nov 26, 2026` for an American English browser.
 *
 * @public
 */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/**
 * A date and time in the viewer's locale and time zone: `Nov 26, 2026, 10:00 AM` for an American English browser.
 *
 * @public
 */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * A date as people read it, in UTC so that everyone sees the same day whatever their time zone: `3 Oct 2026`; `—` when
 * there is no date or it cannot be read.
 *
 * @public
 */
export function formatUtcDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Days with one decimal: `0.5 days`, `1 day`, `12.3 days`; `—` when there is no figure yet.
 *
 * @public
 */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || Number.isNaN(days)) return '—';
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/**
 * An entity ref as a short label: the kind is dropped (the context says it) and so is the default namespace —
 * `group:default/payments` → `payments`, `group:ops/sre` → `ops/sre`. Text that is not an entity ref is shown as it is.
 *
 * @public
 */
export function entityRefLabel(ref: string): string {
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

/**
 * A duration in minutes the way a person says it, in whole units: `45 min`, `3 h 20 min`, `2 days 12 h` (whole minutes
 * under a day, whole hours from a day on; 33.5 minutes reads `34 min`). `—` when there is no figure.
 *
 * @public
 */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes))
    return '—';
  // Rounded before choosing the unit, so that 59.6 minutes reads "1 h" rather than "60 min".
  const total = Math.round(Math.max(0, minutes));
  if (total < MINUTES_PER_HOUR) return `${total} min`;
  if (total < MINUTES_PER_DAY) {
    const hours = Math.floor(total / MINUTES_PER_HOUR);
    const rest = total % MINUTES_PER_HOUR;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const totalHours = Math.round(total / MINUTES_PER_HOUR);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return `${days} ${days === 1 ? 'day' : 'days'}${hours ? ` ${hours} h` : ''}`;
}

/**
 * A share from 0 to 1 as a percentage with at most one decimal: `0.037` → `3.7%`, `0.15` → `15%`. `—` when there is no
 * figure.
 *
 * @public
 */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}
