import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The repository's examples/ folder: the portal's example catalog, scorecards and onboarding templates.
 *
 * @public
 */
export const EXAMPLES_DIR = path.resolve(
  resolvePackagePath('@vitals/backend-test-utils'),
  '../../examples',
);

/**
 * A file of examples/, e.g. `exampleFile('onboarding.yaml')` for a plugin's own config.
 *
 * @public
 */
export function exampleFile(name: string): string {
  return path.join(EXAMPLES_DIR, name);
}

/**
 * The kinds of the example org, as the portal's catalog rules allow them (app-config.yaml).
 *
 * @public
 */
export const EXAMPLE_CATALOG_KINDS = [
  'Component',
  'System',
  'Group',
  'User',
  'Location',
];

/**
 * The files of examples/ the catalog reads: the services and systems, then the people and teams.
 *
 * @public
 */
export const EXAMPLE_CATALOG_FILES = ['entities.yaml', 'org.yaml'];

/**
 * The `catalog` config of a test backend that serves the example org: the portal's rules and the example files as
 * file locations. A fresh object each call.
 *
 * @public
 */
export function exampleCatalogConfig() {
  return {
    rules: [{ allow: [...EXAMPLE_CATALOG_KINDS] }],
    locations: EXAMPLE_CATALOG_FILES.map(file => ({
      type: 'file',
      target: exampleFile(file),
    })),
  };
}

/**
 * The refs of every entity in the example catalog files whose kind the rules allow (`component:default/payments-api`,
 * `user:default/guest`, …), read from the files, so that they follow the examples as they change.
 *
 * @public
 */
export function exampleEntityRefs(): string[] {
  const refs: string[] = [];
  for (const file of EXAMPLE_CATALOG_FILES) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(exampleFile(file), 'utf8'),
    )) {
      const entity = doc.toJS() as Entity | null;
      if (entity && EXAMPLE_CATALOG_KINDS.includes(entity.kind)) {
        refs.push(stringifyEntityRef(entity));
      }
    }
  }
  return refs;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The example org as the catalog would serve it, for tests with a mocked catalog (`catalogServiceMock({ entities })`):
 * every entity of `org.yaml` then `entities.yaml`, namespaces filled in, and the relations the catalog's processors
 * derive — memberOf/hasMember from users' spec.memberOf, childOf/parentOf from groups' spec.parent, ownedBy/ownerOf
 * from spec.owner — with lower-case target refs. Fresh objects each call, so a test may change them.
 *
 * @public
 */
export function loadExampleCatalog(): Entity[] {
  const entities: Entity[] = [];
  for (const file of ['org.yaml', 'entities.yaml']) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(exampleFile(file), 'utf8'),
    )) {
      const entity = doc.toJS() as Entity | null;
      if (!entity) continue;
      entity.metadata.namespace ??= 'default';
      entity.relations = [];
      entities.push(entity);
    }
  }
  const byRef = new Map(entities.map(e => [lower(stringifyEntityRef(e)), e]));
  const groupRef = (ref: string, namespace: string) =>
    lower(
      stringifyEntityRef(
        parseEntityRef(ref, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      ),
    );
  const relate = (
    source: Entity,
    type: string,
    inverse: string,
    targetRef: string,
  ) => {
    source.relations!.push({ type, targetRef });
    byRef.get(targetRef)?.relations!.push({
      type: inverse,
      targetRef: lower(stringifyEntityRef(source)),
    });
  };
  for (const entity of entities) {
    const namespace = entity.metadata.namespace!;
    if (entity.kind === 'User') {
      for (const group of (entity.spec?.memberOf as string[] | undefined) ??
        []) {
        relate(entity, 'memberOf', 'hasMember', groupRef(group, namespace));
      }
    }
    if (entity.kind === 'Group' && typeof entity.spec?.parent === 'string') {
      relate(
        entity,
        'childOf',
        'parentOf',
        groupRef(entity.spec.parent, namespace),
      );
    }
    if (typeof entity.spec?.owner === 'string') {
      relate(
        entity,
        'ownedBy',
        'ownerOf',
        groupRef(entity.spec.owner, namespace),
      );
    }
  }
  return entities;
}
