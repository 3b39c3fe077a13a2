import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DebtCategory,
  DebtStatus,
  quarterOf,
} from '@vitals/plugin-tech-debt-common';
import { placementOf } from '../service/catalogPlacement';
import { TechDebtStore } from '../database/TechDebtStore';

interface DemoItem {
  title: string;
  description: string;
  category: DebtCategory;
  impact: number;
  effortDays: number;
  interestHoursPerMonth: number | null;
  status: DebtStatus;
  tags: string[];
}

/** A pool of believable debt, dealt out to components deterministically. */
const POOL: DemoItem[] = [
  {
    title: 'Upgrade to the supported Node.js LTS',
    description:
      'We run an end-of-life Node.js line. Security patches stopped; CI images need an override.\n\n- bump `engines`\n- rebuild native modules',
    category: 'dependency',
    impact: 4,
    effortDays: 3,
    interestHoursPerMonth: 6,
    status: 'open',
    tags: ['runtime', 'security'],
  },
  {
    title: 'Flaky integration tests around the retry queue',
    description:
      'About 1 in 8 CI runs fails in `retry-queue.test.ts` and gets re-run by hand.',
    category: 'testing',
    impact: 3,
    effortDays: 2,
    interestHoursPerMonth: 10,
    status: 'in_progress',
    tags: ['ci', 'flaky'],
  },
  {
    title: 'Split the god module `handlers/index.ts`',
    description:
      'Two thousand lines, every change conflicts. Split by resource.',
    category: 'code',
    impact: 3,
    effortDays: 8,
    interestHoursPerMonth: 4,
    status: 'planned',
    tags: ['refactor'],
  },
  {
    title: 'No runbook for the on-call rotation',
    description:
      'Incidents take longer because nobody knows the restart order. Write a runbook and link it from the catalog.',
    category: 'documentation',
    impact: 4,
    effortDays: 1,
    interestHoursPerMonth: 3,
    status: 'open',
    tags: ['on-call'],
  },
  {
    title: 'Secrets read from environment files in the image',
    description: 'Move to the secrets manager; rotate the leaked staging key.',
    category: 'security',
    impact: 5,
    effortDays: 4,
    interestHoursPerMonth: null,
    status: 'open',
    tags: ['security'],
  },
  {
    title: 'Synchronous calls to the ledger on the request path',
    description:
      'Every checkout waits on the ledger. Publish an event instead and reconcile.',
    category: 'architecture',
    impact: 5,
    effortDays: 15,
    interestHoursPerMonth: 12,
    status: 'open',
    tags: ['latency'],
  },
  {
    title: 'Hand-rolled deployment scripts',
    description:
      'Deploys are a shell script on a jump host. Move to the standard pipeline.',
    category: 'infrastructure',
    impact: 3,
    effortDays: 5,
    interestHoursPerMonth: 8,
    status: 'planned',
    tags: ['ci', 'deploy'],
  },
  {
    title: 'Manual release notes',
    description:
      'Someone spends half a day per release collecting changes. Generate them from merged PRs.',
    category: 'process',
    impact: 2,
    effortDays: 1,
    interestHoursPerMonth: 4,
    status: 'open',
    tags: ['release'],
  },
  {
    title: 'Pin and update the logging library',
    description:
      'Three major versions behind; the structured logging fields we need are missing.',
    category: 'dependency',
    impact: 2,
    effortDays: 1.5,
    interestHoursPerMonth: 1,
    status: 'resolved',
    tags: ['logging'],
  },
  {
    title: 'Coverage gap on the pricing rules',
    description:
      'Pricing rules have no unit tests; every change is verified in staging by hand.',
    category: 'testing',
    impact: 4,
    effortDays: 6,
    interestHoursPerMonth: 6,
    status: 'open',
    tags: ['pricing'],
  },
  {
    title: 'Database schema has no migrations history',
    description: 'Tables were created by hand. Baseline them into migrations.',
    category: 'infrastructure',
    impact: 3,
    effortDays: 3,
    interestHoursPerMonth: 2,
    status: 'resolved',
    tags: ['database'],
  },
  {
    title: 'Legacy XML export nobody uses',
    description:
      'The XML export has had no traffic for a year but still breaks builds. Remove it.',
    category: 'code',
    impact: 1,
    effortDays: 0.5,
    interestHoursPerMonth: 1,
    status: 'wont_fix',
    tags: ['cleanup'],
  },
  {
    title: 'API has no versioning policy',
    description:
      'Breaking changes reach clients unannounced. Agree a policy and document it.',
    category: 'architecture',
    impact: 3,
    effortDays: 2,
    interestHoursPerMonth: null,
    status: 'open',
    tags: ['api'],
  },
  {
    title: 'Outdated architecture diagram',
    description:
      'The diagram in the docs shows the monolith we split last year.',
    category: 'documentation',
    impact: 1,
    effortDays: 0.5,
    interestHoursPerMonth: null,
    status: 'open',
    tags: ['docs'],
  },
];

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
  const items = components
    .sort((a: Entity, b: Entity) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    )
    .slice(0, 50)
    .flatMap(entity => {
      const placement = placementOf(entity);
      const h = hash(placement.entityRef);
      const count = 3 + (h % 4);
      // Deal each entity a different hand: order the pool by a per-entity hash and take the first few.
      const hand = [...POOL]
        .map((template, index) => ({
          template,
          key: hash(`${placement.entityRef}#${index}`),
        }))
        .sort((a, b) => a.key - b.key)
        .map(d => d.template);
      return Array.from({ length: count }, (_, i) => {
        const template = hand[i];
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
        return {
          ...placement,
          ...template,
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
