import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { lowerRef, walkGroupTree } from './groupTree';

const refOf = (entity: Entity) => lowerRef(stringifyEntityRef(entity));

/**
 * The entities whose events a figure pools: the entity itself, or for a group every entity the group owns directly or
 * through its child groups (as the catalog's `ownedBy` and `parentOf` relations say).
 */
export async function resolveEntityScope(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<string[]> {
  if (lowerRef(parseEntityRef(entityRef).kind) !== 'group') {
    return [entityRef];
  }
  const root = await catalog.getEntityByRef(entityRef, { credentials });
  if (!root) {
    throw new NotFoundError(`No group '${entityRef}' in the catalog`);
  }
  const { refs: groups } = await walkGroupTree<Entity>({
    root,
    rootRef: refOf(root),
    childRefs: group =>
      (group.relations ?? [])
        .filter(r => r.type === RELATION_PARENT_OF)
        .map(r => lowerRef(r.targetRef)),
    load: async entityRefs => {
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs,
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
        },
        { credentials },
      );
      return items.filter((e): e is Entity => !!e);
    },
  });
  const { items } = await catalog.getEntities(
    {
      filter: [...groups].map(ref => ({ 'relations.ownedBy': ref })),
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  return [...new Set(items.map(refOf))].sort();
}
