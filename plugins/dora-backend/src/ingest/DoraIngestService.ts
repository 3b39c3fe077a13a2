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

/** At most `limit` calls of {@link WriteTurns.run} at once; the others wait in the order they came. */
export class WriteTurns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1))
      throw new Error(`A write limit must be at least 1, not ${limit}`);
  }

  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit)
      await new Promise<void>(resolve => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await write();
    } finally {
      // The turn passes straight to the next in line (the count stays), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

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
      /**
       * Writes in flight at once in this process (default: no limit); the others wait their turn, first come first
       * served. A batch keeps a database process busy for its whole write, so more writes at once than there are cores
       * add no throughput and make every read wait behind them.
       */
      maxConcurrentWrites?: number;
    },
  ) {
    this.productionEnvironments = productionEnvironmentSet(
      options.productionEnvironments,
    );
    this.turns = new WriteTurns(options.maxConcurrentWrites ?? Infinity);
  }

  private readonly turns: WriteTurns;

  async ingest(events: ParsedDoraEvent[]): Promise<number> {
    const { accepted, written } = await this.turns.run(() =>
      this.options.store.ingest(events),
    );
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
