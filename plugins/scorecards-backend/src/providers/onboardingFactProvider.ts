import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';
import {
  OnboardingApi,
  OnboardingClient,
  TeamOnboardingSummary,
} from '@vitals/plugin-onboarding-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { pickFacts } from './perEntityFacts';
import { createServiceFetch } from './serviceFetch';
import { entityRefOf } from '@vitals/backend-common';

/** Fact ids of the onboarding provider. */
export const ONBOARDING_FACT_IDS = {
  teamMedianDaysToFirstChange: 'onboarding.teamMedianDaysToFirstChange',
  teamMedianDaysToFirstDeploy: 'onboarding.teamMedianDaysToFirstDeploy',
  teamOnboarding: 'onboarding.teamOnboarding',
  teamStalled: 'onboarding.teamStalled',
} as const;

const ONBOARDING_FACTS: FactDefinition[] = [
  {
    id: ONBOARDING_FACT_IDS.teamMedianDaysToFirstChange,
    type: 'number',
    description:
      "Time to first value of the owning team: median days from a newcomer's checklist start to their first merged change; no data until someone has one",
  },
  {
    id: ONBOARDING_FACT_IDS.teamMedianDaysToFirstDeploy,
    type: 'number',
    description:
      "Median days from a newcomer's checklist start to their first change running in production, for the owning team; no data until someone has one",
  },
  {
    id: ONBOARDING_FACT_IDS.teamOnboarding,
    type: 'number',
    description:
      'People of the owning team whose onboarding is not complete; no data when nobody on the team has a checklist',
  },
  {
    id: ONBOARDING_FACT_IDS.teamStalled,
    type: 'number',
    description:
      'Onboarding checklists of the owning team with no progress for the configured number of days; no data when nobody on the team has a checklist',
  },
];

/** The team whose onboarding counts for an entity: a group itself, else its owner when that owner is a group. */
export function onboardingTeamOf(entity: Entity): string | undefined {
  const namespace = entity.metadata.namespace ?? 'default';
  if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
    return normalizeEntityRef(`group:${namespace}/${entity.metadata.name}`);
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  const ref = normalizeEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: namespace,
  });
  return ref?.startsWith('group:') ? ref : undefined;
}

/** The facts of one team's row of the org onboarding report. */
export function onboardingFactsOf(team: TeamOnboardingSummary): EntityFacts {
  return {
    [ONBOARDING_FACT_IDS.teamMedianDaysToFirstChange]:
      team.medianDaysToFirstChange,
    [ONBOARDING_FACT_IDS.teamMedianDaysToFirstDeploy]:
      team.medianDaysToFirstDeploy,
    [ONBOARDING_FACT_IDS.teamOnboarding]: team.onboarding,
    [ONBOARDING_FACT_IDS.teamStalled]: team.stalled,
  };
}

/** An OnboardingClient that calls the onboarding backend with a service token for `onboarding`. */
export function createServiceOnboardingClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): OnboardingApi {
  return new OnboardingClient({
    discoveryApi: options.discovery,
    fetchApi: createServiceFetch(options.auth, 'onboarding'),
  });
}

/**
 * Facts from the onboarding org report (`GET /v1/report`, one request per batch): for every entity, the onboarding
 * figures of the team that owns it (for a Group, its own). Entities whose team has nobody onboarding get "no data".
 * A failed request makes the batch "no data" for these facts (the evaluation goes on).
 */
export function createOnboardingFactProvider(options: {
  client: Pick<OnboardingApi, 'getOrgReport'>;
  logger: LoggerService;
}): FactProvider {
  const { client, logger } = options;
  return {
    id: 'onboarding',
    batchSize: 2000,
    facts: ONBOARDING_FACTS,
    async getFacts({ entities, factIds }) {
      const wanted = new Set(factIds);
      let teams: Map<string, TeamOnboardingSummary>;
      try {
        const report = await client.getOrgReport();
        teams = new Map(
          report.teams.map(t => [
            normalizeEntityRef(t.groupRef) ?? t.groupRef,
            t,
          ]),
        );
      } catch (error) {
        // Thrown on: the evaluation keeps the batch's last known onboarding outcomes, marked stale.
        logger.warn(
          `Onboarding report unavailable for ${entities.length} entities: ${error}`,
        );
        throw error;
      }
      const facts = new Map<string, EntityFacts>();
      for (const entity of entities) {
        const team = onboardingTeamOf(entity);
        const row = team ? teams.get(team) : undefined;
        if (!row) continue;
        const all = onboardingFactsOf(row);
        facts.set(entityRefOf(entity), pickFacts(all, wanted));
      }
      return facts;
    },
  };
}
