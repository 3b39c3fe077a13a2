/**
 * The topic the DORA backend publishes on the Backstage events service after every successful write (the HTTP API,
 * the webhooks and the demo seeding alike), so that other plugins can react to delivery events without polling.
 *
 * @public
 */
export const DORA_INGESTED_TOPIC = 'vitals.dora.ingested';

/**
 * The payload published on {@link DORA_INGESTED_TOPIC}. Only what other plugins act on is included: changes that name
 * an author, and successful production deployments. Subscribers must be idempotent: a re-sent event is published again.
 *
 * @public
 */
export interface DoraIngestedPayload {
  changes: Array<{
    id: string;
    entityRef: string;
    sha: string;
    /** As sent by CI or the webhook: a user entity ref, a user name, a GitHub login or an email. */
    author: string;
    /** ISO 8601; absent for a pull request that is still open. */
    mergedAt?: string;
    /** ISO 8601; for a plain commit (no pull request) the only timestamp. */
    authoredAt?: string;
  }>;
  deployments: Array<{
    id: string;
    entityRef: string;
    environment: string;
    /** ISO 8601. */
    finishedAt: string;
    commitShas: string[];
  }>;
}
