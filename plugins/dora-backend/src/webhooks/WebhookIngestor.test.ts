import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { WebhookIngestor } from './WebhookIngestor';
import { githubExamples } from './__testUtils__/githubExamples';

function mergedPullRequest(repository: string): any {
  const payload = githubExamples('pull_request').find(
    p => p.action === 'closed',
  );
  payload.pull_request.merged = true;
  payload.pull_request.merged_at = '2026-11-20T16:00:00Z';
  payload.repository.full_name = repository;
  return payload;
}

const component = (name: string, slug: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': slug },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
});

describe('WebhookIngestor with GitHub events', () => {
  const catalog = catalogServiceMock({
    entities: [
      component('payments-api', 'example-corp/payments-api'),
      component('payments-worker', 'example-corp/payments-monorepo'),
      component('payments-cron', 'example-corp/payments-monorepo'),
    ],
  });

  async function setup(ingest: jest.Mock) {
    const events = mockServices.events();
    const auditor = mockServices.auditor.mock();
    const ingestor = new WebhookIngestor({
      ingest: { ingest },
      auditor,
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await ingestor.subscribe(events);
    return { events, auditor };
  }

  it('audits every webhook it writes with the repository, the entities and the number of events', async () => {
    const ingest = jest.fn(
      async (written: ParsedDoraEvent[]) => written.length,
    );
    const { events, auditor } = await setup(ingest);
    await events.publish({
      topic: 'github.pull_request',
      eventPayload: mergedPullRequest('example-corp/payments-monorepo'),
    });

    expect(ingest).toHaveBeenCalledTimes(1);
    expect(
      ingest.mock.calls[0][0].map((e: ParsedDoraEvent) => e.entityRef),
    ).toEqual([
      'component:default/payments-cron',
      'component:default/payments-worker',
    ]);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'dora-webhook-ingest',
        meta: expect.objectContaining({
          source: 'github',
          topic: 'github.pull_request',
          repository: 'example-corp/payments-monorepo',
          eventType: 'change',
          events: 2,
        }),
      }),
    );
    const audit = await auditor.createEvent.mock.results[0].value;
    expect(audit.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ accepted: 2 }),
    });
  });

  it('audits a failed write as a failure and lets the error reach the events service', async () => {
    const ingest = jest.fn().mockRejectedValue(new Error('database is down'));
    const { events, auditor } = await setup(ingest);
    await expect(
      events.publish({
        topic: 'github.pull_request',
        eventPayload: mergedPullRequest('example-corp/payments-api'),
      }),
    ).rejects.toThrow('database is down');
    const audit = await auditor.createEvent.mock.results[0].value;
    expect(audit.fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({
          repository: 'example-corp/payments-api',
          events: 1,
        }),
      }),
    );
    expect(audit.success).not.toHaveBeenCalled();
  });

  it('neither writes nor audits a webhook of a repository no entity carries', async () => {
    const ingest = jest.fn();
    const { events, auditor } = await setup(ingest);
    await events.publish({
      topic: 'github.pull_request',
      eventPayload: mergedPullRequest('example-corp/unknown'),
    });
    expect(ingest).not.toHaveBeenCalled();
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });
});
