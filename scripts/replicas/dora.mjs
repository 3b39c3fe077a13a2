// DORA events for the replica scenarios: batches whose every event id names the run and the batch, so that the
// database can be asked how much of each batch it holds.
import { queryPluginDatabase } from './lib.mjs';

/** The example catalog's components (examples/entities.yaml): the DORA API refuses refs the catalog does not have. */
export const COMPONENTS = [
  'payments-api',
  'ledger-service',
  'fraud-detector',
  'storefront-web',
  'checkout-api',
  'catalog-search',
  'recommendations',
  'ci-pipelines',
  'legacy-reporting',
  'promo-engine',
].map(name => `component:default/${name}`);

const MINUTE = 60_000;

/**
 * One batch of `size` events (half changes, half the production deployments that ship them), ids
 * `<tag>-c<i>` / `<tag>-d<i>`. `tag` must be unique per batch, e.g. `rt-lq2x9k-s2-b7`.
 */
export function doraBatch(tag, size = 1000) {
  const events = [];
  const start = Date.UTC(2026, 0, 5);
  for (let i = 0; i < size / 2; i++) {
    const entityRef = COMPONENTS[i % COMPONENTS.length];
    const at = start + i * 7 * MINUTE;
    const sha = `${tag}-sha${i}`;
    events.push({
      type: 'change',
      id: `${tag}-c${i}`,
      entityRef,
      sha,
      authoredAt: new Date(at).toISOString(),
      createdAt: new Date(at + 30 * MINUTE).toISOString(),
      mergedAt: new Date(at + 90 * MINUTE).toISOString(),
    });
    events.push({
      type: 'deployment',
      id: `${tag}-d${i}`,
      entityRef,
      environment: 'production',
      status: 'success',
      finishedAt: new Date(at + 120 * MINUTE).toISOString(),
      commitShas: [sha],
    });
  }
  return events;
}

/** How many events of each tag the DORA database holds: `Map<tag, count>` (tags with none are left out). */
export async function storedPerTag(prefix, tagPrefix) {
  const rows = await queryPluginDatabase(
    prefix,
    'dora',
    `select tag, count(*)::int as n from (
       select regexp_replace(id, '-[cd][0-9]+$', '') as tag from dora_changes where starts_with(id, $1)
       union all
       select regexp_replace(id, '-[cd][0-9]+$', '') as tag from dora_deployments where starts_with(id, $1)
     ) events group by tag`,
    [tagPrefix],
  );
  return new Map(rows.map(row => [row.tag, row.n]));
}

/** All events whose id starts with `tagPrefix`: `{ rows, distinct }` over changes and deployments. */
export async function storedEvents(prefix, tagPrefix) {
  const [row] = await queryPluginDatabase(
    prefix,
    'dora',
    `select count(*)::int as rows, count(distinct (kind, id))::int as distinct from (
       select 'c' as kind, id from dora_changes where starts_with(id, $1)
       union all
       select 'd' as kind, id from dora_deployments where starts_with(id, $1)
     ) events`,
    [tagPrefix],
  );
  return row;
}
