import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { DORA_INGESTED_TOPIC, DoraIngestedPayload } from '@vitals/plugin-dora-common';
import { ChangeRecord, DeploymentRecord, OnboardingStore } from '../database/OnboardingStore';
import { AuthorResolver } from './authors';
import { OnboardingService } from './OnboardingService';

function validDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/**
 * Records what a DORA ingestion published: the merged changes of people (by entity and sha) and the first production
 * deployment of each sha, then re-evaluates the people concerned. Idempotent: the same payload again changes nothing.
 * Returns the number of people re-evaluated.
 */
export async function handleDoraIngested(
  payload: DoraIngestedPayload,
  deps: { store: OnboardingStore; authors: AuthorResolver; service: OnboardingService },
): Promise<number> {
  const changes: ChangeRecord[] = [];
  for (const change of payload?.changes ?? []) {
    if (!change?.author || !change.entityRef || !change.sha) continue;
    // A pull request merges at mergedAt; a plain commit (no pull request) is in the branch when authored.
    const mergedAt = validDate(change.mergedAt) ?? validDate(change.authoredAt);
    if (!mergedAt) continue;
    const userRef = await deps.authors.resolve(change.author);
    if (!userRef) continue;
    changes.push({ entityRef: lower(change.entityRef), sha: change.sha, userRef, changeId: change.id, mergedAt });
  }
  const deployments: DeploymentRecord[] = [];
  for (const d of payload?.deployments ?? []) {
    const finishedAt = validDate(d?.finishedAt);
    if (!finishedAt || !d.entityRef || !Array.isArray(d.commitShas) || !d.commitShas.length) continue;
    deployments.push({ entityRef: lower(d.entityRef), deploymentId: d.id, finishedAt, shas: d.commitShas });
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
  deps: { store: OnboardingStore; authors: AuthorResolver; service: OnboardingService; logger: LoggerService },
): Promise<void> {
  await events.subscribe({
    id: 'onboarding-dora-ingested',
    topics: [DORA_INGESTED_TOPIC],
    async onEvent(params) {
      try {
        const people = await handleDoraIngested(params.eventPayload as DoraIngestedPayload, deps);
        if (people) deps.logger.debug(`Onboarding progress re-evaluated for ${people} people after DORA events`);
      } catch (error) {
        deps.logger.error(`Could not record DORA events for onboarding: ${(error as Error).message}`);
        throw error;
      }
    },
  });
}
