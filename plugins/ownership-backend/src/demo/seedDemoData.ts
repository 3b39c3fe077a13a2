import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipStore } from '../database/OwnershipStore';
import { SNAPSHOT_ACTOR } from '../database/DatabaseOwnershipStore';
import { ownerRefOf, refOf } from '../service/entityRefs';

const DAY_MS = 86_400_000;

/** Who confirmed which example entity, how many days ago. checkout-api's confirmation is past the default 180 days. */
const CONFIRMATIONS: Array<{
  entityRef: string;
  by: string;
  daysAgo: number;
  comment?: string;
}> = [
  {
    entityRef: 'component:default/ledger-service',
    by: 'user:default/amira.haddad',
    daysAgo: 32,
  },
  {
    entityRef: 'component:default/fraud-detector',
    by: 'user:default/jonas.berg',
    daysAgo: 60,
    comment: 'Taken over from Data; runbook updated.',
  },
  {
    entityRef: 'system:default/payments',
    by: 'user:default/amira.haddad',
    daysAgo: 32,
  },
  {
    entityRef: 'component:default/storefront-web',
    by: 'user:default/li.wei',
    daysAgo: 21,
  },
  {
    entityRef: 'component:default/checkout-api',
    by: 'user:default/maria.santos',
    daysAgo: 212,
  },
  {
    entityRef: 'component:default/catalog-search',
    by: 'user:default/maria.santos',
    daysAgo: 45,
  },
  {
    entityRef: 'system:default/storefront',
    by: 'user:default/li.wei',
    daysAgo: 21,
  },
  {
    entityRef: 'component:default/recommendations',
    by: 'user:default/sofia.rossi',
    daysAgo: 30,
  },
  {
    entityRef: 'component:default/ci-pipelines',
    by: 'user:default/priya.nair',
    daysAgo: 12,
  },
  {
    entityRef: 'system:default/developer-portal',
    by: 'user:default/erik.lund',
    daysAgo: 12,
  },
];

/** fraud-detector moved from Data to Payments in the reorg. */
const TRANSFER = {
  entityRef: 'component:default/fraud-detector',
  from: 'group:default/data',
  firstSeenDaysAgo: 400,
  movedDaysAgo: 95,
};

/**
 * Seeds demo ownership data, once: confirmations for most example entities (one overdue, Payments API left for you to
 * confirm) and the history of an ownership transfer. Does nothing when anyone ever confirmed anything. Returns the
 * number of confirmations written, or null when the catalog has no components yet (try again later).
 */
export async function seedDemoData(options: {
  store: OwnershipStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { store, catalog, auth, logger } = options;
  if (await store.hasConfirmations()) return 0;
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntitiesByRefs(
    {
      entityRefs: [...CONFIRMATIONS.map(c => c.entityRef), TRANSFER.entityRef],
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
    },
    { credentials },
  );
  const found = items.filter((e): e is NonNullable<typeof e> => !!e);
  if (found.length === 0) return null;
  const owners = new Map(found.map(e => [refOf(e), ownerRefOf(e)]));
  const now = options.now ?? new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);

  // The transfer only when the snapshot has not seen the entity yet, so that its history reads in order.
  const transferTo = owners.get(TRANSFER.entityRef);
  if (
    transferTo &&
    (await store.entitiesWithHistory([TRANSFER.entityRef])).length === 0
  ) {
    await store.appendHistory([
      {
        entityRef: TRANSFER.entityRef,
        type: 'first-seen',
        fromOwnerRef: null,
        toOwnerRef: TRANSFER.from,
        actor: SNAPSHOT_ACTOR,
        at: ago(TRANSFER.firstSeenDaysAgo),
      },
      {
        entityRef: TRANSFER.entityRef,
        type: 'owner-changed',
        fromOwnerRef: TRANSFER.from,
        toOwnerRef: transferTo,
        actor: SNAPSHOT_ACTOR,
        at: ago(TRANSFER.movedDaysAgo),
      },
    ]);
  }

  let written = 0;
  for (const c of CONFIRMATIONS) {
    const ownerRef = owners.get(c.entityRef);
    if (!ownerRef) continue;
    await store.recordConfirmation({
      entityRef: c.entityRef,
      ownerRef,
      actor: c.by,
      comment: c.comment ?? null,
      at: ago(c.daysAgo),
    });
    written += 1;
  }
  logger.info(
    `Seeded ${written} demo ownership confirmations and an ownership transfer`,
  );
  return written;
}
