import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { doraEventSchema, ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { DoraStore } from '../database/DoraStore';
import { GITHUB_TOPICS, mapGithubEvent, UnresolvedDoraEvent } from './github';
import { mapPagerDutyEvent } from './pagerduty';

export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';

/** How long an annotation lookup is reused: webhooks come in bursts (a deployment sends several statuses). */
const CACHE_MS = 60_000;

/**
 * Turns webhooks (GitHub through Backstage's events service, PagerDuty through the plugin's own signed ingress) into
 * DORA events for the catalog entities that carry the repository's or service's annotation, and feeds them to the same
 * idempotent ingestion as `POST /v1/events`.
 */
export class WebhookIngestor {
  private readonly cache = new Map<string, { refs: Promise<string[]>; until: number }>();

  constructor(
    private readonly options: {
      store: DoraStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  /** Subscribes to the GitHub topics; the events module verifies the signatures before it publishes. */
  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'dora-webhooks',
      topics: [...GITHUB_TOPICS],
      onEvent: async ({ topic, eventPayload }) => {
        const mapped = mapGithubEvent(topic.replace(/^github\./, ''), eventPayload as Record<string, unknown>);
        if (!mapped) return;
        await this.ingest(GITHUB_SLUG_ANNOTATION, mapped.repository, mapped.event, topic);
      },
    });
  }

  /** A verified PagerDuty v3 webhook; returns the number of events written. */
  async ingestPagerDuty(payload: unknown): Promise<number> {
    const mapped = mapPagerDutyEvent(payload);
    if (!mapped) return 0;
    return this.ingest(PAGERDUTY_SERVICE_ANNOTATION, mapped.serviceId, mapped.event, 'pagerduty');
  }

  private async ingest(
    annotation: string,
    value: string,
    event: UnresolvedDoraEvent,
    source: string,
  ): Promise<number> {
    const { logger, store } = this.options;
    const entityRefs = await this.entitiesWith(annotation, value);
    if (entityRefs.length === 0) {
      logger.debug(`Ignored a ${source} webhook: no catalog entity has ${annotation}: ${value}`);
      return 0;
    }
    const parsed: ParsedDoraEvent[] = [];
    for (const entityRef of entityRefs) {
      // Ids are unique per event type; a repository shared by several entities gives each its own copy.
      const id = entityRefs.length === 1 ? event.id : `${event.id}@${entityRef}`.slice(0, 200);
      const result = doraEventSchema.safeParse({ ...event, id, entityRef });
      if (!result.success) {
        logger.warn(`Ignored a ${source} webhook for ${entityRef}: ${result.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return 0;
      }
      parsed.push(result.data);
    }
    return store.ingest(parsed);
  }

  /** Refs of the catalog entities whose annotation has this value, cached briefly. */
  private entitiesWith(annotation: string, value: string): Promise<string[]> {
    const now = this.options.now?.() ?? Date.now();
    const key = `${annotation}=${value.toLocaleLowerCase('en-US')}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.refs;
    const refs = this.lookup(annotation, value);
    this.cache.set(key, { refs, until: now + CACHE_MS });
    // A failed lookup is not cached.
    refs.catch(() => this.cache.delete(key));
    return refs;
  }

  private async lookup(annotation: string, value: string): Promise<string[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const refs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor }
          : {
              filter: { [`metadata.annotations.${annotation}`]: value },
              fields: ['kind', 'metadata.name', 'metadata.namespace'],
              limit: 100,
            },
        { credentials },
      );
      refs.push(...page.items.map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US')));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return refs.sort();
  }
}
