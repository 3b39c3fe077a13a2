import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

const refOf = (entity: Entity) => stringifyEntityRef(entity).toLocaleLowerCase('en-US');

/** Most nested group levels followed, against cycles in a broken org chart. */
const MAX_GROUP_DEPTH = 20;

/**
 * The entities whose events a figure pools: the entity itself, or for a group every entity the group owns directly or
 * through its child groups (as the catalog's `ownedBy` and `parentOf` relations say).
 */
export async function resolveEntityScope(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<string[]> {
  if (parseEntityRef(entityRef).kind.toLocaleLowerCase('en-US') !== 'group') {
    return [entityRef];
  }
  const root = await catalog.getEntityByRef(entityRef, { credentials });
  if (!root) {
    throw new NotFoundError(`No group '${entityRef}' in the catalog`);
  }
  const groups = new Set<string>([refOf(root)]);
  let level: Entity[] = [root];
  for (let depth = 0; level.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
    const childRefs = level
      .flatMap(g => g.relations ?? [])
      .filter(r => r.type === RELATION_PARENT_OF)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'))
      .filter(ref => !groups.has(ref));
    if (childRefs.length === 0) break;
    childRefs.forEach(ref => groups.add(ref));
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: childRefs, fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'] },
      { credentials },
    );
    level = items.filter((e): e is Entity => !!e);
  }
  const { items } = await catalog.getEntities(
    {
      filter: [...groups].map(ref => ({ 'relations.ownedBy': ref })),
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  return [...new Set(items.map(refOf))].sort();
}
