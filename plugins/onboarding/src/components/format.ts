import { parseEntityRef } from '@backstage/catalog-model';

/** A date as people read it, in UTC so that everyone sees the same day: `3 Oct 2026`. */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Days with one decimal: `0.5 days`, `1 day`, `12.3 days`; `—` when there is no figure yet. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || Number.isNaN(days)) return '—';
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** A cohort key `2026-10` as `Oct 2026`. */
export function formatCohort(cohort: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(cohort);
  if (!match) return cohort;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Share of done steps, 0–100, for a progress bar. */
export function percentDone(done: number, total: number): number {
  return total > 0 ? Math.round((done / total) * 100) : 0;
}

/** A ref without the default namespace: `user:default/jane` → `jane`, `group:ops/sre` → `ops/sre`. */
export function shortRef(ref: string): string {
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/**
 * The entity a TechDocs URL points at (`/docs/<namespace>/<kind>/<name>/...`), so that opening it can be reported as a
 * docs visit of that entity; undefined for any other URL.
 */
export function entityRefOfDocsUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  const match = /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)/.exec(path);
  if (!match) return undefined;
  const [, namespace, kind, name] = match.map(part => decodeURIComponent(part));
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}
