import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { normalizeEntityRef } from '@vitals/common';
import {
  DORA_INGESTED_TOPIC,
  DoraIngestedPayload,
} from '@vitals/plugin-dora-common';
import {
  ChangeRecord,
  DeploymentRecord,
  OnboardingStore,
} from '../database/OnboardingStore';
import { AuthorResolver } from './authors';
import { OnboardingService } from './OnboardingService';

/** Dates outside this range are not believable (and some would not fit a database timestamp): they are skipped. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function validDate(value: string | undefined): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(value);
  const t = d.getTime();
  return Number.isNaN(t) || t < EARLIEST || t > LATEST ? undefined : d;
}

/** A text that fits its column (the onboarding_shas sizes), else undefined: such a record is skipped. */
function fits(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max
    ? value
    : undefined;
}

/** An entity ref in its canonical form, when it is one that fits the column. */
function entityRefIn(value: unknown): string | undefined {
  const ref = typeof value === 'string' ? normalizeEntityRef(value) : undefined;
  return ref && ref.length <= 512 ? ref : undefined;
}

/**
 * Records what a DORA ingestion published: the merged changes of people (by entity and sha) and the first production
 * deployment of each sha, then re-evaluates the people concerned. Idempotent: the same payload again changes nothing.
 * Returns the number of people re-evaluated.
 */
export async function handleDoraIngested(
  payload: DoraIngestedPayload,
  deps: {
    store: OnboardingStore;
    authors: AuthorResolver;
    service: OnboardingService;
  },
): Promise<number> {
  const changes: ChangeRecord[] = [];
  for (const change of payload?.changes ?? []) {
    const entityRef = entityRefIn(change?.entityRef);
    const sha = fits(change?.sha, 100);
    const changeId = fits(change?.id, 200);
    if (!fits(change?.author, 512) || !entityRef || !sha || !changeId) continue;
    // A pull request merges at mergedAt; a plain commit (no pull request) is in the branch when authored.
    const mergedAt = validDate(change.mergedAt) ?? validDate(change.authoredAt);
    if (!mergedAt) continue;
    const userRef = await deps.authors.resolve(change.author);
    if (!userRef) continue;
    changes.push({ entityRef, sha, userRef, changeId, mergedAt });
  }
  const deployments: DeploymentRecord[] = [];
  for (const d of payload?.deployments ?? []) {
    const finishedAt = validDate(d?.finishedAt);
    const entityRef = entityRefIn(d?.entityRef);
    const deploymentId = fits(d?.id, 200);
    const shas = Array.isArray(d?.commitShas)
      ? d.commitShas.filter(sha => !!fits(sha, 100))
      : [];
    if (!finishedAt || !entityRef || !deploymentId || !shas.length) continue;
    deployments.push({ entityRef, deploymentId, finishedAt, shas });
  }
  const affected = new Set<string>([
    ...(await deps.store.recordChanges(changes)),
    ...(await deps.store.recordDeployments(deployments)),
  ]);
  return affected.size ? deps.service.reevaluate([...affected]) : 0;
}

/** Subscribes to DORA's ingestion topic. */
export async function subscribeToDora(
  events: EventsService,
  deps: {
    store: OnboardingStore;
    authors: AuthorResolver;
    service: OnboardingService;
    logger: LoggerService;
  },
): Promise<void> {
  await events.subscribe({
    id: 'onboarding-dora-ingested',
    topics: [DORA_INGESTED_TOPIC],
    async onEvent(params) {
      try {
        const people = await handleDoraIngested(
          params.eventPayload as DoraIngestedPayload,
          deps,
        );
        if (people)
          deps.logger.debug(
            `Onboarding progress re-evaluated for ${people} people after DORA events`,
          );
      } catch (error) {
        deps.logger.error(
          `Could not record DORA events for onboarding: ${
            (error as Error).message
          }`,
        );
        throw error;
      }
    },
  });
}
