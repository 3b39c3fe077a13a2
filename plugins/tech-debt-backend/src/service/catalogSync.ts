import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TechDebtStore } from '../database/TechDebtStore';
import { placementOf } from './catalogPlacement';

const PAGE_SIZE = 500;

/**
 * Brings the owner and system recorded on items up to date with the catalog, so that the org register can filter by
 * team and system in one indexed query. Entities that left the catalog keep their last known placement.
 */
export async function syncPlacementsFromCatalog(options: {
  store: TechDebtStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<{ entities: number; changedItems: number }> {
  const { store, catalog, auth, logger } = options;
  const credentials = await auth.getOwnServiceCredentials();
  let after: string | undefined;
  let entities = 0;
  let changedItems = 0;
  for (;;) {
    const refs = await store.listEntityRefs({ after, limit: PAGE_SIZE });
    if (refs.length === 0) break;
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'spec.system',
        ],
      },
      { credentials },
    );
    const placements = items.flatMap(entity =>
      entity ? [placementOf(entity)] : [],
    );
    changedItems += await store.updatePlacements(placements);
    entities += refs.length;
    after = refs[refs.length - 1];
    if (refs.length < PAGE_SIZE) break;
  }
  if (changedItems > 0) {
    logger.info(
      `Updated owner/system of ${changedItems} debt items from the catalog`,
    );
  }
  return { entities, changedItems };
}
