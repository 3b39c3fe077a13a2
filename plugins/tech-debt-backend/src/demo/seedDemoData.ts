import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { quarterOf } from '@vitals/plugin-tech-debt-common';
import { placementOf } from '../service/catalogPlacement';
import { TechDebtStore } from '../database/TechDebtStore';
import { exampleDebtOf, genericDebtOf } from './demoItems';

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * Seeds believable debt for the components of the catalog, once: it does nothing when the register has ever held an
 * item (an emptied register stays empty). Returns the number of items written, or null when the catalog has no
 * components yet (try again later).
 */
export async function seedDemoData(options: {
  store: TechDebtStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { store, catalog, auth, logger } = options;
  if (await store.hasHistory()) return 0;
  const credentials = await auth.getOwnServiceCredentials();
  const { items: components } = await catalog.getEntities(
    { filter: { kind: 'Component' }, fields: ['kind', 'metadata', 'spec'] },
    { credentials },
  );
  if (components.length === 0) return null;

  const now = options.now ?? new Date();
  const dayMs = 86_400_000;
  const titles = new Set<string>();
  const items = components
    .sort((a: Entity, b: Entity) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    )
    .slice(0, 50)
    .flatMap(entity => {
      const placement = placementOf(entity);
      const h = hash(placement.entityRef);
      // The example services get all of their own debt; other entities three to six generic items, a different
      // hand each (the list ordered by a per-entity hash).
      const own = exampleDebtOf(entity);
      const hand =
        own ??
        genericDebtOf(entity)
          .map((template, index) => ({
            template,
            key: hash(`${placement.entityRef}#${index}`),
          }))
          .sort((a, b) => a.key - b.key)
          .map(d => d.template)
          .slice(0, 3 + (h % 4));
      return hand.map((template, i) => {
        const ageDays = 10 + ((h >> (i + 1)) % 170);
        const createdAt = new Date(now.getTime() - ageDays * dayMs);
        const resolvedAt =
          template.status === 'resolved'
            ? new Date(
                Math.max(
                  createdAt.getTime(),
                  now.getTime() - ((h >> i) % 40) * dayMs,
                ),
              )
            : null;
        // Titles name the entity; two entities with the same title (in two namespaces) still get their own.
        const title = titles.has(template.title.toLocaleLowerCase('en-US'))
          ? `${template.title} (${placement.entityRef})`.slice(0, 200)
          : template.title;
        titles.add(title.toLocaleLowerCase('en-US'));
        return {
          ...placement,
          ...template,
          title,
          assignee: null,
          trackerUrl: null,
          createdAt,
          resolvedAt,
        };
      });
    });
  await store.importItems(items, 'user:default/vitals-demo', {
    withHistory: true,
  });

  // Give each owning team a budget for the current quarter, so the group page has something to show.
  const quarter = quarterOf(now);
  const owners = [
    ...new Set(
      items
        .map(i => i.ownerRef)
        .filter((o): o is string => !!o?.startsWith('group:')),
    ),
  ];
  for (const [index, groupRef] of owners.entries()) {
    await store
      .putBudget(
        {
          groupRef,
          quarter,
          capacityDays: 60 + 20 * (index % 3),
          sharePercent: [20, 15, 25][index % 3],
        },
        undefined,
        'user:default/vitals-demo',
      )
      .catch(() => undefined);
  }
  logger.info(
    `Seeded ${items.length} demo debt items for ${components.length} components`,
  );
  return items.length;
}
