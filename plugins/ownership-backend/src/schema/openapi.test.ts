import { mockServices } from '@backstage/backend-test-utils';
import {
  derefOpenApi,
  documentedRoutes,
  openApiOperations,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CONFIRMATION_STATUSES,
  confirmRequestSchema,
  CONTACT_CHANNEL_TYPES,
  CONTACT_SOURCES,
  entityPathSegmentSchema,
  exportProblemsQuerySchema,
  facetsQuerySchema,
  listGroupsQuerySchema,
  OWNERSHIP_HISTORY_EVENT_TYPES,
  OWNERSHIP_PROBLEM_KINDS,
  reportProblemsQuerySchema,
  reportSummaryQuerySchema,
} from '@vitals/plugin-ownership-common';
import { isDeepStrictEqual } from 'node:util';
import { OwnershipStore } from '../database/OwnershipStore';
import { HealthRules } from '../service/healthRules';
import { createRouter } from '../service/router';

const spec = readOpenApiSpec(__dirname);

/** Follows `$ref`s to the schema or parameter they name. */
const resolve = (node: any) => derefOpenApi(spec, node);
const operations = () => openApiOperations(spec);

/** The zod schema that validates each operation's query, called as the router calls it. */
const QUERY_SCHEMAS: Record<
  string,
  (query: Record<string, unknown>) => {
    success: boolean;
    data?: any;
    error?: { issues: unknown[] };
  }
> = {
  GetReportSummary: q => reportSummaryQuerySchema.safeParse(q),
  ListReportProblems: q => reportProblemsQuerySchema.safeParse(q),
  // The export is not paged: it takes no limit or offset.
  ExportReportProblemsCsv: q => exportProblemsQuerySchema.safeParse(q),
  GetFacets: q => facetsQuerySchema.safeParse(q),
  ListGroups: q => listGroupsQuerySchema.safeParse(q),
};

function exampleQuery(parameters: any[]): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const p of parameters.filter(x => x.in === 'query')) {
    const example = p.example ?? resolve(p.schema).example;
    if (example !== undefined)
      query[p.name] = Array.isArray(example)
        ? example.map(String)
        : String(example);
  }
  return query;
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

const matches = (schema: any, value: string) =>
  new RegExp(resolve(schema).pattern).test(value);

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as OwnershipStore,
      rules: {} as HealthRules,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    // And the spec itself, served by the OpenAPI router.
    expect(servedRoutes(router)).toEqual(
      [...documentedRoutes(spec), 'GET /openapi.json'].sort(),
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
      for (const param of parameters.filter(x => x.in === 'path')) {
        check(
          where,
          {
            param: param.name,
            valid: entityPathSegmentSchema.safeParse(String(param.example))
              .success,
          },
          { param: param.name, valid: true },
        );
      }
      const parse = QUERY_SCHEMAS[op.operationId];
      if (parse) {
        const result = parse(exampleQuery(parameters));
        check(
          where,
          { error: result.success ? undefined : result.error?.issues },
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
    expect(ids.size).toBe(9);

    expect(disagreements).toEqual([]);
  });

  it('has a request body example that the zod schema accepts', () => {
    const { example } =
      spec.paths['/v1/entities/{kind}/{namespace}/{name}/confirmations'].post
        .requestBody.content['application/json'];
    expect(confirmRequestSchema.safeParse(example)).toMatchObject({
      success: true,
    });
    const created =
      spec.paths['/v1/entities/{kind}/{namespace}/{name}/confirmations'].post
        .responses['201'].content['application/json'].example;
    expect(created.comment).toBe(example.comment);
  });

  it('states the bounds the zod schemas enforce', () => {
    for (const { op, parameters } of operations()) {
      const parse = QUERY_SCHEMAS[op.operationId];
      if (!parse) continue;
      const base = exampleQuery(parameters);
      const accepts = (name: string, value: unknown) =>
        parse({ ...base, [name]: value }).success;
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
            { default: parse(base).data?.[p.name] },
            { default: s.default },
          );
        }
        if (s.enum) {
          check(
            where,
            { enum: s.enum },
            { enum: [...OWNERSHIP_PROBLEM_KINDS] },
          );
          check(
            where,
            {
              all: s.enum.every((v: string) => accepts(p.name, v)),
              other: accepts(p.name, 'other'),
            },
            { all: true, other: false },
          );
        }
        if (s.type === 'array') {
          const item = p.example[0];
          const list = (n: number) =>
            Array.from({ length: n }, () => item).join(',');
          check(
            where,
            {
              max: accepts(p.name, list(s.maxItems)),
              over: accepts(p.name, list(s.maxItems + 1)),
            },
            { max: true, over: false },
          );
        }
        if (s.type === 'string' && s.maxLength) {
          const sized = (n: number) => `group:default/${'a'.repeat(n - 14)}`;
          check(
            where,
            {
              max: accepts(p.name, sized(s.maxLength)),
              over: accepts(p.name, sized(s.maxLength + 1)),
            },
            { max: true, over: false },
          );
        }
      }
      check(
        op.operationId,
        { unknown: parse({ ...base, unknown: 'x' }).success },
        { unknown: false },
      );
    }

    const kindItem = spec.components.parameters.kindFilter.schema.items;
    for (const value of [
      'component',
      'Component, API',
      'api,',
      'a'.repeat(63),
      'a'.repeat(64),
      '1component',
      'comp_onent',
    ]) {
      check(
        value,
        { pattern: matches(kindItem, value) },
        {
          pattern: reportSummaryQuerySchema.safeParse({ kind: value }).success,
        },
      );
    }

    const segment = spec.components.schemas.PathSegment;
    for (const value of [
      'payments-api',
      'a.b_c',
      '-x',
      '.hidden',
      'a'.repeat(segment.maxLength),
      'a'.repeat(segment.maxLength + 1),
      'a/b',
    ]) {
      check(
        value,
        { pattern: matches(segment, value) },
        { pattern: entityPathSegmentSchema.safeParse(value).success },
      );
    }

    const comment = spec.components.schemas.ConfirmRequest.properties.comment;
    for (const value of [
      'ok',
      'line\nbreak\tand tab',
      'bell\u0007',
      'nul\u0000',
      'a'.repeat(comment.maxLength),
      'a'.repeat(comment.maxLength + 1),
    ]) {
      const documented =
        matches(comment, value) && value.length <= comment.maxLength;
      check(
        value.slice(0, 20),
        { spec: documented },
        { spec: confirmRequestSchema.safeParse({ comment: value }).success },
      );
    }
    expect(
      confirmRequestSchema.safeParse({ comment: 'x', unknown: 1 }).success,
    ).toBe(spec.components.schemas.ConfirmRequest.additionalProperties);

    expect(disagreements).toEqual([]);
  });
});

/** Where `value` breaks `schema` (types, nullable, enums, required and unknown fields, date-times), as readable lines. */
function conformance(schema: any, value: unknown, where: string): string[] {
  const s = resolve(schema);
  if (value === null) return s.nullable ? [] : [`${where}: null`];
  if (s.enum && !s.enum.includes(value)) {
    return [`${where}: ${JSON.stringify(value)} is not one of ${s.enum}`];
  }
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value))
        return [`${where}: not an object`];
      const record = value as Record<string, unknown>;
      const props = s.properties ?? {};
      return [
        ...(s.required ?? [])
          .filter((k: string) => !(k in record))
          .map((k: string) => `${where}.${k}: missing`),
        ...Object.keys(record)
          .filter(k => !(k in props) && s.additionalProperties === false)
          .map(k => `${where}.${k}: not in the schema`),
        ...Object.entries(record)
          .filter(([k]) => k in props)
          .flatMap(([k, v]) => conformance(props[k], v, `${where}.${k}`)),
      ];
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => conformance(s.items, v, `${where}[${i}]`))
        : [`${where}: not an array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${where}: not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${where}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where}: not a boolean`];
    case 'string':
      if (typeof value !== 'string') return [`${where}: not a string`];
      return s.format === 'date-time' && Number.isNaN(Date.parse(value))
        ? [`${where}: not a date-time`]
        : [];
    default:
      return [];
  }
}

/** Every schema a success response can hold, with where it is used, following `$ref`s, items and properties. */
function successSchemas(): Array<{ where: string; schema: any }> {
  const found: Array<{ where: string; schema: any }> = [];
  const seen = new Set<any>();
  const visit = (node: any, where: string) => {
    const schema = resolve(node);
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    found.push({ where, schema });
    if (schema.items) visit(schema.items, `${where}[]`);
    for (const [key, child] of Object.entries<any>(schema.properties ?? {}))
      visit(child, `${where}.${key}`);
  };
  for (const { id, responses } of operations()) {
    for (const [code, response] of Object.entries<any>(responses)) {
      if (!/^2/.test(code)) continue;
      const json = resolve(response).content?.['application/json'];
      if (json) visit(json.schema, `${id} ${code}`);
    }
  }
  return found;
}

describe('openapi.yaml responses', () => {
  it('documents every error a route answers with the shared ErrorResponse, and every route may answer 401, 403 and 500', () => {
    for (const { id, responses } of operations()) {
      for (const code of ['401', '403', '500']) {
        check(
          id,
          { code, documented: code in responses },
          { code, documented: true },
        );
      }
      for (const [code, response] of Object.entries<any>(responses)) {
        if (/^2/.test(code)) continue;
        const media = resolve(response).content?.['application/json'];
        check(
          `${id} ${code}`,
          {
            errorResponse:
              resolve(media?.schema) === spec.components.schemas.ErrorResponse,
            example: media?.example?.response?.statusCode,
          },
          { errorResponse: true, example: Number(code) },
        );
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('gives every success body an exact shape: each object lists, and requires, every field the API returns', () => {
    const schemas = successSchemas();
    expect(schemas.length).toBeGreaterThan(20);
    for (const { where, schema } of schemas) {
      if (schema.type !== 'object') continue;
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
    expect(disagreements).toEqual([]);
  });

  it('has examples that follow their schemas, for every body and every error', () => {
    let examples = 0;
    for (const { id, responses, requestBody } of operations()) {
      const media = [
        ...Object.entries<any>(responses).map(
          ([code, r]) => [`${id} ${code}`, resolve(r).content] as const,
        ),
        [`${id} body`, requestBody?.content] as const,
      ];
      for (const [where, content] of media) {
        for (const [type, m] of Object.entries<any>(content ?? {})) {
          check(
            `${where} ${type}`,
            { example: m.example !== undefined },
            { example: true },
          );
          if (m.example === undefined) continue;
          examples += 1;
          for (const problem of conformance(m.schema, m.example, where))
            check(where, problem, undefined);
        }
      }
    }
    expect(examples).toBeGreaterThan(40);
    expect(disagreements).toEqual([]);
  });

  it('takes every enum from the one list in the common package', () => {
    const schemas = spec.components.schemas;
    expect(schemas.ProblemKind.enum).toEqual([...OWNERSHIP_PROBLEM_KINDS]);
    expect(schemas.ContactChannel.properties.type.enum).toEqual([
      ...CONTACT_CHANNEL_TYPES,
    ]);
    expect(schemas.ContactChannel.properties.source.enum).toEqual([
      ...CONTACT_SOURCES,
    ]);
    expect(schemas.ConfirmationState.properties.status.enum).toEqual([
      ...CONFIRMATION_STATUSES,
    ]);
    expect(schemas.OwnershipHistoryEvent.properties.type.enum).toEqual([
      ...OWNERSHIP_HISTORY_EVENT_TYPES,
    ]);
    // And no other enum is written into the spec by hand.
    const enums: string[] = [];
    JSON.stringify(spec, (key, value) => {
      if (key === 'enum') enums.push(JSON.stringify(value));
      return value;
    });
    expect(enums).toHaveLength(5);
  });

  it('takes whole numbers written in digits only, in zod as in the spec', () => {
    const limit = (value: string) =>
      listGroupsQuerySchema.safeParse({ limit: value }).success;
    expect(['1', '100', '1000'].map(limit)).toEqual([true, true, true]);
    expect(
      ['1e2', '0x10', ' 5', '5 ', '5.0', '2.5', '+5', '', 'five'].map(limit),
    ).toEqual([false, false, false, false, false, false, false, false, false]);
    expect(spec.components.parameters.limit.schema.type).toBe('integer');
    expect(spec.components.parameters.offset.schema.type).toBe('integer');
  });
});
