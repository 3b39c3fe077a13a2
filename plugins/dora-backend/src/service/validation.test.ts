import {
  ingestEventsRequestSchema,
  MAX_COMMITS_PER_REQUEST,
} from '@vitals/plugin-dora-common';
import { parseEventsRequest, parseInput } from './validation';

const deployment = (i: number, extra: object = {}) => ({
  type: 'deployment',
  id: ` d-${i} `,
  entityRef: `Component:Service-${i % 7}`,
  environment: 'production',
  status: 'success',
  startedAt: '2026-01-06T10:00:00+0100',
  finishedAt: '2026-01-06T10:30:00+01:00',
  commitShas: [`a${i}`, `b${i}`],
  ...extra,
});
const change = (i: number) => ({
  type: 'change',
  id: `c-${i}`,
  entityRef: 'component:default/a',
  sha: `a${i}`,
  mergedAt: '2026-01-06T08:00:00Z',
});
const incident = (i: number) => ({
  type: 'incident',
  id: `i-${i}`,
  entityRef: 'component:default/a',
  createdAt: '2026-01-06T11:00:00Z',
});

/** What the schema in one go answers: the parsed request, or the 400's message. */
function oneGo(body: unknown): { events?: unknown; message?: string } {
  try {
    return parseInput(ingestEventsRequestSchema, body, 'events');
  } catch (error) {
    return { message: (error as Error).message };
  }
}

async function stepwise(
  body: unknown,
): Promise<{ events?: unknown; message?: string; name?: string }> {
  try {
    return await parseEventsRequest(body);
  } catch (error) {
    return { message: (error as Error).message, name: (error as Error).name };
  }
}

describe('parseEventsRequest', () => {
  const mixed = Array.from({ length: 250 }, (_, i) =>
    [deployment, change, incident][i % 3](i),
  );

  it('parses a batch over several steps exactly as the schema does in one go', async () => {
    const result = await stepwise({ events: mixed });
    expect(result.events).toHaveLength(250);
    expect(result).toEqual(oneGo({ events: mixed }));
    expect((result.events as any[])[0]).toMatchObject({
      id: 'd-0',
      entityRef: 'component:default/service-0',
      finishedAt: '2026-01-06T09:30:00.000Z',
    });
  });

  it('names the same bad fields, at their positions in the whole batch, with the same count of more', async () => {
    const events = mixed.map((e, i) =>
      i % 20 === 7 ? { ...e, entityRef: 'no-kind' } : e,
    );
    events[149] = deployment(149, { finishedAt: 'yesterday' });
    const result = await stepwise({ events });
    expect(result.name).toBe('InputError');
    expect(result.message).toContain('events[7].entityRef');
    expect(result.message).toContain('; and 4 more');
    expect(result.message).toBe(oneGo({ events }).message);
  });

  it.each([
    ['no events', { events: [] }],
    ['too many', { events: Array.from({ length: 5001 }, (_, i) => change(i)) }],
    ['not an array', { events: {} }],
    ['another field', { events: [change(1)], dryRun: true }],
    ['not an object', [change(1)]],
    ['nothing', undefined],
    [
      'too many commit shas in all',
      {
        events: Array.from({ length: 21 }, (_, i) =>
          deployment(i, {
            commitShas: Array.from(
              { length: MAX_COMMITS_PER_REQUEST / 20 },
              (__, k) => `s${k}`,
            ),
          }),
        ),
      },
    ],
  ])('refuses a request with %s as the schema does', async (_name, body) => {
    const result = await stepwise(body);
    expect(result.name).toBe('InputError');
    expect(result.message).toBe(oneGo(body).message);
  });
});
