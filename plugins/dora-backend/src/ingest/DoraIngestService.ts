import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  DORA_INGESTED_TOPIC,
  DoraIngestedPayload,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { DoraStore } from '../database/DoraStore';
import {
  isProductionEnvironment,
  productionEnvironmentSet,
} from './productionEnvironments';

/** The one way events are written: `POST /v1/events`, the webhooks and the demo seeding all go through it. */
export interface DoraIngestService {
  /** Writes the events (see {@link DoraStore.ingest}) and tells other plugins; returns the number of distinct events. */
  ingest(events: ParsedDoraEvent[]): Promise<number>;
}

/**
 * What other plugins hear of a write: of the distinct events (the later of two with the same type and id wins, as in
 * the store), the changes that name an author and the successful production deployments.
 */
export function ingestedPayload(
  events: ParsedDoraEvent[],
  productionEnvironments: Set<string>,
): DoraIngestedPayload {
  const changes = new Map<
    string,
    Extract<ParsedDoraEvent, { type: 'change' }>
  >();
  const deployments = new Map<
    string,
    Extract<ParsedDoraEvent, { type: 'deployment' }>
  >();
  for (const event of events) {
    if (event.type === 'change') changes.set(event.id, event);
    if (event.type === 'deployment') deployments.set(event.id, event);
  }
  const payload: DoraIngestedPayload = { changes: [], deployments: [] };
  for (const change of changes.values()) {
    if (!change.author) continue;
    payload.changes.push({
      id: change.id,
      entityRef: change.entityRef,
      sha: change.sha,
      author: change.author,
      ...(change.mergedAt ? { mergedAt: change.mergedAt } : {}),
      ...(change.authoredAt ? { authoredAt: change.authoredAt } : {}),
    });
  }
  for (const deployment of deployments.values()) {
    if (
      deployment.status !== 'success' ||
      !isProductionEnvironment(productionEnvironments, deployment.environment)
    ) {
      continue;
    }
    payload.deployments.push({
      id: deployment.id,
      entityRef: deployment.entityRef,
      environment: deployment.environment,
      finishedAt: deployment.finishedAt,
      commitShas: [...new Set(deployment.commitShas)],
    });
  }
  return payload;
}

/**
 * Writes through the store and then publishes {@link DORA_INGESTED_TOPIC} on the Backstage events service. The store
 * commits before it returns, so subscribers never hear of a write that was rolled back; a failed publish is logged
 * and does not fail the write (subscribers are idempotent and catch up with the next write of the same events). Only
 * the events that changed stored state are published: a write with nothing for subscribers (only incidents, changes
 * without an author, non-production deployments, re-sends of stored state, updates older than it) publishes nothing.
 */
export class PublishingDoraIngestService implements DoraIngestService {
  private readonly productionEnvironments: Set<string>;

  constructor(
    private readonly options: {
      store: Pick<DoraStore, 'ingest'>;
      events: EventsService;
      logger: LoggerService;
      productionEnvironments?: string[];
    },
  ) {
    this.productionEnvironments = productionEnvironmentSet(
      options.productionEnvironments,
    );
  }

  async ingest(events: ParsedDoraEvent[]): Promise<number> {
    const { accepted, written } = await this.options.store.ingest(events);
    // Only what changed stored state is told: a re-send or a late update that changed nothing publishes nothing.
    const payload = ingestedPayload(written, this.productionEnvironments);
    if (payload.changes.length > 0 || payload.deployments.length > 0) {
      try {
        await this.options.events.publish({
          topic: DORA_INGESTED_TOPIC,
          eventPayload: payload,
        });
      } catch (error) {
        this.options.logger.warn(
          `Stored ${written.length} DORA events but could not publish them on ${DORA_INGESTED_TOPIC}: ${error}`,
        );
      }
    }
    return accepted;
  }
}
