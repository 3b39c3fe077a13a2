import { doraEventSchema, ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { completeFromStored } from './completeFromStored';

type Change = Extract<ParsedDoraEvent, { type: 'change' }>;

const change = (fields: object): Change =>
  doraEventSchema.parse({
    type: 'change',
    id: 'github:example-corp/payments-api:pull:7',
    entityRef: 'component:default/payments-api',
    sha: 'head-1',
    createdAt: '2026-01-20T08:00:00Z',
    ...fields,
  }) as Change;
const stored = (fields: object, version: string) => ({
  event: change(fields),
  version: Date.parse(version),
});

describe('completeFromStored', () => {
  it('writes what is sent when nothing is stored', () => {
    const sent = change({ firstReviewAt: '2026-01-20T12:00:00Z' });
    expect(completeFromStored(sent, undefined, 'review')).toBe(sent);
  });

  it('keeps the stored first review, first commit and size a pull request webhook does not tell', () => {
    const before = stored(
      {
        authoredAt: '2026-01-19T08:00:00Z',
        firstReviewAt: '2026-01-20T12:00:00Z',
        additions: 300,
        deletions: 150,
      },
      '2026-01-20T12:00:00Z',
    );
    const merged = change({
      sha: 'merge-1',
      mergedAt: '2026-01-20T18:00:00Z',
      additions: 310,
    });
    expect(completeFromStored(merged, before, 'pull-request')).toEqual({
      ...merged,
      authoredAt: '2026-01-19T08:00:00.000Z',
      firstReviewAt: '2026-01-20T12:00:00.000Z',
      additions: 310,
      deletions: 150,
    });
  });

  it('takes only an earlier review, and on the stored state when the review is older than it', () => {
    const before = stored(
      {
        sha: 'merge-1',
        mergedAt: '2026-01-20T18:00:00Z',
        firstReviewAt: '2026-01-20T12:00:00Z',
        additions: 300,
      },
      '2026-01-20T18:00:00Z',
    );
    expect(
      completeFromStored(
        change({ firstReviewAt: '2026-01-20T15:00:00Z' }),
        before,
        'review',
      ),
    ).toBeUndefined();
    expect(
      completeFromStored(
        change({ firstReviewAt: '2026-01-20T11:00:00Z' }),
        before,
        'review',
      ),
    ).toEqual({
      ...before.event,
      firstReviewAt: '2026-01-20T11:00:00.000Z',
      updatedAt: '2026-01-20T18:00:00.000Z',
    });
  });

  it('leaves an id stored for another entity to the store, which refuses it', () => {
    const before = stored(
      {
        entityRef: 'component:default/ledger-service',
        mergedAt: '2026-01-20T18:00:00Z',
      },
      '2026-01-20T18:00:00Z',
    );
    const sent = change({ firstReviewAt: '2026-01-20T11:00:00Z' });
    expect(completeFromStored(sent, before, 'review')).toBe(sent);
  });
});
