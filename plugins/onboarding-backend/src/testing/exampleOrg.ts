import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The example catalog and templates of the portal (examples/). */
export const EXAMPLES_DIR = path.resolve(resolvePackagePath('@vitals/plugin-onboarding-backend'), '../../examples');

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The example org as the catalog would serve it: namespaces filled in, and the relations the catalog's processors
 * derive (memberOf/hasMember, childOf/parentOf, ownedBy/ownerOf).
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
  const relate = (source: Entity | undefined, type: string, targetRef: string) => {
    source?.relations!.push({ type, targetRef: lower(targetRef) });
  };
  const groupRef = (name: string) => `group:default/${name.replace(/^group:(default\/)?/, '')}`;
  for (const entity of entities) {
    const ref = lower(stringifyEntityRef(entity));
    if (entity.kind === 'User') {
      for (const g of (entity.spec?.memberOf as string[]) ?? []) {
        relate(entity, 'memberOf', groupRef(g));
        relate(byRef.get(groupRef(g)), 'hasMember', ref);
      }
    }
    if (entity.kind === 'Group' && entity.spec?.parent) {
      relate(entity, 'childOf', groupRef(entity.spec.parent as string));
      relate(byRef.get(groupRef(entity.spec.parent as string)), 'parentOf', ref);
    }
    if (typeof entity.spec?.owner === 'string') {
      relate(entity, 'ownedBy', groupRef(entity.spec.owner));
      relate(byRef.get(groupRef(entity.spec.owner)), 'ownerOf', ref);
    }
  }
  return entities;
}
