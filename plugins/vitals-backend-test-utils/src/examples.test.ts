import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { exampleEntityRefs, loadExampleCatalog } from './examples';

const refOf = (entity: Entity) =>
  stringifyEntityRef(entity).toLocaleLowerCase('en-US');

function find(entities: Entity[], ref: string): Entity {
  const entity = entities.find(e => refOf(e) === ref);
  if (!entity) throw new Error(`no ${ref} in the example catalog`);
  return entity;
}

const targets = (entity: Entity, type: string) =>
  (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);

describe('loadExampleCatalog', () => {
  it('has every entity of the example catalog files once, in the default namespace', () => {
    const entities = loadExampleCatalog();
    expect(entities.map(refOf).sort()).toEqual(exampleEntityRefs().sort());
    expect(entities.every(e => e.metadata.namespace === 'default')).toBe(true);
  });

  it('relates people and their teams both ways, as the catalog does', () => {
    const entities = loadExampleCatalog();
    expect(targets(find(entities, 'user:default/guest'), 'memberOf')).toEqual([
      'group:default/payments',
    ]);
    expect(
      targets(find(entities, 'group:default/payments'), 'hasMember'),
    ).toContain('user:default/guest');
    expect(
      targets(find(entities, 'group:default/payments'), 'childOf'),
    ).toEqual(['group:default/engineering']);
    expect(
      targets(find(entities, 'group:default/engineering'), 'parentOf'),
    ).toContain('group:default/payments');
    expect(
      targets(find(entities, 'group:default/engineering'), 'childOf'),
    ).toEqual([]);
  });

  it('relates owned entities and their owners both ways, also when the owner is not in the catalog', () => {
    const entities = loadExampleCatalog();
    expect(
      targets(find(entities, 'component:default/payments-api'), 'ownedBy'),
    ).toEqual(['group:default/payments']);
    expect(
      targets(find(entities, 'group:default/payments'), 'ownerOf'),
    ).toContain('component:default/payments-api');
    const ownedByGrowth = entities.filter(e =>
      targets(e, 'ownedBy').includes('group:default/growth'),
    );
    expect(ownedByGrowth).toHaveLength(1);
    expect(entities.some(e => refOf(e) === 'group:default/growth')).toBe(false);
  });

  it('gives every relation its inverse on an entity that exists', () => {
    const entities = loadExampleCatalog();
    const inverse: Record<string, string> = {
      memberOf: 'hasMember',
      childOf: 'parentOf',
      ownedBy: 'ownerOf',
    };
    const byRef = new Map(entities.map(e => [refOf(e), e]));
    let checked = 0;
    for (const entity of entities) {
      for (const [type, back] of Object.entries(inverse)) {
        for (const target of targets(entity, type)) {
          const other = byRef.get(target);
          if (!other) continue;
          expect(targets(other, back)).toContain(refOf(entity));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('gives fresh objects each call', () => {
    const first = loadExampleCatalog();
    first[0].relations!.push({
      type: 'memberOf',
      targetRef: 'group:default/x',
    });
    first[0].metadata.name = 'changed';
    const second = loadExampleCatalog();
    expect(second[0].metadata.name).not.toBe('changed');
    expect(targets(second[0], 'memberOf')).not.toContain('group:default/x');
  });
});
