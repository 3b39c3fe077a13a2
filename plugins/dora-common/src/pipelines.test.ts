import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DoraClient } from './client';
import {
  doraEventSchema,
  ingestEventsRequestSchema,
  pipelineRunsQuerySchema,
  pipelinesQuerySchema,
} from './schemas';

const run = {
  type: 'pipelineRun',
  id: 'gha-run-90412',
  entityRef: 'Component:Payments-API',
  attempt: 1,
  pipeline: 'CI',
  branch: 'main',
  defaultBranch: 'main',
  sha: '9fceb02',
  trigger: 'push',
  status: 'failure',
  queuedAt: '2026-11-25T11:31:05+01:00',
  startedAt: '2026-11-25T10:31:40Z',
  finishedAt: '2026-11-25T10:39:12Z',
};

const issuesOf = (event: object) => {
  const result = ingestEventsRequestSchema.safeParse({ events: [event] });
  return result.success
    ? []
    : result.error.issues.map(i => `${i.path.join('.')}: ${i.message}`);
};

describe('the pipelineRun event', () => {
  it('normalises its ref and reads its timestamps as UTC instants', () => {
    expect(doraEventSchema.parse(run)).toEqual({
      ...run,
      entityRef: 'component:default/payments-api',
      queuedAt: '2026-11-25T10:31:05.000Z',
      startedAt: '2026-11-25T10:31:40.000Z',
      finishedAt: '2026-11-25T10:39:12.000Z',
    });
  });

  it('takes a queued and a running run without a finish', () => {
    const { startedAt, finishedAt, ...queued } = run;
    expect(issuesOf({ ...queued, status: 'queued' })).toEqual([]);
    expect(issuesOf({ ...queued, status: 'in_progress', startedAt })).toEqual(
      [],
    );
    expect(finishedAt).toBeDefined();
  });

  it.each([
    [
      { status: 'queued' },
      'events.0.finishedAt: must be left out while the run is queued',
    ],
    [
      { finishedAt: undefined },
      'events.0.finishedAt: is required for a run with status failure',
    ],
    [
      { startedAt: '2026-11-25T10:30:00Z' },
      'events.0.startedAt: must not be before queuedAt',
    ],
    [
      { finishedAt: '2026-11-25T10:31:00Z' },
      'events.0.finishedAt: must not be before startedAt',
    ],
    [{ attempt: 0 }, 'events.0.attempt: Too small: expected number to be >=1'],
    [
      { attempt: 1.5 },
      'events.0.attempt: Invalid input: expected int, received number',
    ],
    [
      { status: 'green' },
      'events.0.status: Invalid option: expected one of "queued"|"in_progress"|"success"|"failure"|"cancelled"|"skipped"',
    ],
    [{ pipeline: '  ' }, 'events.0.pipeline: is required'],
    [
      { defaultBranch: undefined },
      'events.0.defaultBranch: Invalid input: expected string, received undefined',
    ],
    [{ extra: 1 }, 'events.0: Unrecognized key: "extra"'],
  ])('refuses %j naming the field', (change, message) => {
    expect(issuesOf({ ...run, ...change })).toEqual([message]);
  });
});

describe('pipeline queries', () => {
  it('read the window, the filters and paging as the other drill-downs do', () => {
    expect(
      pipelineRunsQuerySchema.parse({
        entityRef: 'group:payments',
        from: '2026-11-01',
        to: '2026-11-26',
        pipeline: ' CI ',
        status: 'failure',
        defaultBranch: 'true',
        flaky: 'false',
        limit: '25',
      }),
    ).toEqual({
      entityRef: 'group:default/payments',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-26T00:00:00.000Z',
      pipeline: 'CI',
      status: 'failure',
      defaultBranch: true,
      flaky: false,
      limit: 25,
      offset: 0,
    });
    expect(
      pipelinesQuerySchema.safeParse({ entityRef: 'component:a', limit: '5' })
        .success,
    ).toBe(false);
    expect(
      pipelineRunsQuerySchema.safeParse({
        entityRef: 'component:a',
        status: 'red',
      }).success,
    ).toBe(false);
  });
});

describe('DoraClient pipeline methods', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const baseUrl = 'http://backstage.test/api/dora';
  const client = new DoraClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
  });

  it('send the queries the backend parses', async () => {
    const seen: Array<{ path: string; query: Record<string, string> }> = [];
    server.use(
      http.get(`${baseUrl}/v1/pipelines*`, ({ request }) => {
        const url = new URL(request.url);
        seen.push({
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
        });
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.getPipelines({
      entityRef: 'group:default/payments',
      from: '2026-11-01',
    });
    await client.listPipelineRuns({
      entityRef: 'component:default/payments-api',
      pipeline: 'CI',
      defaultBranch: true,
      flaky: true,
      limit: 10,
    });
    expect(seen.map(s => s.path)).toEqual([
      '/api/dora/v1/pipelines',
      '/api/dora/v1/pipelines/runs',
    ]);
    expect(pipelinesQuerySchema.safeParse(seen[0].query).success).toBe(true);
    expect(pipelineRunsQuerySchema.parse(seen[1].query)).toMatchObject({
      pipeline: 'CI',
      defaultBranch: true,
      flaky: true,
      limit: 10,
    });
  });
});
