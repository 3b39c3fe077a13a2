import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { chunks, entityRefOf } from '@vitals/backend-common';
import {
  EntityPostmortemFigures,
  PostmortemsApi,
  PostmortemsClient,
} from '@vitals/plugin-postmortems-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { pickFacts } from './perEntityFacts';
import { createServiceFetch } from './serviceFetch';

/** The window of the coverage fact, in days before the evaluation. */
export const POSTMORTEMS_WINDOW_DAYS = 90;
/** Entities per figures request (the API takes up to 100, in one query). */
const ENTITIES_PER_REQUEST = 100;
const DAY = 24 * 60 * 60 * 1000;

/** Fact ids of the postmortems provider. */
export const POSTMORTEMS_FACT_IDS = {
  coverage: 'postmortems.coverage',
  openActionItems: 'postmortems.openActionItems',
  overdueActionItems: 'postmortems.overdueActionItems',
} as const;

const POSTMORTEMS_FACTS: FactDefinition[] = [
  {
    id: POSTMORTEMS_FACT_IDS.coverage,
    type: 'number',
    description: `Of the entity's qualifying incidents (severity at or above postmortems.followThrough.minimumSeverity) created in the last ${POSTMORTEMS_WINDOW_DAYS} days whose postmortem is due, the share with a published postmortem, a fraction 0–1; no data when none is due`,
  },
  {
    id: POSTMORTEMS_FACT_IDS.openActionItems,
    type: 'number',
    description:
      "Action items of the entity's postmortems whose debt item is still open (open, planned or in progress), whenever the incident was",
  },
  {
    id: POSTMORTEMS_FACT_IDS.overdueActionItems,
    type: 'number',
    description: 'Of those open action items, the ones past their due date',
  },
];

/** The facts of one entity's figures. */
export function postmortemsFactsOf(
  figures: EntityPostmortemFigures,
): EntityFacts {
  return {
    [POSTMORTEMS_FACT_IDS.coverage]: figures.coverage,
    [POSTMORTEMS_FACT_IDS.openActionItems]: figures.openActionItems,
    [POSTMORTEMS_FACT_IDS.overdueActionItems]: figures.overdueActionItems,
  };
}

/** A PostmortemsClient that calls the postmortems backend with a service token for `postmortems`. */
export function createServicePostmortemsClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): PostmortemsApi {
  return new PostmortemsClient({
    discoveryApi: options.discovery,
    fetchApi: createServiceFetch(options.auth, 'postmortems'),
  });
}

/**
 * Facts from the postmortems backend's entity figures (`GET /v1/entity-figures`): one request, served by one query, per
 * 100 entities, not one per entity. A failed request makes its entities' facts stale (their last known outcome is
 * kept); the other requests of the batch are unaffected.
 */
export function createPostmortemsFactProvider(options: {
  client: Pick<PostmortemsApi, 'getEntityFigures'>;
  logger: LoggerService;
  now?: () => number;
}): FactProvider {
  const { client, logger } = options;
  const now = options.now ?? (() => Date.now());
  return {
    id: 'postmortems',
    batchSize: 500,
    facts: POSTMORTEMS_FACTS,
    async getFacts({ entities, factIds, reportFailure }) {
      const wanted = new Set(factIds);
      const facts = new Map<string, EntityFacts>();
      const to = now();
      const from = new Date(to - POSTMORTEMS_WINDOW_DAYS * DAY).toISOString();
      const failed: Array<{ refs: string[]; error: unknown }> = [];
      for (const refs of chunks(
        entities.map(e => entityRefOf(e)),
        ENTITIES_PER_REQUEST,
      )) {
        try {
          const answer = await client.getEntityFigures({
            entityRef: refs,
            from,
            to: new Date(to).toISOString(),
          });
          for (const figures of answer.entities) {
            facts.set(
              figures.entityRef,
              pickFacts(postmortemsFactsOf(figures), wanted),
            );
          }
        } catch (error) {
          failed.push({ refs, error });
          for (const ref of refs) reportFailure?.(ref, error);
        }
      }
      if (failed.length) {
        const count = failed.reduce((n, f) => n + f.refs.length, 0);
        logger.warn(
          `Postmortem figures unavailable for ${count} of ${entities.length} entities (their postmortems facts are kept stale): ${failed[0].error}`,
        );
      }
      return facts;
    },
  };
}
