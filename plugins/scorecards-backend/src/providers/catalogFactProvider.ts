import { Entity } from '@backstage/catalog-model';
import { EntityFacts, FactProvider } from '@vitals/plugin-scorecards-node';
import { entityRefOf } from '@vitals/backend-common';

const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';
const ADR_ANNOTATION = 'backstage.io/adr-location';

function runbookOf(entity: Entity): string | null {
  const links = entity.metadata.links ?? [];
  const link = links.find(
    l => l.type?.toLowerCase() === 'runbook' || /runbook/i.test(l.title ?? ''),
  );
  return (
    link?.url ?? entity.metadata.annotations?.['vitals.io/runbook-url'] ?? null
  );
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value.trim() : null;

/** Facts read from the catalog entity itself: no calls, the evaluator already holds the entities. */
export function factsOfEntity(entity: Entity): EntityFacts {
  const annotations = entity.metadata.annotations ?? {};
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const runbook = runbookOf(entity);
  return {
    'catalog.hasOwner': text(spec.owner) !== null,
    'catalog.owner': text(spec.owner),
    'catalog.hasDescription': text(entity.metadata.description) !== null,
    'catalog.descriptionLength': text(entity.metadata.description)?.length ?? 0,
    'catalog.hasTechDocs': text(annotations[TECHDOCS_ANNOTATION]) !== null,
    'catalog.techDocsRef': text(annotations[TECHDOCS_ANNOTATION]),
    'catalog.hasAdrLocation': text(annotations[ADR_ANNOTATION]) !== null,
    'catalog.adrLocation': text(annotations[ADR_ANNOTATION]),
    'catalog.hasRunbook': runbook !== null,
    'catalog.runbookUrl': runbook,
    'catalog.lifecycle': text(spec.lifecycle),
    'catalog.type': text(spec.type),
    'catalog.hasSystem': text(spec.system) !== null,
    'catalog.system': text(spec.system),
    'catalog.annotations': Object.keys(annotations).sort(),
    'catalog.tags': entity.metadata.tags ?? [],
    'catalog.linkCount': (entity.metadata.links ?? []).length,
  };
}

/** Built-in provider of catalog facts: owner, description, annotations (TechDocs, ADRs), runbook, lifecycle, system. */
export const catalogFactProvider: FactProvider = {
  id: 'catalog',
  batchSize: 1000,
  facts: [
    {
      id: 'catalog.hasOwner',
      type: 'boolean',
      description: 'spec.owner is set',
    },
    {
      id: 'catalog.owner',
      type: 'string',
      description: 'spec.owner as written',
    },
    {
      id: 'catalog.hasDescription',
      type: 'boolean',
      description: 'metadata.description is set',
    },
    {
      id: 'catalog.descriptionLength',
      type: 'number',
      description: 'Characters in metadata.description',
    },
    {
      id: 'catalog.hasTechDocs',
      type: 'boolean',
      description: `The ${TECHDOCS_ANNOTATION} annotation is set`,
    },
    {
      id: 'catalog.techDocsRef',
      type: 'string',
      description: `The ${TECHDOCS_ANNOTATION} annotation`,
    },
    {
      id: 'catalog.hasAdrLocation',
      type: 'boolean',
      description: `The ${ADR_ANNOTATION} annotation is set`,
    },
    {
      id: 'catalog.adrLocation',
      type: 'string',
      description: `The ${ADR_ANNOTATION} annotation`,
    },
    {
      id: 'catalog.hasRunbook',
      type: 'boolean',
      description:
        "A link of type 'runbook' (or titled Runbook) or the vitals.io/runbook-url annotation",
    },
    {
      id: 'catalog.runbookUrl',
      type: 'string',
      description: 'URL of the runbook link',
    },
    { id: 'catalog.lifecycle', type: 'string', description: 'spec.lifecycle' },
    { id: 'catalog.type', type: 'string', description: 'spec.type' },
    {
      id: 'catalog.hasSystem',
      type: 'boolean',
      description: 'spec.system is set',
    },
    {
      id: 'catalog.system',
      type: 'string',
      description: 'spec.system as written',
    },
    {
      id: 'catalog.annotations',
      type: 'string[]',
      description: 'Keys of metadata.annotations',
    },
    { id: 'catalog.tags', type: 'string[]', description: 'metadata.tags' },
    {
      id: 'catalog.linkCount',
      type: 'number',
      description: 'Number of metadata.links',
    },
  ],
  async getFacts({ entities }) {
    return new Map(entities.map(e => [entityRefOf(e), factsOfEntity(e)]));
  },
};
