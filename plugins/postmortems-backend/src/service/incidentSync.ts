import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  PostmortemRecord,
  PostmortemsStore,
} from '../database/PostmortemsStore';
import { DebtRegister, incidentLinkSnapshot } from './debtRegister';
import { IncidentMirror } from './incidents';

/**
 * The incident sync task: reads DORA's incidents, and when an incident with action items changed (resolved, its
 * restore time or severity corrected), refreshes its snapshot on those debt items in the register, as the plugin
 * itself. The register deciding against the plugin is logged, not retried: the next change refreshes again.
 */
export async function syncIncidents(options: {
  mirror: IncidentMirror;
  store: PostmortemsStore;
  register: DebtRegister;
  auth: AuthService;
  logger: LoggerService;
  appBaseUrl?: string;
  now?: number;
}): Promise<{ read: number; changed: number; linksRefreshed: number }> {
  const { mirror, store, register, auth, logger } = options;
  const { read, changed } = await mirror.sync(options.now);
  if (changed.length === 0) return { read, changed: 0, linksRefreshed: 0 };
  const links = await store.listActionItemsOfIncidents(changed);
  const postmortems = new Map<string, PostmortemRecord | undefined>();
  const snapshots = [];
  for (const link of links) {
    if (!postmortems.has(link.postmortemId))
      postmortems.set(
        link.postmortemId,
        await store.getPostmortem(link.postmortemId),
      );
    const postmortem = postmortems.get(link.postmortemId);
    if (!postmortem) continue;
    snapshots.push({
      debtItemId: link.debtItemId,
      incidentId: link.incidentId,
      snapshot: incidentLinkSnapshot(
        postmortem,
        postmortem.incident,
        options.appBaseUrl,
      ),
    });
  }
  const { refreshed, failures } = await register.refreshLinks(
    await auth.getOwnServiceCredentials(),
    snapshots,
  );
  if (failures.length) {
    logger.warn(
      `Could not refresh ${failures.length} of ${snapshots.length} incident links in the tech-debt register, e.g. item ${failures[0].debtItemId}: ${failures[0].error}`,
    );
  }
  return { read, changed: changed.length, linksRefreshed: refreshed };
}
