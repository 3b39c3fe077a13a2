import { doraEventSchema, ingestEventsRequestSchema, metricsQuerySchema } from './schemas';

describe('event schemas', () => {
  it('normalises refs and reads any ISO offset as a UTC instant', () => {
    const parsed = doraEventSchema.parse({
      type: 'deployment',
      id: 'd-1',
      entityRef: 'Component:Payments-API',
      environment: 'Production',
      status: 'success',
      finishedAt: '2026-01-07T00:30:00+0100',
      commitShas: ['abc'],
    });
    expect(parsed).toMatchObject({ entityRef: 'component:default/payments-api', finishedAt: '2026-01-06T23:30:00.000Z' });
  });

  it('names the event index and field of a bad event', () => {
    const result = ingestEventsRequestSchema.safeParse({
      events: [
        { type: 'incident', id: 'i', entityRef: 'component:default/a', createdAt: '2026-01-06T10:00:00Z' },
        { type: 'incident', id: 'i', entityRef: 'component:default/a', createdAt: '2026-01-06 10:00' },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['events', 1, 'createdAt']);
  });

  it('defaults the window to the 90 days before now and the benchmark to 2023', () => {
    const q = metricsQuerySchema.parse({ entityRef: 'component:default/a' });
    expect(Date.parse(q.to) - Date.parse(q.from)).toBe(90 * 86_400_000);
    expect(q.benchmark).toBe('2023');
    expect(metricsQuerySchema.parse({ entityRef: 'component:default/a', from: '2026-01-01', to: '2026-02-01' }).from).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});
