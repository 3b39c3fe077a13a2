import { normalizeEntityRef } from '@vitals/common';

/** A cohort key `2026-10` as `Oct 2026`. */
export function formatCohort(cohort: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(cohort);
  if (!match) return cohort;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString('en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** Share of done steps, 0–100, for a progress bar. */
export function percentDone(done: number, total: number): number {
  return total > 0 ? Math.round((done / total) * 100) : 0;
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
  let parts: string[];
  try {
    parts = match.map(part => decodeURIComponent(part));
  } catch {
    return undefined; // a malformed escape such as %E0%A4%A
  }
  const [, namespace, kind, name] = parts;
  return normalizeEntityRef(`${kind}:${namespace}/${name}`);
}
