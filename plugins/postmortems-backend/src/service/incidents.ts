import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { chunks } from '@vitals/backend-common';
import { normalizeEntityRef } from '@vitals/common';
import {
  DoraChange,
  DoraClient,
  DoraIncident,
} from '@vitals/plugin-dora-common';
import {
  IncidentRecord,
  PostmortemsStore,
  SyncedIncident,
} from '../database/PostmortemsStore';
import { fetchAs, otherPluginError } from './callAs';

const DAY = 24 * 60 * 60 * 1000;
/** Incidents per DORA page. */
const PAGE = 1000;
/** Refs per catalog lookup. */
const CATALOG_BATCH = 500;
/** The sync state of the last full read. */
export const FULL_SYNC_STATE = 'incidents.fullSyncAt';

export function syncedIncidentOf(incident: DoraIncident): SyncedIncident {
  return {
    id: incident.id,
    entityRef: normalizeEntityRef(incident.entityRef) ?? incident.entityRef,
    createdAt: Date.parse(incident.createdAt),
    resolvedAt: incident.resolvedAt ? Date.parse(incident.resolvedAt) : null,
    severity: incident.severity,
    url: incident.url,
    deploymentId: incident.linkedDeploymentId ?? incident.deploymentId,
    // DORA's restore minutes are unrounded; the figures here count whole minutes.
    restoreMinutes:
      incident.restoreMinutes === null
        ? null
        : Math.round(incident.restoreMinutes),
  };
}

/** The owner of an entity: its `spec.owner`, as a canonical ref (a group unless the owner says otherwise). */
export function ownerOf(entity: Entity): string | null {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner.trim()) return null;
  return (
    normalizeEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }) ?? null
  );
}

/**
 * The plugin's copy of DORA's incidents, which coverage and follow-through are counted over (one indexed query, not a
 * call per team). Read from the DORA API: every few minutes the incidents created in the last `refreshDays` (their
 * resolution still changes), once a day those of the last `lookbackDays`; and one incident at once when a postmortem is
 * started for it. The owner of each incident's entity comes from the catalog at the same time.
 */
export class IncidentMirror {
  constructor(
    private readonly options: {
      store: PostmortemsStore;
      discovery: DiscoveryService;
      auth: AuthService;
      catalog: CatalogService;
      logger: LoggerService;
      lookbackDays: number;
      refreshDays: number;
    },
  ) {}

  private dora(credentials: BackstageCredentials) {
    return new DoraClient({
      discoveryApi: this.options.discovery,
      fetchApi: fetchAs(this.options.auth, credentials, 'dora'),
    });
  }

  /** Reads DORA's incidents into the copy; returns the ids whose resolution, restore minutes or severity changed. */
  async sync(now = Date.now()): Promise<{ read: number; changed: string[] }> {
    const { store, auth, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const dora = this.dora(credentials);
    // A minute ahead: an incident created while the pages are read is not left out of the last one.
    const to = new Date(now + 60_000).toISOString();
    const lookbackFrom = now - this.options.lookbackDays * DAY;
    // The whole lookback is read once a day, and whenever DORA holds another number of incidents in it than the copy
    // does (history sent after the last full read, e.g. a backfill): one count on each side tells.
    const lastFull = await store.getSyncState(FULL_SYNC_STATE);
    const full =
      lastFull === undefined ||
      now - lastFull >= DAY ||
      (
        await dora.listIncidents({
          window: 'created',
          from: new Date(lookbackFrom).toISOString(),
          to,
          limit: 1,
        })
      ).totalCount !==
        (await store.countIncidents(lookbackFrom, Date.parse(to)));
    const days = full ? this.options.lookbackDays : this.options.refreshDays;
    const from = new Date(now - days * DAY).toISOString();
    const changed: string[] = [];
    const entityRefs = new Set<string>();
    let read = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await dora.listIncidents({
        window: 'created',
        from,
        to,
        limit: PAGE,
        offset,
      });
      const incidents = page.items.map(syncedIncidentOf);
      changed.push(...(await store.upsertIncidents(incidents, now)));
      incidents.forEach(i => entityRefs.add(i.entityRef));
      read += incidents.length;
      if (page.items.length < PAGE || offset + PAGE >= page.totalCount) break;
    }
    await this.refreshOwners([...entityRefs]);
    if (full) await store.setSyncState(FULL_SYNC_STATE, now);
    logger.info(
      `Read ${read} DORA incidents of the last ${days} days (${
        full ? 'full' : 'recent'
      } read); ${changed.length} changed`,
    );
    return { read, changed };
  }

  /** Sets the owner of the stored incidents of these entities from the catalog. */
  async refreshOwners(entityRefs: string[]): Promise<void> {
    const { catalog, auth, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const owners = new Map<string, string | null>();
    for (const batch of chunks(entityRefs, CATALOG_BATCH)) {
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: batch,
          fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
        },
        { credentials },
      );
      items.forEach((entity, index) => {
        owners.set(batch[index], entity ? ownerOf(entity) : null);
      });
    }
    await store.setOwners(owners);
  }

  /**
   * One incident read from DORA now, with the caller's credentials, and stored; a NotFoundError when DORA has no such
   * incident for the entity.
   */
  async ensure(
    incidentId: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<IncidentRecord> {
    let incident: DoraIncident;
    try {
      incident = await this.dora(credentials).getIncident(
        incidentId,
        entityRef,
      );
    } catch (error) {
      if (error instanceof ResponseError && error.response.status === 404) {
        throw new NotFoundError(
          `DORA has no incident '${incidentId}' of ${entityRef}`,
        );
      }
      throw otherPluginError('DORA API', error);
    }
    await this.options.store.upsertIncidents(
      [syncedIncidentOf(incident)],
      Date.now(),
    );
    await this.refreshOwners([entityRef]);
    return (await this.options.store.getIncident(incidentId))!;
  }

  /** The changes the incident's deployment shipped, read with the caller's credentials; null when they cannot be. */
  async changesOf(
    incident: IncidentRecord,
    credentials: BackstageCredentials,
  ): Promise<DoraChange[] | null> {
    if (!incident.deploymentId) return null;
    try {
      const page = await this.dora(credentials).listChanges({
        entityRef: incident.entityRef,
        deploymentId: incident.deploymentId,
        limit: 100,
      });
      return page.items;
    } catch (error) {
      this.options.logger.warn(
        `Could not read the changes of deployment ${incident.deploymentId} from DORA: ${error}`,
      );
      return null;
    }
  }
}
