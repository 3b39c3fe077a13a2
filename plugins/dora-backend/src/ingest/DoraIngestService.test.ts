import { mockServices } from '@backstage/backend-test-utils';
import {
  DORA_INGESTED_TOPIC,
  doraEventSchema,
  DoraEventInput,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { PublishingDoraIngestService } from './DoraIngestService';

const events = (list: DoraEventInput[]) =>
  list.map(e => doraEventSchema.parse(e));
const deployment = (id: string, environment: string): DoraEventInput => ({
  type: 'deployment',
  id,
  entityRef: 'component:default/payments-api',
  environment,
  status: 'success',
  finishedAt: '2026-01-06T10:00:00Z',
  commitShas: ['abc'],
});

describe('PublishingDoraIngestService', () => {
  it('publishes only after the store has written, and counts the configured environments as production', async () => {
    const order: string[] = [];
    const store = {
      ingest: jest.fn(async (written: ParsedDoraEvent[]) => {
        order.push('stored');
        return { accepted: 2, written };
      }),
    };
    const publisher = mockServices.events.mock({
      publish: jest.fn(async () => {
        order.push('published');
      }),
    });
    const service = new PublishingDoraIngestService({
      store,
      events: publisher,
      logger: mockServices.logger.mock(),
      productionEnvironments: ['Live'],
    });
    expect(
      await service.ingest(
        events([
          deployment('d-live', 'LIVE'),
          deployment('d-prod', 'production'),
        ]),
      ),
    ).toBe(2);
    expect(order).toEqual(['stored', 'published']);
    expect(publisher.publish).toHaveBeenCalledWith({
      topic: DORA_INGESTED_TOPIC,
      eventPayload: {
        changes: [],
        deployments: [
          expect.objectContaining({ id: 'd-live', environment: 'LIVE' }),
        ],
      },
    });
  });

  it('keeps the write when publishing fails, and logs why', async () => {
    const store = {
      ingest: jest.fn(async (written: ParsedDoraEvent[]) => ({
        accepted: 1,
        written,
      })),
    };
    const publisher = mockServices.events.mock({
      publish: jest
        .fn()
        .mockRejectedValue(new Error('events backend unreachable')),
    });
    const logger = mockServices.logger.mock();
    const service = new PublishingDoraIngestService({
      store,
      events: publisher,
      logger,
    });
    await expect(
      service.ingest(events([deployment('d-1', 'prod')])),
    ).resolves.toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events backend unreachable'),
    );
  });

  it('publishes nothing when the write fails, or when it holds nothing subscribers act on', async () => {
    const publisher = mockServices.events.mock();
    const failing = new PublishingDoraIngestService({
      store: { ingest: jest.fn().mockRejectedValue(new Error('deadlock')) },
      events: publisher,
      logger: mockServices.logger.mock(),
    });
    await expect(
      failing.ingest(events([deployment('d-1', 'prod')])),
    ).rejects.toThrow('deadlock');
    const quiet = new PublishingDoraIngestService({
      store: {
        ingest: jest.fn(async (written: ParsedDoraEvent[]) => ({
          accepted: written.length,
          written,
        })),
      },
      events: publisher,
      logger: mockServices.logger.mock(),
    });
    await quiet.ingest(
      events([
        deployment('d-staging', 'staging'),
        {
          type: 'change',
          id: 'c-1',
          entityRef: 'component:default/payments-api',
          sha: 'abc',
          authoredAt: '2026-01-06T08:00:00Z',
        },
      ]),
    );
    expect(publisher.publish).not.toHaveBeenCalled();
  });
});
