import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository's examples/ folder: the portal's example catalog, scorecards and onboarding templates. */
export const EXAMPLES_DIR = path.resolve(resolvePackagePath('@vitals/backend-test-utils'), '../../examples');

/** A file of examples/, e.g. `exampleFile('onboarding.yaml')` for a plugin's own config. */
export function exampleFile(name: string): string {
  return path.join(EXAMPLES_DIR, name);
}

/** The kinds of the example org, as the portal's catalog rules allow them (app-config.yaml). */
export const EXAMPLE_CATALOG_KINDS = ['Component', 'System', 'Group', 'User', 'Location'];

/** The files of examples/ the catalog reads: the services and systems, then the people and teams. */
export const EXAMPLE_CATALOG_FILES = ['entities.yaml', 'org.yaml'];

/**
 * The `catalog` config of a test backend that serves the example org: the portal's rules and the example files as
 * file locations. A fresh object each call.
 */
export function exampleCatalogConfig() {
  return {
    rules: [{ allow: [...EXAMPLE_CATALOG_KINDS] }],
    locations: EXAMPLE_CATALOG_FILES.map(file => ({ type: 'file', target: exampleFile(file) })),
  };
}

/**
 * The refs of every entity in the example catalog files whose kind the rules allow (`component:default/payments-api`,
 * `user:default/guest`, …), read from the files, so that they follow the examples as they change.
 */
export function exampleEntityRefs(): string[] {
  const refs: string[] = [];
  for (const file of EXAMPLE_CATALOG_FILES) {
    for (const doc of parseAllDocuments(fs.readFileSync(exampleFile(file), 'utf8'))) {
      const entity = doc.toJS() as Entity | null;
      if (entity && EXAMPLE_CATALOG_KINDS.includes(entity.kind)) {
        refs.push(stringifyEntityRef(entity));
      }
    }
  }
  return refs;
}
