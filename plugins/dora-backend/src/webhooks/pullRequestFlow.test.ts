import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { createRouter } from '../service/router';
import { githubExamples } from './__testUtils__/githubExamples';
import { WebhookIngestor } from './WebhookIngestor';

/*
 * GitHub's pull request and review webhooks through the real store and router: an open pull request waits for review
 * until someone other than its author reviews it; the first review is the earliest, whatever order the webhooks
 * arrive in; the size and the first review survive the merge.
 */

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const REPO = 'example-corp/payments-api';
const SVC = 'component:default/payments-api';
const NOW = Date.parse('2026-01-21T10:00:00Z');
const USER = mockCredentials.user.header('user:default/guest');

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'github.com/project-slug': REPO },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  },
];

function pullRequest(action: string, fields: Record<string, unknown> = {}) {
  const payload = githubExamples('pull_request').find(
    p => p.action === 'opened' && !p.pull_request.draft,
  );
  payload.action = action;
  payload.repository.full_name = REPO;
  Object.assign(payload.pull_request, {
    number: 7,
    state: 'open',
    draft: false,
    merged: false,
    merged_at: null,
    closed_at: null,
    merge_commit_sha: null,
    created_at: '2026-01-20T08:00:00Z',
    updated_at: '2026-01-20T08:00:00Z',
    additions: 300,
    deletions: 150,
    user: { login: 'amira.haddad' },
    head: { sha: 'head-1' },
    ...fields,
  });
  return payload;
}

function review(
  login: string,
  submittedAt: string,
  state = 'commented',
  action = 'submitted',
) {
  const payload = githubExamples('pull_request_review')[0];
  payload.action = action;
  payload.repository.full_name = REPO;
  Object.assign(payload.review, {
    state,
    submitted_at: submittedAt,
    user: { login },
  });
  // The pull request as it was when the review was submitted: open.
  Object.assign(payload.pull_request, {
    number: 7,
    state: 'open',
    merged_at: null,
    closed_at: null,
    created_at: '2026-01-20T08:00:00Z',
    updated_at: submittedAt,
    user: { login: 'amira.haddad' },
    head: { sha: 'head-1' },
  });
  return payload;
}

const merged = () =>
  pullRequest('closed', {
    state: 'closed',
    merged: true,
    merged_at: '2026-01-20T18:00:00Z',
    closed_at: '2026-01-20T18:00:00Z',
    updated_at: '2026-01-20T18:00:00Z',
    merge_commit_sha: 'merge-1',
  });

describe.each(databases.eachSupportedId())(
  'pull request webhooks on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let deliver: (topic: string, payload: unknown) => Promise<void>;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      const store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      const events = mockServices.events.mock();
      const logger = mockServices.logger.mock();
      const catalog = catalogServiceMock({ entities: ENTITIES });
      const ingest = new PublishingDoraIngestService({ store, events, logger });
      const ingestor = new WebhookIngestor({
        ingest,
        auditor: mockServices.auditor.mock(),
        catalog,
        auth: mockServices.auth(),
        logger,
        changes: store.flow,
      });
      await ingestor.subscribe(events);
      const handler = (events.subscribe as jest.Mock).mock.calls[0][0].onEvent;
      deliver = (topic, eventPayload) =>
        handler({ topic: `github.${topic}`, eventPayload });
      const router = await createRouter({
        store,
        ingest,
        catalog,
        auth: mockServices.auth(),
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions: mockServices.permissions(),
        auditor: mockServices.auditor.mock(),
        logger,
        now: () => NOW,
      });
      app = routerTestApp(router);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const waiting = async () =>
      (
        await request(app)
          .get('/v1/flow/waiting')
          .query({ entityRef: SVC })
          .set('Authorization', USER)
      ).body;
    const mergedPullRequest = async () => {
      const res = await request(app)
        .get('/v1/flow/pull-requests')
        .query({ entityRef: SVC, from: '2026-01-19', to: '2026-01-26' })
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      return res.body.items[0];
    };

    it('lists an opened pull request as waiting until someone other than its author reviews it', async () => {
      await deliver('pull_request', pullRequest('opened'));
      expect(await waiting()).toMatchObject({
        totalCount: 1,
        overdueCount: 1,
        items: [
          {
            id: `github:${REPO}:pull:7`,
            sha: 'head-1',
            author: 'amira.haddad',
            linesChanged: 450,
            waitedHours: 26,
            overdue: true,
          },
        ],
      });
      // The author's own review, a dismissed one and one still pending are no first review.
      await deliver(
        'pull_request_review',
        review('amira.haddad', '2026-01-20T09:00:00Z'),
      );
      await deliver(
        'pull_request_review',
        review('jonas.berg', '2026-01-20T09:30:00Z', 'dismissed'),
      );
      await deliver(
        'pull_request_review',
        review('jonas.berg', '2026-01-20T09:40:00Z', 'dismissed', 'dismissed'),
      );
      expect((await waiting()).totalCount).toBe(1);

      await deliver(
        'pull_request_review',
        review('jonas.berg', '2026-01-20T12:00:00Z'),
      );
      expect(await waiting()).toMatchObject({ totalCount: 0, items: [] });
    });

    it('keeps the earliest review and the size through the merge, whatever order the webhooks arrive in', async () => {
      await deliver('pull_request', pullRequest('opened'));
      await deliver(
        'pull_request_review',
        review('jonas.berg', '2026-01-20T12:00:00Z'),
      );
      // A later review is not the first.
      await deliver(
        'pull_request_review',
        review('maria.santos', '2026-01-20T15:00:00Z', 'approved'),
      );
      await deliver('pull_request', merged());
      expect(await mergedPullRequest()).toMatchObject({
        sha: 'merge-1',
        firstReviewAt: '2026-01-20T12:00:00.000Z',
        mergedAt: '2026-01-20T18:00:00.000Z',
        pickupMinutes: 240,
        reviewMinutes: 360,
        reviewed: true,
        linesChanged: 450,
      });
      // An earlier review delivered after the merge still counts, and the merge stays.
      await deliver(
        'pull_request_review',
        review('maria.santos', '2026-01-20T11:00:00Z'),
      );
      expect(await mergedPullRequest()).toMatchObject({
        sha: 'merge-1',
        firstReviewAt: '2026-01-20T11:00:00.000Z',
        mergedAt: '2026-01-20T18:00:00.000Z',
        pickupMinutes: 180,
        reviewMinutes: 420,
        linesChanged: 450,
      });
    });

    it('counts a pull request merged without a review, and stops listing one closed without merging', async () => {
      await deliver('pull_request', pullRequest('opened'));
      await deliver('pull_request', merged());
      const flow = await request(app)
        .get('/v1/flow')
        .query({ entityRef: SVC, from: '2026-01-19', to: '2026-01-26' })
        .set('Authorization', USER);
      expect(flow.body).toMatchObject({ pullRequests: 1, unreviewed: 1 });
      expect(flow.body.parts.pickup.pullRequests).toBe(0);

      const other = { number: 8, head: { sha: 'head-2' } };
      await deliver('pull_request', pullRequest('opened', other));
      expect((await waiting()).items.map((i: any) => i.sha)).toEqual([
        'head-2',
      ]);
      await deliver(
        'pull_request',
        pullRequest('closed', {
          ...other,
          state: 'closed',
          closed_at: '2026-01-20T20:00:00Z',
          updated_at: '2026-01-20T20:00:00Z',
        }),
      );
      expect((await waiting()).totalCount).toBe(0);
      // Reopened: waiting again (newer than the close).
      await deliver(
        'pull_request',
        pullRequest('reopened', {
          ...other,
          updated_at: '2026-01-21T08:00:00Z',
        }),
      );
      expect((await waiting()).items.map((i: any) => i.sha)).toEqual([
        'head-2',
      ]);
    });

    it('does not list a draft', async () => {
      await deliver('pull_request', pullRequest('opened', { draft: true }));
      expect((await waiting()).totalCount).toBe(0);
    });
  },
);
