import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  EntityOwnership,
  OwnershipApi,
  OwnershipClient,
} from '@vitals/plugin-ownership-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { getFactsPerEntity } from './perEntityFacts';
import { createServiceFetch } from './serviceFetch';

/** Ownership requests in flight at once (the ownership API answers one entity per request). */
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** Fact ids of the ownership provider. */
export const OWNERSHIP_FACT_IDS = {
  healthy: 'ownership.healthy',
  problems: 'ownership.problems',
  problemCount: 'ownership.problemCount',
  confirmationStatus: 'ownership.confirmationStatus',
  confirmationAgeDays: 'ownership.confirmationAgeDays',
  ownerMembers: 'ownership.ownerMembers',
} as const;

const OWNERSHIP_FACTS: FactDefinition[] = [
  {
    id: OWNERSHIP_FACT_IDS.healthy,
    type: 'boolean',
    description: 'The ownership health verdict: no ownership problem',
  },
  {
    id: OWNERSHIP_FACT_IDS.problems,
    type: 'string[]',
    description:
      'Kinds of the ownership problems: no-owner, owner-unresolved, owner-no-members, owner-single-member, no-contact, confirmation-overdue',
  },
  {
    id: OWNERSHIP_FACT_IDS.problemCount,
    type: 'number',
    description: 'Number of ownership problems',
  },
  {
    id: OWNERSHIP_FACT_IDS.confirmationStatus,
    type: 'string',
    description:
      "Ownership confirmation: 'current', 'due', 'never' or 'not-applicable'",
  },
  {
    id: OWNERSHIP_FACT_IDS.confirmationAgeDays,
    type: 'number',
    description:
      'Whole days since the current owner last confirmed ownership; no data when never confirmed',
  },
  {
    id: OWNERSHIP_FACT_IDS.ownerMembers,
    type: 'number',
    description:
      'Members of the owning group (1 for a user owner, 0 for an owner not in the catalog); no data without an owner',
  },
];

/** The facts of one entity's `EntityOwnership`. */
export function ownershipFactsOf(
  ownership: EntityOwnership,
  now: Date,
): EntityFacts {
  const confirmedAt = ownership.confirmation.lastConfirmedAt
    ? Date.parse(ownership.confirmation.lastConfirmedAt)
    : NaN;
  return {
    [OWNERSHIP_FACT_IDS.healthy]: ownership.healthy,
    [OWNERSHIP_FACT_IDS.problems]: ownership.problems.map(p => p.kind),
    [OWNERSHIP_FACT_IDS.problemCount]: ownership.problems.length,
    [OWNERSHIP_FACT_IDS.confirmationStatus]: ownership.confirmation.status,
    [OWNERSHIP_FACT_IDS.confirmationAgeDays]: Number.isNaN(confirmedAt)
      ? null
      : Math.max(0, Math.floor((now.getTime() - confirmedAt) / DAY_MS)),
    [OWNERSHIP_FACT_IDS.ownerMembers]: ownership.owner
      ? ownership.owner.memberCount
      : null,
  };
}

/** An OwnershipClient that calls the ownership backend with a service token for `ownership`. */
export function createServiceOwnershipClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): OwnershipApi {
  return new OwnershipClient({
    discoveryApi: options.discovery,
    fetchApi: createServiceFetch(options.auth, 'ownership'),
  });
}

/**
 * Facts from the ownership health API: per entity, the health verdict, its problems, the confirmation state and age,
 * and the owning group's member count (`GET /v1/entities/:kind/:namespace/:name`, computed from the live catalog; one
 * request per entity, at most 8 in flight). A failed request (e.g. a 404 for an entity the ownership plugin does not
 * know) leaves that entity's ownership facts as "no data"; the others are unaffected.
 */
export function createOwnershipFactProvider(options: {
  client: Pick<OwnershipApi, 'getEntityOwnership'>;
  logger: LoggerService;
  concurrency?: number;
  now?: () => Date;
}): FactProvider {
  const { client, logger } = options;
  const now = options.now ?? (() => new Date());

  return {
    id: 'ownership',
    batchSize: 500,
    facts: OWNERSHIP_FACTS,
    async getFacts({ entities, factIds, reportFailure }) {
      const at = now();
      return getFactsPerEntity({
        entities,
        factIds,
        concurrency: options.concurrency ?? CONCURRENCY,
        logger,
        fetch: entityRef => client.getEntityOwnership(entityRef),
        factsOf: ownership => ownershipFactsOf(ownership, at),
        unavailable: 'Ownership',
        factsName: 'ownership',
        reportFailure,
      });
    },
  };
}
