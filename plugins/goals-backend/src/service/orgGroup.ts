import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How long the org's group found in the catalog is remembered. */
const CACHE_MS = 10 * 60_000;

/**
 * The group that stands for the org in org-scoped DORA and flow figures: `goals.orgGroupRef` when configured, else
 * the one Group of the catalog without a parent. Throws (the figure is then unavailable, with this reason) when there
 * is none or several.
 */
export function createOrgGroupResolver(options: {
  configured?: string;
  catalog: CatalogService;
  auth: AuthService;
}): () => Promise<string> {
  const { configured, catalog, auth } = options;
  let cached: { ref: string; at: number } | undefined;
  return async () => {
    if (configured) return configured.toLocaleLowerCase('en-US');
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.ref;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'group' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.parent'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const roots = items.filter(g => !(g.spec as { parent?: string })?.parent);
    if (roots.length !== 1) {
      throw new Error(
        `The org is the one Group without a parent, and the catalog has ${roots.length}; set goals.orgGroupRef`,
      );
    }
    cached = {
      ref: stringifyEntityRef(roots[0]).toLocaleLowerCase('en-US'),
      at: Date.now(),
    };
    return cached.ref;
  };
}
