import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityFacts } from '@vitals/plugin-scorecards-node';
import pLimit from 'p-limit';

/** Only the facts some check asked for, out of everything a provider computed for one entity. */
export function pickFacts(all: EntityFacts, wanted: ReadonlySet<string>): EntityFacts {
  return Object.fromEntries(Object.entries(all).filter(([id]) => wanted.has(id)));
}

/**
 * Facts from an API that answers one entity per request (the DORA metrics and ownership APIs): one `fetch` per entity,
 * at most `concurrency` in flight, in entity order. A failed request leaves that entity out ("no data"), the others
 * are unaffected, and all failures of the batch are logged in one warning:
 * `<unavailable> unavailable for 1 of 3 entities (their <factsName> facts are "no data"), e.g. <ref>: <error>`.
 */
export async function getFactsPerEntity<T>(options: {
  entities: Entity[];
  factIds: string[];
  concurrency: number;
  logger: LoggerService;
  fetch: (entityRef: string) => Promise<T>;
  factsOf: (answer: T) => EntityFacts;
  /** What could not be read, at the start of the warning, e.g. `DORA metrics`. */
  unavailable: string;
  /** Whose facts become "no data", e.g. `DORA`. */
  factsName: string;
}): Promise<Map<string, EntityFacts>> {
  const { entities, logger, fetch, factsOf } = options;
  const wanted = new Set(options.factIds);
  const refs = entities.map(e => stringifyEntityRef(e));
  const failures: Array<{ ref: string; error: unknown }> = [];

  const limit = pLimit(Math.max(1, options.concurrency));
  const answers = await Promise.all(
    refs.map(ref =>
      limit(async () => {
        try {
          return await fetch(ref);
        } catch (error) {
          failures.push({ ref, error });
          return undefined;
        }
      }),
    ),
  );

  const facts = new Map<string, EntityFacts>();
  answers.forEach((answer, i) => {
    if (answer === undefined) return; // left out: "no data" for this entity
    facts.set(refs[i], pickFacts(factsOf(answer), wanted));
  });
  if (failures.length) {
    logger.warn(
      `${options.unavailable} unavailable for ${failures.length} of ${refs.length} entities (their ${options.factsName} facts are "no data"), e.g. ${failures[0].ref}: ${failures[0].error}`,
    );
  }
  return facts;
}
