import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { describeZodError } from '@vitals/common';
import { doraEventSchema, ParsedDoraEvent } from '@vitals/plugin-dora-common';
import type { Request } from 'express';
import { DoraFlowStore } from '../database/DoraFlowReader';
import { DoraIngestService } from '../ingest/DoraIngestService';
import { completeFromStored } from './completeFromStored';
import { GITHUB_TOPICS, mapGithubEvent, UnresolvedDoraEvent } from './github';
import { mapPagerDutyEvent } from './pagerduty';

export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';

/** The store refused the event itself (an id of another entity, a deployment of another entity), not a failure. */
function isRefusal(error: unknown): error is Error {
  return (
    isError(error) &&
    (error.name === 'ConflictError' || error.name === 'InputError')
  );
}

/** How long an annotation lookup is reused: webhooks come in bursts (a deployment sends several statuses). */
const CACHE_MS = 60_000;

/**
 * Turns webhooks (GitHub through Backstage's events service, PagerDuty through the plugin's own signed ingress) into
 * DORA events for the catalog entities that carry the repository's or service's annotation, and feeds them to the same
 * idempotent ingestion as `POST /v1/events`.
 */
export class WebhookIngestor {
  private readonly cache = new Map<
    string,
    { refs: Promise<string[]>; until: number }
  >();

  constructor(
    private readonly options: {
      ingest: DoraIngestService;
      auditor: AuditorService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** The stored changes that GitHub's pull request and review webhooks complete; without it they are written as sent. */
      changes?: Pick<DoraFlowStore, 'storedChanges'>;
      now?: () => number;
    },
  ) {}

  /** Subscribes to the GitHub topics; the events module verifies the signatures before it publishes. */
  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'dora-webhooks',
      topics: [...GITHUB_TOPICS],
      onEvent: async ({ topic, eventPayload }) => {
        const mapped = mapGithubEvent(
          topic.replace(/^github\./, ''),
          eventPayload as Record<string, unknown>,
        );
        if (!mapped) return;
        try {
          await this.ingest({
            annotation: GITHUB_SLUG_ANNOTATION,
            value: mapped.repository,
            event: mapped.event,
            source: 'github',
            topic,
            completes: mapped.completes,
          });
        } catch (error) {
          // A refused event (logged and audited) is final: redelivering the webhook cannot make it acceptable.
          if (!isRefusal(error)) throw error;
        }
      },
    });
  }

  /** A verified PagerDuty v3 webhook (the request that brought it, for the audit log); returns the events written. */
  async ingestPagerDuty(payload: unknown, request?: Request): Promise<number> {
    const mapped = mapPagerDutyEvent(payload);
    if (!mapped) return 0;
    return this.ingest({
      annotation: PAGERDUTY_SERVICE_ANNOTATION,
      value: mapped.serviceId,
      event: mapped.event,
      source: 'pagerduty',
      request,
    });
  }

  /**
   * Writes the event for every entity carrying the annotation, audited like `POST /v1/events`: one audit event per
   * webhook that names a known repository or service, with the source, the repository or service, the entities and
   * the number of events, then success or failure. Webhooks for nothing in the catalog are only logged.
   */
  private async ingest(webhook: {
    annotation: string;
    value: string;
    event: UnresolvedDoraEvent;
    source: 'github' | 'pagerduty';
    topic?: string;
    request?: Request;
    completes?: 'pull-request' | 'review';
  }): Promise<number> {
    const { logger, ingest, auditor } = this.options;
    const { annotation, value, event, source } = webhook;
    const entityRefs = await this.entitiesWith(annotation, value);
    if (entityRefs.length === 0) {
      logger.debug(
        `Ignored a ${source} webhook: no catalog entity has ${annotation}: ${value}`,
      );
      return 0;
    }
    const meta = {
      source,
      ...(webhook.topic ? { topic: webhook.topic } : {}),
      ...(source === 'github' ? { repository: value } : { service: value }),
      eventType: event.type,
      eventId: event.id,
      entities: entityRefs,
      events: entityRefs.length,
    };
    const audit = await auditor.createEvent({
      eventId: 'dora-webhook-ingest',
      severityLevel: 'low',
      request: webhook.request,
      meta,
    });
    const parsed: ParsedDoraEvent[] = [];
    for (const entityRef of entityRefs) {
      // Ids are unique per event type; a repository shared by several entities gives each its own copy.
      const id =
        entityRefs.length === 1
          ? event.id
          : `${event.id}@${entityRef}`.slice(0, 200);
      const result = doraEventSchema.safeParse({ ...event, id, entityRef });
      if (!result.success) {
        const reason = describeZodError(result.error);
        logger.warn(`Ignored a ${source} webhook for ${entityRef}: ${reason}`);
        await audit.fail({
          error: new Error(`Invalid ${event.type} for ${entityRef}: ${reason}`),
          meta,
        });
        return 0;
      }
      parsed.push(result.data);
    }
    try {
      const events = webhook.completes
        ? await this.completeFromStored(parsed, webhook.completes)
        : parsed;
      const accepted = events.length ? await ingest.ingest(events) : 0;
      await audit.success({ meta: { ...meta, accepted } });
      return accepted;
    } catch (error) {
      if (isRefusal(error)) {
        // E.g. the id is stored for another entity: a webhook never moves an event to another entity.
        logger.warn(
          `Refused a ${source} webhook for ${entityRefs.join(', ')}: ${
            error.message
          }`,
        );
      }
      await audit.fail({ error: error as Error, meta });
      throw error;
    }
  }

  /** The changes of a pull request webhook completed from the stored ones (see {@link completeFromStored}). */
  private async completeFromStored(
    events: ParsedDoraEvent[],
    kind: 'pull-request' | 'review',
  ): Promise<ParsedDoraEvent[]> {
    const { changes } = this.options;
    if (!changes) return events;
    const stored = await changes.storedChanges(events.map(e => e.id));
    return events.flatMap((event): ParsedDoraEvent[] => {
      if (event.type !== 'change') return [event];
      const completed = completeFromStored(event, stored.get(event.id), kind);
      return completed ? [completed] : [];
    });
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
      refs.push(
        ...page.items.map(e =>
          stringifyEntityRef(e).toLocaleLowerCase('en-US'),
        ),
      );
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return refs.sort();
  }
}
