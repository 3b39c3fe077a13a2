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

  it('writes at most maxConcurrentWrites batches at once, the others in the order they came, also after a failure', async () => {
    const started: string[] = [];
    const finish = new Map<string, (fail?: boolean) => void>();
    let inFlight = 0;
    let mostInFlight = 0;
    const store = {
      ingest: jest.fn(
        (written: ParsedDoraEvent[]) =>
          new Promise<{ accepted: number; written: ParsedDoraEvent[] }>(
            (resolve, reject) => {
              const id = written[0].id;
              started.push(id);
              inFlight += 1;
              mostInFlight = Math.max(mostInFlight, inFlight);
              finish.set(id, fail => {
                inFlight -= 1;
                if (fail) reject(new Error(`${id} failed`));
                else resolve({ accepted: 1, written });
              });
            },
          ),
      ),
    };
    const service = new PublishingDoraIngestService({
      store,
      events: mockServices.events.mock(),
      logger: mockServices.logger.mock(),
      maxConcurrentWrites: 2,
    });
    const tick = () => new Promise(resolve => setImmediate(resolve));
    const writes = ['d-1', 'd-2', 'd-3', 'd-4'].map(id =>
      service.ingest(events([deployment(id, 'prod')])),
    );
    writes[0].catch(() => undefined);
    await tick();
    expect(started).toEqual(['d-1', 'd-2']);
    finish.get('d-1')!(true);
    await expect(writes[0]).rejects.toThrow('d-1 failed');
    await tick();
    expect(started).toEqual(['d-1', 'd-2', 'd-3']);
    finish.get('d-3')!();
    await expect(writes[2]).resolves.toBe(1);
    await tick();
    expect(started).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
    finish.get('d-2')!();
    finish.get('d-4')!();
    await expect(Promise.all(writes.slice(1))).resolves.toEqual([1, 1, 1]);
    expect(mostInFlight).toBe(2);
  });
});
