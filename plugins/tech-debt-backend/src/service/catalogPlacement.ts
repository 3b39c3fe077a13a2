import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { fullEntityRef as fullRef } from '@vitals/backend-common';
import { normalizeEntityRef } from '@vitals/common';
import { CatalogPlacement } from '../database/TechDebtStore';

/**
 * Where the catalog places an entity: its owner and system, as full refs in the one normalised form
 * (`normalizeEntityRef`), so that `Payments-API` and `payments-api` are the same entity everywhere in the register.
 */
export function placementOf(entity: Entity): CatalogPlacement {
  const namespace = entity.metadata.namespace ?? 'default';
  return {
    entityRef: normalizeEntityRef(stringifyEntityRef(entity))!,
    ownerRef: fullRef(entity.spec?.owner, 'group', namespace),
    systemRef: fullRef(entity.spec?.system, 'system', namespace),
  };
}

/** Looks the entity up in the catalog; an entity the catalog does not know is bad input (400), not a 404 route. */
export async function requireCatalogEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  field = 'entityRef',
): Promise<{ entity: Entity; placement: CatalogPlacement }> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new InputError(
      `Invalid ${field}: '${entityRef}' is not an entity in the catalog`,
    );
  }
  return { entity, placement: placementOf(entity) };
}
