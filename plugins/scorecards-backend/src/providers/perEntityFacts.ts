import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { statusOfApiError } from '@vitals/common';
import { EntityFacts, FactRequest } from '@vitals/plugin-scorecards-node';
import pLimit from 'p-limit';
import { entityRefOf } from '@vitals/backend-common';

/** Only the facts some check asked for, out of everything a provider computed for one entity. */
export function pickFacts(
  all: EntityFacts,
  wanted: ReadonlySet<string>,
): EntityFacts {
  return Object.fromEntries(
    Object.entries(all).filter(([id]) => wanted.has(id)),
  );
}

/**
 * Facts from an API that answers one entity per request (the DORA metrics, flow and pipeline-run APIs, the ownership
 * API): one `fetch` per entity (which may make more than one request), at most `concurrency` entities in flight, in
 * entity order. A failed request leaves that entity out and the others are unaffected. A 404 (the API does not know the entity) is "no data"; any other failure (a 5xx, a timeout, the backend
 * down) is reported through `reportFailure`, so that the evaluation keeps the entity's last known outcome. All failures
 * of the batch are logged in one warning:
 * `<unavailable> unavailable for 1 of 3 entities (their <factsName> facts are kept stale), e.g. <ref>: <error>`.
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
  reportFailure?: FactRequest['reportFailure'];
}): Promise<Map<string, EntityFacts>> {
  const { entities, logger, fetch, factsOf } = options;
  const wanted = new Set(options.factIds);
  const refs = entities.map(e => entityRefOf(e));
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
  const failed = failures.filter(f => statusOfApiError(f.error) !== 404);
  for (const f of failed) options.reportFailure?.(f.ref, f.error);
  if (failed.length) {
    logger.warn(
      `${options.unavailable} unavailable for ${failed.length} of ${refs.length} entities (their ${options.factsName} facts are kept stale), e.g. ${failed[0].ref}: ${failed[0].error}`,
    );
  }
  const unknown = failures.length - failed.length;
  if (unknown) {
    logger.info(
      `${options.unavailable}: ${unknown} of ${refs.length} entities not found (their ${options.factsName} facts are "no data")`,
    );
  }
  return facts;
}
