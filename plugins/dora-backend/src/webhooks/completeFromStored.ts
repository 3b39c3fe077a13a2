import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { StoredChange } from '../database/DoraFlowReader';
import { eventVersion } from '../database/rows';

type ChangeEvent = Extract<ParsedDoraEvent, { type: 'change' }>;

const earliest = (a: string | undefined, b: string | undefined) => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
};

/** The event without the fields that are undefined (as the schema would return it). */
const defined = (event: ChangeEvent): ChangeEvent =>
  Object.fromEntries(
    Object.entries(event).filter(([, v]) => v !== undefined),
  ) as ChangeEvent;

/**
 * A GitHub pull request or review webhook tells only part of a change, and a stored change is replaced as a whole by
 * a newer one; so the webhook's event is completed from what is stored before it is written:
 *
 * - the first review is the earliest one ever reported (a `pull_request` payload names none, a later review is not
 *   the first);
 * - what the payload cannot tell is kept: `authoredAt` (from CI) and the size (a review's payload has none);
 * - a review older than the stored state (delivered after the merge) still sets the first review: the stored change
 *   with that review, at the stored version, so that it is not refused as older.
 *
 * Returns undefined when the event adds nothing (a review that is not earlier than the stored first review).
 */
export function completeFromStored(
  sent: ChangeEvent,
  stored: StoredChange | undefined,
  kind: 'pull-request' | 'review',
): ChangeEvent | undefined {
  // An id stored for another entity is not completed from it: the store refuses the event (ids are scoped to their
  // entity), as it would without this step.
  if (!stored || stored.event.entityRef !== sent.entityRef) return sent;
  const before = stored.event;
  const firstReviewAt = earliest(sent.firstReviewAt, before.firstReviewAt);
  if (kind === 'review') {
    if (firstReviewAt === before.firstReviewAt) return undefined;
    if (eventVersion(sent) < stored.version) {
      return defined({
        ...before,
        firstReviewAt,
        updatedAt: new Date(stored.version).toISOString(),
      });
    }
  }
  return defined({
    ...sent,
    authoredAt: sent.authoredAt ?? before.authoredAt,
    additions: sent.additions ?? before.additions,
    deletions: sent.deletions ?? before.deletions,
    firstReviewAt,
  });
}
