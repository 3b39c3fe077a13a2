import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { exampleFile } from '@vitals/backend-test-utils';
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { TechDebtStore } from '../database/TechDebtStore';
import { EXAMPLE_DEBT } from './demoItems';
import { seedDemoData } from './seedDemoData';

type Seeded = Parameters<TechDebtStore['importItems']>[0];

const exampleEntities = (): Entity[] =>
  parseAllDocuments(fs.readFileSync(exampleFile('entities.yaml'), 'utf8'))
    .map(doc => doc.toJS() as Entity)
    .filter(Boolean);

const component = (
  name: string,
  namespace: string,
  title: string,
  tags: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace, title, tags },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/a' },
});

/** Seeds into a store that only records what it is given. */
async function seed(entities: Entity[]): Promise<Seeded> {
  const seeded: Seeded = [];
  const store = {
    hasHistory: async () => false,
    importItems: async (items: Seeded) => {
      seeded.push(...items);
    },
    putBudget: async () => undefined,
  } as unknown as TechDebtStore;
  await seedDemoData({
    store,
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    now: new Date('2026-12-01T10:00:00Z'),
  });
  return seeded;
}

/** Entities per title (lower-cased), only for titles on more than one entity. */
function sharedTitles(items: Seeded): Record<string, string[]> {
  const entitiesOf = new Map<string, Set<string>>();
  for (const i of items) {
    const title = i.title.toLocaleLowerCase('en-US');
    entitiesOf.set(
      title,
      (entitiesOf.get(title) ?? new Set()).add(i.entityRef),
    );
  }
  return Object.fromEntries(
    [...entitiesOf]
      .filter(([, refs]) => refs.size > 1)
      .map(([title, refs]) => [title, [...refs]]),
  );
}

describe('seedDemoData', () => {
  it('gives every example service debt of its own: no title on two services', async () => {
    const entities = exampleEntities();
    const components = entities.filter(e => e.kind === 'Component');
    expect(components.length).toBe(10);
    const items = await seed(entities);

    expect(sharedTitles(items)).toEqual({});
    for (const c of components) {
      const ref = stringifyEntityRef(c);
      const own = items.filter(i => i.entityRef === ref);
      expect(own.length).toBeGreaterThanOrEqual(3);
      expect(own.map(i => i.title)).toEqual(
        EXAMPLE_DEBT[c.metadata.name].map(i => i.title),
      );
    }
    // A mix of states, as a real register has.
    expect(new Set(items.map(i => i.status))).toEqual(
      new Set(['open', 'planned', 'in_progress', 'resolved', 'wont_fix']),
    );
  });

  it('names other entities in their generic debt, with distinct titles even for same-titled entities', async () => {
    const items = await seed([
      ...exampleEntities(),
      component('billing', 'default', 'Billing', ['ruby']),
      component('billing', 'finance', 'Billing', ['ruby']),
      component('gateway', 'default', 'Gateway'),
      // An example name in another namespace is not the example service.
      component('ledger-service', 'finance', 'Finance ledger', ['go']),
    ]);
    expect(sharedTitles(items)).toEqual({});
    const gateway = items.filter(
      i => i.entityRef === 'component:default/gateway',
    );
    expect(gateway.length).toBeGreaterThanOrEqual(3);
    expect(gateway.every(i => i.title.includes('Gateway'))).toBe(true);
    expect(
      items.filter(i => i.entityRef === 'component:finance/ledger-service'),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: expect.stringContaining('Finance ledger'),
        }),
      ]),
    );
  });

  it('seeds the same items every time', async () => {
    const strip = (items: Seeded) =>
      items.map(({ entityRef, title, status, createdAt }) => ({
        entityRef,
        title,
        status,
        createdAt,
      }));
    expect(strip(await seed(exampleEntities()))).toEqual(
      strip(await seed(exampleEntities())),
    );
  });
});
