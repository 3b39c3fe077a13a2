import { mockServices } from '@backstage/backend-test-utils';
import {
  derefOpenApi,
  documentedRoutes,
  examplesOfMedia,
  openApiOperations,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  activityQuerySchema,
  changesQuerySchema,
  DORA_BENCHMARKS,
  DORA_DEPLOYMENT_STATUSES,
  DORA_FLOW_PARTS,
  DORA_FINISHED_PIPELINE_RUN_STATUSES,
  DORA_PIPELINE_RUN_STATUSES,
  DORA_TIERS,
  DoraClient,
  deploymentsQuerySchema,
  flowPullRequestsQuerySchema,
  flowQuerySchema,
  flowTeamsQuerySchema,
  flowWaitingQuerySchema,
  healthQuerySchema,
  incidentQuerySchema,
  incidentsQuerySchema,
  ingestEventsRequestSchema,
  isoTimestampSchema,
  metricsQuerySchema,
  pipelineRunsQuerySchema,
  pipelinesQuerySchema,
  seriesQuerySchema,
  teamsQuerySchema,
  windowBoundSchema,
} from '@vitals/plugin-dora-common';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { DoraStore } from '../database/DoraStore';
import { DoraIngestService } from '../ingest/DoraIngestService';
import { createRouter } from '../service/router';
import { mapPagerDutyEvent } from '../webhooks/pagerduty';
import { WebhookIngestor } from '../webhooks/WebhookIngestor';

const spec = readOpenApiSpec(__dirname);

/** Follows `$ref`s and single-element `allOf`s to the schema or parameter they name. */
function resolve(node: any): any {
  if (node?.$ref) {
    return resolve(
      (node.$ref as string)
        .slice(2)
        .split('/')
        .reduce((n: any, key) => n[key], spec),
    );
  }
  if (node?.allOf?.length === 1)
    return { ...resolve(node.allOf[0]), ...node, allOf: undefined };
  return node;
}

function operations(): Array<{
  path: string;
  method: string;
  op: any;
  parameters: any[];
}> {
  return openApiOperations(spec).map(o => ({
    ...o,
    parameters: o.parameters.map(resolve),
  }));
}

/** The zod schema that validates each operation's query (as the router calls it). */
const QUERY_SCHEMAS: Record<string, z.ZodTypeAny> = {
  GetMetrics: metricsQuerySchema,
  GetTeamMetrics: teamsQuerySchema,
  GetSeries: seriesQuerySchema,
  ListDeployments: deploymentsQuerySchema,
  ListChanges: changesQuerySchema,
  ListIncidents: incidentsQuerySchema,
  GetIncident: incidentQuerySchema,
  GetActivity: activityQuerySchema,
  GetDataHealth: healthQuerySchema,
  GetFlow: flowQuerySchema,
  ListFlowPullRequests: flowPullRequestsQuerySchema,
  ListWaitingPullRequests: flowWaitingQuerySchema,
  GetFlowTeams: flowTeamsQuerySchema,
  GetPipelines: pipelinesQuerySchema,
  ListPipelineRuns: pipelineRunsQuerySchema,
};

/** A query of the parameters' examples: what the spec says a caller may send. */
function exampleQuery(parameters: any[]): Record<string, string> {
  const query: Record<string, string> = {};
  for (const p of parameters.filter(x => x.in === 'query')) {
    const example = p.example ?? resolve(p.schema).example;
    if (example !== undefined) query[p.name] = String(example);
  }
  return query;
}

/** Whether the schema is (or wraps) one of the date schemas, whose bounds are probed on their own below. */
function isDate(node: any): boolean {
  const ref: string | undefined = node?.$ref ?? node?.allOf?.[0]?.$ref;
  if (!ref) return false;
  return (
    /\/(Timestamp|WindowBound)$/.test(ref) ||
    isDate(
      ref
        .slice(2)
        .split('/')
        .reduce((n: any, key) => n[key], spec),
    )
  );
}

/** Every disagreement a test finds, so that one run lists them all (and no expectation hides behind a condition). */
let disagreements: Array<{
  where: string;
  actual: unknown;
  expected: unknown;
}> = [];
function check(where: string, actual: unknown, expected: unknown) {
  if (!isDeepStrictEqual(actual, expected))
    disagreements.push({ where, actual, expected });
}
beforeEach(() => {
  disagreements = [];
});

/** The routes a router serves and those of the routers it mounts (createRouter's validating router). */
function servedRoutesWithin(router: any): string[] {
  // A route may be served at two levels (`POST /v1/events` in the usual form before the validator, the rest after it):
  // one operation all the same.
  return [
    ...new Set([
      ...servedRoutes(router),
      ...router.stack
        .filter(
          (layer: any) => !layer.route && Array.isArray(layer.handle?.stack),
        )
        .flatMap((layer: any) => servedRoutesWithin(layer.handle)),
    ]),
  ].sort();
}

const matches = (schema: any, value: string) =>
  new RegExp(resolve(schema).pattern).test(value);

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as DoraStore,
      ingest: {} as DoraIngestService,
      httpAuth: mockServices.httpAuth(),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      // The webhook route is served only when a secret is configured; the spec documents it.
      pagerDuty: { secret: 'secret', ingestor: {} as WebhookIngestor },
    });
    // The validating router also serves the spec itself, which the spec does not list as an operation.
    const served = servedRoutesWithin(router);
    expect(served).toContain('GET /openapi.json');
    expect(served.filter(r => r !== 'GET /openapi.json')).toEqual(
      documentedRoutes(spec),
    );
  });

  it('gives every operation an id, a 2xx, a 400 where it takes input, and examples the zod schemas accept', () => {
    const ids = new Set<string>();
    for (const { path: p, method, op, parameters } of operations()) {
      const where = `${method.toUpperCase()} ${p}`;
      check(
        where,
        { operationId: typeof op.operationId },
        { operationId: 'string' },
      );
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      const codes = Object.keys(op.responses);
      check(
        where,
        { has2xx: codes.some(c => /^2\d\d$/.test(c)) },
        { has2xx: true },
      );
      if (parameters.length > 0 || op.requestBody) {
        check(where, { has400: codes.includes('400') }, { has400: true });
        const error = resolve(op.responses['400']).content['application/json']
          .schema;
        check(
          `${where} 400 body`,
          resolve(error) === spec.components.schemas.ErrorResponse,
          true,
        );
      }
      if (op.requestBody) {
        const content = op.requestBody.content['application/json'];
        const examples = [
          content.example,
          ...Object.values<any>(content.examples ?? {}).map(e => e.value),
        ].filter(Boolean);
        check(where, { examples: examples.length > 0 }, { examples: true });
      }
      const querySchema = QUERY_SCHEMAS[op.operationId];
      if (querySchema) {
        const result = querySchema.safeParse(exampleQuery(parameters));
        check(
          where,
          { error: result.success ? undefined : result.error.issues },
          { error: undefined },
        );
      } else {
        check(
          where,
          { query: parameters.filter(x => x.in === 'query') },
          { query: [] },
        );
      }
    }
    expect(ids.size).toBe(17);

    expect(disagreements).toEqual([]);
  });

  it('has request body examples that the zod schemas accept', () => {
    const events =
      spec.paths['/v1/events'].post.requestBody.content['application/json'];
    const shown = new Set<string>();
    for (const [name, example] of Object.entries<any>(events.examples)) {
      const result = ingestEventsRequestSchema.safeParse(example.value);
      check(
        name,
        { error: result.success ? undefined : result.error.issues },
        { error: undefined },
      );
      for (const event of example.value.events) shown.add(event.type);
    }
    // The examples show every event type.
    expect(shown).toEqual(
      new Set(['deployment', 'change', 'incident', 'pipelineRun']),
    );
    // The webhook has no zod schema: its example is one the mapper turns into an incident.
    const webhook =
      spec.paths['/v1/webhooks/pagerduty'].post.requestBody.content[
        'application/json'
      ].example;
    expect(mapPagerDutyEvent(webhook)).toMatchObject({
      serviceId: 'PPAYAPI',
      event: { type: 'incident', id: 'pagerduty:PGR0VU2' },
    });

    expect(disagreements).toEqual([]);
  });

  it('states the bounds the zod query schemas enforce', () => {
    for (const { op, parameters } of operations()) {
      const schema = QUERY_SCHEMAS[op.operationId];
      if (!schema) continue;
      const base = exampleQuery(parameters);
      const accepts = (name: string, value: string) =>
        schema.safeParse({ ...base, [name]: value }).success;
      for (const p of parameters.filter(x => x.in === 'query')) {
        const s = resolve(p.schema);
        const where = `${op.operationId} ${p.name}`;
        if (s.type === 'integer') {
          check(
            where,
            {
              bounds: [s.minimum, s.maximum].map(n => [
                accepts(p.name, String(n)),
                accepts(p.name, String(n + (n === s.minimum ? -1 : 1))),
              ]),
            },
            {
              bounds: [
                [true, false],
                [true, false],
              ],
            },
          );
          check(
            where,
            {
              default: (schema.parse(base) as Record<string, unknown>)[p.name],
            },
            { default: s.default },
          );
        }
        if (s.enum) {
          check(
            where,
            {
              all: s.enum.every((v: string) => accepts(p.name, v)),
              other: accepts(p.name, 'other'),
            },
            { all: true, other: false },
          );
        }
        if (s.type === 'boolean') {
          check(
            where,
            { values: ['true', 'false', 'yes'].map(v => accepts(p.name, v)) },
            { values: [true, true, false] },
          );
        }
        if (s.type === 'string' && s.maxLength && !isDate(p.schema)) {
          check(
            where,
            { tooLong: accepts(p.name, 'a'.repeat(s.maxLength + 1)) },
            { tooLong: false },
          );
        }
      }
      // An unknown parameter is refused, as the spec's description says.
      check(
        op.operationId,
        { unknown: schema.safeParse({ ...base, unknown: 'x' }).success },
        { unknown: false },
      );
    }

    expect(disagreements).toEqual([]);
  });

  it('states the date range and formats that the zod schemas enforce', () => {
    const { Timestamp, WindowBound } = spec.components.schemas;
    const samples = [
      '2026-11-26T10:00:00Z',
      '2026-11-26T10:00Z',
      '2026-11-26T10:00:00.123456789+01:00',
      '2026-11-26T10:00:00+0100',
      '2026-11-26',
      '2026-11-26T10:00:00',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2099-12-31T23:59:59Z',
      '2100-01-01T00:00:00Z',
      '1970-01-01',
      '1969-12-31',
      '2099-12-31',
      '2100-01-01',
      'yesterday',
    ];
    for (const value of samples) {
      check(
        value,
        { timestamp: matches(Timestamp, value) },
        { timestamp: isoTimestampSchema.safeParse(value).success },
      );
      check(
        value,
        { window: matches(WindowBound, value) },
        { window: windowBoundSchema.safeParse(value).success },
      );
    }
    expect(Timestamp.maxLength).toBe(64);
    expect(WindowBound.maxLength).toBe(64);

    expect(disagreements).toEqual([]);
  });

  it('states the bounds the zod event schemas enforce', () => {
    const { examples } =
      spec.paths['/v1/events'].post.requestBody.content['application/json'];
    const example = examples.deploymentWithChangeAndIncident.value;
    // The event schemas are named after their `type` (the discriminator's implicit mapping).
    const names: Record<string, string> = {
      deployment: 'deployment',
      change: 'change',
      incident: 'incident',
      pipelineRun: 'pipelineRun',
    };
    const accepts = (event: object) =>
      ingestEventsRequestSchema.safeParse({ events: [event] }).success;
    const pipelineRun = examples.pipelineRuns.value.events[0];
    for (const event of [...example.events, pipelineRun]) {
      const schema = spec.components.schemas[names[event.type]];
      const fieldNames = Object.keys(schema.properties);
      // additionalProperties: false is zod's strict().
      expect(schema.additionalProperties).toBe(false);
      expect(accepts({ ...event, unknown: 1 })).toBe(false);
      for (const field of schema.required) {
        check(
          `${event.type}.${field}`,
          { accepted: accepts({ ...event, [field]: undefined }) },
          { accepted: false },
        );
      }
      for (const field of fieldNames) {
        const s = resolve(schema.properties[field]);
        const where = `${event.type}.${field}`;
        // A run's status decides whether it may have a finish: checked on its own below.
        if (s.enum && field !== 'type' && where !== 'pipelineRun.status') {
          check(
            where,
            {
              all: s.enum.every((v: string) =>
                accepts({ ...event, [field]: v }),
              ),
              other: accepts({ ...event, [field]: 'other' }),
            },
            { all: true, other: false },
          );
        }
        if (
          s.type === 'string' &&
          s.maxLength &&
          !isDate(schema.properties[field])
        ) {
          const prefix =
            { url: 'https://example.com/', entityRef: 'component:default/' }[
              field
            ] ?? '';
          const sized = (n: number) => prefix + 'a'.repeat(n - prefix.length);
          check(
            where,
            {
              max: accepts({ ...event, [field]: sized(s.maxLength) }),
              over: accepts({ ...event, [field]: sized(s.maxLength + 1) }),
            },
            { max: true, over: false },
          );
          if (s.minLength === 1) {
            check(
              where,
              {
                blank: accepts({ ...event, [field]: '  ' }),
                patternBlank: matches(s, '  '),
              },
              { blank: false, patternBlank: false },
            );
          }
        }
        if (s.type === 'integer') {
          check(
            where,
            {
              bounds: [s.minimum, s.maximum].map(n => [
                accepts({ ...event, [field]: n }),
                accepts({
                  ...event,
                  [field]: n + (n === s.minimum ? -1 : 1),
                }),
              ]),
              fraction: accepts({ ...event, [field]: 1.5 }),
            },
            {
              bounds: [
                [true, false],
                [true, false],
              ],
              fraction: false,
            },
          );
        }
      }
    }
    const deployment = example.events.find((e: any) => e.type === 'deployment');
    const { maxItems } =
      spec.components.schemas.deployment.properties.commitShas;
    const shas = (n: number) => Array.from({ length: n }, (_, i) => `sha${i}`);
    expect([
      accepts({ ...deployment, commitShas: shas(maxItems) }),
      accepts({ ...deployment, commitShas: shas(maxItems + 1) }),
    ]).toEqual([true, false]);

    const { events } = spec.components.schemas.IngestEventsRequest.properties;
    const batch = (n: number) => ({
      events: Array.from({ length: n }, (_, i) => ({
        ...deployment,
        id: `d${i}`,
        commitShas: [],
      })),
    });
    expect(
      [events.minItems, events.maxItems].map(
        n => ingestEventsRequestSchema.safeParse(batch(n)).success,
      ),
    ).toEqual([true, true]);
    expect(
      [events.minItems - 1, events.maxItems + 1].map(
        n => ingestEventsRequestSchema.safeParse(batch(n)).success,
      ),
    ).toEqual([false, false]);

    // A run takes every status of the spec, finished ones with finishedAt and the others without; attempt is bounded.
    const { attempt } = spec.components.schemas.pipelineRun.properties;
    for (const status of spec.components.schemas.PipelineRunStatus.enum) {
      const finished = DORA_FINISHED_PIPELINE_RUN_STATUSES.includes(status);
      check(
        `pipelineRun.status ${status}`,
        {
          accepted: accepts({
            ...pipelineRun,
            status,
            finishedAt: finished ? pipelineRun.finishedAt : undefined,
          }),
          other: accepts({
            ...pipelineRun,
            status,
            finishedAt: finished ? undefined : pipelineRun.finishedAt,
          }),
        },
        { accepted: true, other: false },
      );
    }
    expect(
      [
        attempt.minimum,
        attempt.maximum,
        attempt.minimum - 1,
        attempt.maximum + 1,
      ].map(n => accepts({ ...pipelineRun, attempt: n })),
    ).toEqual([true, true, false, false]);

    // A change needs one of authoredAt, createdAt, mergedAt (the spec's anyOf).
    const change = example.events.find((e: any) => e.type === 'change');
    const alternatives = spec.components.schemas.change.anyOf.map(
      (a: any) => a.required[0],
    );
    expect(
      accepts({
        ...change,
        authoredAt: undefined,
        createdAt: undefined,
        mergedAt: undefined,
      }),
    ).toBe(false);
    for (const field of alternatives) {
      check(
        field,
        {
          accepted: accepts({
            ...change,
            authoredAt: undefined,
            createdAt: undefined,
            mergedAt: undefined,
            [field]: change[field],
          }),
        },
        { accepted: true },
      );
    }

    expect(disagreements).toEqual([]);
  });

  it('answers every error with the shared ErrorResponse, and shows an example of every response', () => {
    for (const { path: p, method, op } of operations()) {
      for (const [code, node] of Object.entries<any>(op.responses)) {
        const where = `${method.toUpperCase()} ${p} ${code}`;
        const media = resolve(node).content?.['application/json'];
        check(
          where,
          { examples: media ? examplesOfMedia(spec, media).length > 0 : false },
          { examples: true },
        );
        if (!/^2/.test(code)) {
          check(
            where,
            {
              errorResponse:
                resolve(media?.schema) ===
                spec.components.schemas.ErrorResponse,
            },
            { errorResponse: true },
          );
        }
      }
    }

    expect(disagreements).toEqual([]);
  });

  it('describes every success body exactly: closed objects that require every field they list', () => {
    const seen = new Set<any>();
    const walk = (node: any, where: string) => {
      const schema = derefOpenApi(spec, node);
      if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
      seen.add(schema);
      if (schema.type === 'object') {
        check(
          where,
          {
            additionalProperties: schema.additionalProperties,
            required: [...(schema.required ?? [])].sort(),
          },
          {
            additionalProperties: false,
            required: Object.keys(schema.properties ?? {}).sort(),
          },
        );
      }
      for (const [key, child] of Object.entries<any>(schema.properties ?? {}))
        walk(child, `${where}.${key}`);
      if (schema.items) walk(schema.items, `${where}[]`);
      for (const part of schema.allOf ?? []) walk(part, where);
    };
    for (const { path: p, method, op } of operations()) {
      for (const [code, node] of Object.entries<any>(op.responses)) {
        if (!/^2/.test(code)) continue;
        walk(
          resolve(node).content['application/json'].schema,
          `${method.toUpperCase()} ${p} ${code}`,
        );
      }
    }
    expect(seen.size).toBeGreaterThan(10);

    expect(disagreements).toEqual([]);
  });

  it('has one source for each enum: the constants of @vitals/plugin-dora-common', () => {
    const { schemas } = spec.components;
    expect(schemas.Benchmark.enum).toEqual([...DORA_BENCHMARKS]);
    expect(schemas.Tier.enum).toEqual([...DORA_TIERS, null]);
    expect(schemas.DeploymentStatus.enum).toEqual([
      ...DORA_DEPLOYMENT_STATUSES,
    ]);
    expect(schemas.FlowPart.enum).toEqual([...DORA_FLOW_PARTS]);
    expect(schemas.PipelineRunStatus.enum).toEqual([
      ...DORA_PIPELINE_RUN_STATUSES,
    ]);
    // The event schemas are the discriminator's values, each the only `type` it takes.
    const events = schemas.DoraEvent.oneOf.map((ref: any) =>
      ref.$ref.split('/').pop(),
    );
    expect(events).toEqual(['deployment', 'change', 'incident', 'pipelineRun']);
    for (const name of events) {
      expect(schemas[name].properties.type.enum).toEqual([name]);
    }
  });

  it('reads paging as the spec’s integers: decimal digits, or the number the validator made of them', () => {
    const base = { entityRef: 'component:default/payments-api' };
    const limit = (value: unknown) =>
      deploymentsQuerySchema.safeParse({ ...base, limit: value });
    expect(['50', 50, '1000'].map(v => limit(v).success)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['1e2', '0x10', '1.5', '', ' 5', '5 ', '-1', 1.5, '1001'].map(
        v => limit(v).success,
      ),
    ).toEqual(Array(9).fill(false));
    expect(limit('1e2').error?.issues[0].message).toBe(
      'must be a whole number in decimal digits',
    );
    expect(
      deploymentsQuerySchema.parse({ ...base, failed: true, offset: 0 }),
    ).toMatchObject({ failed: true, offset: 0, limit: 100 });
  });
});

/**
 * The operations no client method calls, and why: the callers are other servers, not Backstage clients. GitHub's
 * webhook is listed in `x-webhooks`, since the events backend receives it.
 */
const SERVER_TO_SERVER: Record<string, string> = {
  IngestPagerDutyWebhook:
    'PagerDuty calls it, authenticated by its HMAC signature instead of a Backstage token',
  IngestGitHubWebhook:
    'GitHub calls the events backend, which publishes it to DORA on the events service',
};

/** One call of each client method; a method missing here fails the test below, so a new one gets checked too. */
const CLIENT_CALLS: Record<string, (client: DoraClient) => Promise<unknown>> = {
  ingestEvents: c =>
    c.ingestEvents({
      events: [
        {
          type: 'incident',
          id: 'i-1',
          entityRef: 'component:default/payments-api',
          createdAt: '2026-11-25T12:00:00Z',
        },
      ],
    }),
  getMetrics: c =>
    c.getMetrics({
      entityRef: 'component:default/payments-api',
      from: '2026-08-28',
      to: '2026-11-26',
      benchmark: '2021',
    }),
  getTeamMetrics: c =>
    c.getTeamMetrics({
      from: '2026-08-28',
      to: '2026-11-26',
      benchmark: '2023',
      type: 'team',
    }),
  getSeries: c =>
    c.getSeries({ entityRef: 'group:default/payments', from: '2026-08-28' }),
  listDeployments: c =>
    c.listDeployments({
      entityRef: 'component:default/payments-api',
      failed: true,
      rework: true,
      limit: 25,
      offset: 50,
    }),
  listChanges: c =>
    c.listChanges({
      entityRef: 'component:default/payments-api',
      deploymentId: 'gha-run-88213',
      limit: 10,
    }),
  listIncidents: c =>
    c.listIncidents({
      entityRef: 'component:default/payments-api',
      to: '2026-11-26',
      window: 'created',
      offset: 10,
    }),
  getIncident: c =>
    c.getIncident('pagerduty:PGR0VU2', 'component:default/payments-api'),
  getDataHealth: c => c.getDataHealth({ entityRef: 'group:default/payments' }),
  getActivity: c =>
    c.getActivity({ entityRef: 'component:default/payments-api' }),
  getFlow: c =>
    c.getFlow({
      entityRef: 'group:default/payments',
      from: '2026-11-02',
      to: '2026-11-16',
    }),
  listFlowPullRequests: c =>
    c.listFlowPullRequests({
      entityRef: 'group:default/payments',
      part: 'pickup',
      unreviewed: false,
      large: true,
      limit: 20,
    }),
  getFlowTeams: c =>
    c.getFlowTeams({ from: '2026-11-02', to: '2026-11-16', type: 'team' }),
  listWaitingPullRequests: c =>
    c.listWaitingPullRequests({
      entityRef: 'group:default/payments',
      limit: 10,
      offset: 10,
    }),
  getPipelines: c =>
    c.getPipelines({ entityRef: 'group:default/payments', from: '2026-08-28' }),
  listPipelineRuns: c =>
    c.listPipelineRuns({
      entityRef: 'component:default/payments-api',
      pipeline: 'CI',
      status: 'failure',
      defaultBranch: true,
      flaky: true,
      limit: 10,
      offset: 10,
    }),
};

describe('the DoraClient of @vitals/plugin-dora-common', () => {
  it('calls only operations of the spec, with their parameters, and every operation is called or server to server', async () => {
    const calls: Array<{ method: string; url: URL }> = [];
    const client = new DoraClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backstage.test/api/dora',
      },
      fetchApi: {
        fetch: async (input, init) => {
          calls.push({
            method: (init?.method ?? 'GET').toLowerCase(),
            url: new URL(String(input)),
          });
          return new Response('{}', {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
        },
      },
    });
    const methods = Object.getOwnPropertyNames(DoraClient.prototype).filter(
      name => name !== 'constructor',
    );
    expect(methods.sort()).toEqual(Object.keys(CLIENT_CALLS).sort());

    const used = new Set<string>();
    for (const name of methods) {
      calls.length = 0;
      await CLIENT_CALLS[name](client);
      expect([name, calls.length]).toEqual([name, 1]);
      const [{ method, url }] = calls;
      const path = url.pathname.replace(/^\/api\/dora/, '');
      const op = openApiOperations(spec).find(
        o =>
          o.method === method &&
          new RegExp(`^${o.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
      );
      check(
        name,
        { operation: op ? 'in the spec' : `${method} ${path}` },
        { operation: 'in the spec' },
      );
      if (!op) continue;
      used.add(op.id);
      const known = op.parameters
        .filter(p => p.in === 'query')
        .map(p => p.name);
      check(
        name,
        {
          unknownQuery: [...url.searchParams.keys()].filter(
            k => !known.includes(k),
          ),
        },
        { unknownQuery: [] },
      );
    }
    expect(disagreements).toEqual([]);

    const webhooks = Object.values<any>(spec['x-webhooks']).flatMap(item =>
      Object.values<any>(item).map(op => op.operationId),
    );
    const notCalled = [
      ...openApiOperations(spec)
        .map(o => o.id)
        .filter(id => !used.has(id)),
      ...webhooks,
    ].sort();
    expect(notCalled).toEqual(Object.keys(SERVER_TO_SERVER).sort());
  });
});
