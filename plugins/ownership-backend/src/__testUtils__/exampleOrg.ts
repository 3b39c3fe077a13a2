import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The example catalog of the portal (examples/*.yaml). */
export const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The example org as the catalog would serve it: namespaces filled in, and the relations the catalog's processors
 * derive (memberOf/hasMember from users' spec.memberOf, childOf/parentOf from groups' spec.parent, ownedBy).
 */
export function loadExampleCatalog(): Entity[] {
  const entities: Entity[] = [];
  for (const file of ['org.yaml', 'entities.yaml']) {
    const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const entity = doc.toJS() as Entity;
      entity.metadata.namespace ??= 'default';
      entity.relations = [];
      entities.push(entity);
    }
  }
  const byRef = new Map(entities.map(e => [lower(stringifyEntityRef(e)), e]));
  const relate = (source: Entity, type: string, targetRef: string) => {
    source.relations!.push({ type, targetRef: lower(targetRef) });
  };
  for (const entity of entities) {
    const ref = lower(stringifyEntityRef(entity));
    if (entity.kind === 'User') {
      for (const g of (entity.spec?.memberOf as string[]) ?? []) {
        const groupRef = lower(stringifyEntityRef({ kind: 'group', namespace: 'default', name: g.replace(/^group:(default\/)?/, '') }));
        relate(entity, 'memberOf', groupRef);
        const group = byRef.get(groupRef);
        if (group) relate(group, 'hasMember', ref);
      }
    }
    if (entity.kind === 'Group' && entity.spec?.parent) {
      const parentRef = `group:default/${entity.spec.parent}`;
      relate(entity, 'childOf', parentRef);
      const parent = byRef.get(parentRef);
      if (parent) relate(parent, 'parentOf', ref);
    }
  }
  return entities;
}
