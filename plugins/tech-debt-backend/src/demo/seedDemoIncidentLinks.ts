import { LoggerService } from '@backstage/backend-plugin-api';
import type { DoraApi, DoraIncident } from '@vitals/plugin-dora-common';
import { TechDebtStore } from '../database/TechDebtStore';

/** Who the demo links are by, as the demo items are. */
export const DEMO_ACTOR = 'user:default/vitals-demo';

const DAY_MS = 86_400_000;

/**
 * The demo items that get the incidents they came from, with how many of their entity's latest DORA incidents. The
 * incidents are the DORA demo's own (plugins/dora-backend/src/demo), read through the DORA API so that ids, times and
 * restore minutes are the ones the DORA pages show: Payments' card-capture bug behind its recent incidents, and the
 * ledger's overrunning reconciliation behind the ledger's latest two.
 */
export const DEMO_INCIDENT_LINKS: Array<{
  entityRef: string;
  title: string;
  incidents: number;
}> = [
  {
    entityRef: 'component:default/payments-api',
    title: 'Card capture retries are not idempotent',
    incidents: 3,
  },
  {
    entityRef: 'component:default/ledger-service',
    title: 'Nightly ledger reconciliation job runs past its window',
    incidents: 2,
  },
];

/**
 * Links a few demo debt items to the DORA demo's incidents, once per item: an item that has ever had an incident
 * linked or unlinked (its history says so) is left alone, so links a person removed stay removed. Returns the number
 * of links written, or null when there is nothing to link to yet (the register or the DORA history is not seeded, or
 * the DORA API does not answer): try again later.
 *
 * The incidents are the most recent resolved ones of the item's entity in the last year (DORA's incident list is of
 * resolved incidents), newest first, ties by id: the same DORA history gives the same links.
 */
export async function seedDemoIncidentLinks(options: {
  store: TechDebtStore;
  dora: Pick<DoraApi, 'listIncidents'>;
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { store, dora, logger } = options;
  if (!(await store.hasHistory())) return null;
  const now = options.now ?? new Date();
  let written = 0;
  let waiting = false;
  for (const plan of DEMO_INCIDENT_LINKS) {
    const { items } = await store.listItems({
      entityRefs: [plan.entityRef],
      search: plan.title,
      orderBy: 'createdAt',
      order: 'asc',
      limit: 1,
      offset: 0,
    });
    const item = items.find(i => i.title === plan.title);
    if (!item) continue;
    const history = await store.listItemEvents(item.id);
    if (history.some(e => e.action === 'linked' || e.action === 'unlinked'))
      continue;

    let incidents: DoraIncident[];
    try {
      ({ items: incidents } = await dora.listIncidents({
        entityRef: plan.entityRef,
        from: new Date(now.getTime() - 365 * DAY_MS).toISOString(),
        to: now.toISOString(),
        limit: 1000,
      }));
    } catch (error) {
      logger.debug(
        `Demo incident links wait for the DORA API: ${
          (error as Error).message
        }`,
      );
      return null;
    }
    const latest = [...incidents]
      .sort(
        (a, b) =>
          Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
          (a.id < b.id ? -1 : 1),
      )
      .slice(0, plan.incidents);
    if (latest.length === 0) {
      waiting = true;
      continue;
    }
    for (const incident of latest) {
      await store.linkIncident(
        item.id,
        incident.id,
        {
          entityRef: incident.entityRef,
          createdAt: incident.createdAt,
          resolvedAt: incident.resolvedAt,
          severity: incident.severity,
          restoreMinutes: incident.restoreMinutes,
          postmortemId: null,
          postmortemUrl: null,
          title: null,
        },
        DEMO_ACTOR,
      );
      written += 1;
    }
  }
  if (written > 0) {
    logger.info(`Linked ${written} demo debt items to DORA demo incidents`);
  }
  return waiting && written === 0 ? null : written;
}
