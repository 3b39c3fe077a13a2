import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * Helpers for the tests that hold each backend's OpenAPI spec (`src/schema/openapi.yaml`) against its router and its
 * zod schemas. The specs are plain YAML objects, so these work on `any`.
 */

/**
 * The HTTP methods an OpenAPI path item may hold operations for.
 *
 * @public
 */
export const OPENAPI_METHODS = [
  'get',
  'post',
  'put',
  'patch',
  'delete',
] as const;

/**
 * Reads `openapi.yaml` in `dir` (a test's `__dirname`).
 *
 * @public
 */
export function readOpenApiSpec(dir: string, file = 'openapi.yaml'): any {
  return YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/**
 * `/v1/items/{id}` → `/v1/items/:id`
 *
 * @public
 */
export function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Follows local `$ref`s (`#/components/...`) to what they point at; a dangling one throws.
 *
 * @public
 */
export function derefOpenApi(spec: any, node: any): any {
  let current = node;
  while (
    current &&
    typeof current === 'object' &&
    typeof current.$ref === 'string'
  ) {
    const ref: string = current.$ref;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce(
        (at: any, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      );
    if (target === undefined) throw new Error(`Dangling $ref ${ref}`);
    current = target;
  }
  return current;
}

/**
 * One operation of a spec, with its path item's and its own parameters joined and dereferenced.
 *
 * @public
 */
export interface OpenApiOperation {
  id: string;
  method: string;
  path: string;
  /** The operation object as written. */
  op: any;
  parameters: any[];
  requestBody?: any;
  responses: Record<string, unknown>;
}

/**
 * Every operation of the spec, in the order written.
 *
 * @public
 */
export function openApiOperations(spec: any): OpenApiOperation[] {
  return Object.entries<any>(spec.paths).flatMap(([p, item]) =>
    OPENAPI_METHODS.filter(method => item[method]).map(method => {
      const op = item[method];
      return {
        id: op.operationId,
        method,
        path: p,
        op,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
          node => derefOpenApi(spec, node),
        ),
        requestBody: op.requestBody
          ? derefOpenApi(spec, op.requestBody)
          : undefined,
        responses: op.responses ?? {},
      };
    }),
  );
}

/**
 * The routes a spec documents, as `GET /v1/items/:id`, sorted.
 *
 * @public
 */
export function documentedRoutes(spec: any): string[] {
  return openApiOperations(spec)
    .map(op => `${op.method.toUpperCase()} ${toExpressPath(op.path)}`)
    .sort();
}

/**
 * The routes an express router serves, as `GET /v1/items/:id`, sorted.
 *
 * @public
 */
export function servedRoutes(router: unknown): string[] {
  const served: string[] = [];
  for (const layer of (router as { stack: any[] }).stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      served.push(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return served.sort();
}

/**
 * The examples of a media type object: its `example` and the values of its `examples`.
 *
 * @public
 */
export function examplesOfMedia(spec: any, media: any): unknown[] {
  return [
    ...(media.example === undefined ? [] : [media.example]),
    ...Object.values<any>(media.examples ?? {}).map(
      example => derefOpenApi(spec, example).value,
    ),
  ];
}

/**
 * A parameter's example, on the parameter or on its schema.
 *
 * @public
 */
export function exampleOfParameter(parameter: any): unknown {
  return parameter.example ?? parameter.schema?.example;
}

/**
 * The fields of a zod object schema.
 *
 * @public
 */
export function zodObjectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const shape = (schema as any).shape ?? (schema as any)._zod?.def?.shape;
  if (!shape) throw new Error('not a zod object schema');
  return shape;
}

/**
 * The keys a zod object schema cannot do without (an optional or defaulted key accepts undefined), sorted.
 *
 * @public
 */
export function zodRequiredKeys(schema: z.ZodType): string[] {
  return Object.entries(zodObjectShape(schema))
    .filter(([, value]) => !value.safeParse(undefined).success)
    .map(([key]) => key)
    .sort();
}

/**
 * Where the spec's bounds on one value (minimum, maximum, enum, maxItems of a comma-separated list) say otherwise than
 * the zod schema, as readable lines; `accepts` asks the zod schema about one value, `example` is a valid one.
 *
 * @public
 */
export function boundDisagreements(
  name: string,
  schema: any,
  accepts: (value: unknown) => boolean,
  example: unknown,
): string[] {
  const problems: string[] = [];
  const expectAccepted = (value: unknown, accepted: boolean) => {
    if (accepts(value) !== accepted) {
      problems.push(
        `${name}: zod ${accepted ? 'rejects' : 'accepts'} ${JSON.stringify(
          value,
        )}`,
      );
    }
  };
  if (schema.minimum !== undefined) {
    expectAccepted(schema.minimum, true);
    expectAccepted(schema.minimum - 1, false);
  }
  if (schema.maximum !== undefined) {
    expectAccepted(schema.maximum, true);
    expectAccepted(schema.maximum + 1, false);
  }
  for (const value of schema.enum ?? []) expectAccepted(value, true);
  if (schema.enum) expectAccepted('not-one-of-them', false);
  if (schema.maxItems !== undefined) {
    const item = (example as unknown[])[0];
    // A list of objects (a JSON body's) is sent as an array; a list of values may be a comma-separated query value.
    const list = (n: number) =>
      item !== null && typeof item === 'object'
        ? Array.from({ length: n }, () => item)
        : Array.from({ length: n }, () => String(item)).join(',');
    expectAccepted(list(schema.maxItems), true);
    expectAccepted(list(schema.maxItems + 1), false);
  }
  return problems;
}

/**
 * Every `$ref` in a spec, as written, and those among them that point nowhere.
 *
 * @public
 */
export function openApiRefs(spec: any): { refs: string[]; dangling: string[] } {
  const refs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        else walk(value);
      }
    }
  };
  walk(spec);
  const dangling = refs.filter(ref => {
    try {
      derefOpenApi(spec, { $ref: ref });
      return false;
    } catch {
      return true;
    }
  });
  return { refs, dangling };
}

/**
 * What each operation's responses lack, as `ListItems: 401` lines: a 2xx, a 401 (every Vitals route needs a
 * principal), a 400 where `takesInput` says it takes input (by default: it has parameters or a body), and error bodies
 * (4xx, 5xx) that are not the component schema `errorSchema` (`ErrorResponse` by default).
 *
 * @public
 */
export function openApiMissingResponses(
  spec: any,
  options: {
    takesInput?: (op: OpenApiOperation) => boolean;
    errorSchema?: string;
  } = {},
): string[] {
  const takesInput =
    options.takesInput ??
    ((op: OpenApiOperation) =>
      op.parameters.length > 0 || op.requestBody !== undefined);
  const errorSchema =
    spec.components?.schemas?.[options.errorSchema ?? 'ErrorResponse'];
  return openApiOperations(spec).flatMap(op => {
    const codes = Object.keys(op.responses);
    const problems = [
      ...(codes.some(code => /^2\d\d$/.test(code)) ? [] : [`${op.id}: 2xx`]),
      ...(codes.includes('401') ? [] : [`${op.id}: 401`]),
      ...(takesInput(op) && !codes.includes('400') ? [`${op.id}: 400`] : []),
    ];
    for (const code of codes.filter(c => /^[45]\d\d$/.test(c))) {
      const response = derefOpenApi(spec, op.responses[code]);
      const media = response?.content?.['application/json'];
      if (!media || derefOpenApi(spec, media.schema) !== errorSchema) {
        problems.push(`${op.id}: ${code} is not an error body`);
      } else if (examplesOfMedia(spec, media).length === 0) {
        problems.push(`${op.id}: ${code} has no example`);
      }
    }
    return problems;
  });
}

/**
 * The object schemas, within a response or body schema, that do not say `additionalProperties: false` (so that they
 * list every field exactly), as paths from `where`.
 *
 * @public
 */
export function openApiOpenObjects(
  spec: any,
  schema: any,
  where: string,
  seen: Set<unknown> = new Set(),
): string[] {
  const s = derefOpenApi(spec, schema);
  if (!s || typeof s !== 'object' || seen.has(s)) return [];
  seen.add(s);
  const problems: string[] = [];
  if ((s.type === 'object' || s.properties) && s.additionalProperties !== false)
    problems.push(where);
  for (const [key, value] of Object.entries<any>(s.properties ?? {})) {
    problems.push(...openApiOpenObjects(spec, value, `${where}.${key}`, seen));
  }
  if (s.items)
    problems.push(...openApiOpenObjects(spec, s.items, `${where}[]`, seen));
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    (s[keyword] ?? []).forEach((alternative: any, i: number) =>
      problems.push(
        ...openApiOpenObjects(
          spec,
          alternative,
          `${where}/${keyword}${i}`,
          seen,
        ),
      ),
    );
  }
  return problems;
}

/**
 * Where an operation's JSON request body and the zod schema the router parses it with disagree, as readable lines:
 * the body schema must refuse unknown fields (`additionalProperties: false`), list zod's fields and required fields,
 * have examples zod accepts, and state zod's bounds and enums (see {@link boundDisagreements}).
 *
 * @public
 */
export function openApiBodyDisagreements(
  spec: any,
  op: OpenApiOperation,
  zod: z.ZodType,
): string[] {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return [`${op.id}: no JSON body`];
  const schema = derefOpenApi(spec, media.schema);
  const problems: string[] = [];
  if (schema.additionalProperties !== false)
    problems.push(`${op.id}: the body allows fields it does not list`);
  const fields = Object.keys(schema.properties ?? {}).sort();
  const zodFields = Object.keys(zodObjectShape(zod)).sort();
  if (fields.join() !== zodFields.join())
    problems.push(`${op.id}: fields ${fields} but zod has ${zodFields}`);
  const required = [...(schema.required ?? [])].sort();
  const zodRequired = zodRequiredKeys(zod);
  if (required.join() !== zodRequired.join())
    problems.push(
      `${op.id}: required ${required} but zod requires ${zodRequired}`,
    );
  const examples = examplesOfMedia(spec, media) as Record<string, unknown>[];
  if (examples.length === 0) problems.push(`${op.id}: no body example`);
  for (const example of examples) {
    for (const issue of zod.safeParse(example).error?.issues ?? []) {
      problems.push(
        `${op.id}: zod rejects the example: ${issue.path.join('.')} ${
          issue.message
        }`,
      );
    }
  }
  const [example] = examples;
  if (example) {
    const accepts = (key: string, value: unknown) =>
      zod.safeParse({ ...example, [key]: value }).success;
    for (const [key, property] of Object.entries<any>(
      schema.properties ?? {},
    )) {
      const s = derefOpenApi(spec, property);
      // A body array is a JSON array, not a comma-separated query value: the lists boundDisagreements makes from the
      // example's first item go to zod as arrays; without an example to copy, its length is not checked.
      const isArray = s.type === 'array';
      const sample = example[key];
      const hasItem = Array.isArray(sample) && sample.length > 0;
      problems.push(
        ...boundDisagreements(
          `${op.id}: ${key}`,
          isArray && !hasItem ? { ...s, maxItems: undefined } : s,
          value =>
            accepts(
              key,
              isArray && typeof value === 'string' ? value.split(',') : value,
            ),
          sample,
        ),
      );
    }
  }
  return problems;
}

/**
 * Where an operation's query parameters and the zod schema the router parses its query with disagree, as readable
 * lines: the same names and required ones, examples and defaults zod agrees with, and zod's bounds and enums. Values
 * reach zod as strings, as express parses a query.
 *
 * @public
 */
export function openApiQueryDisagreements(
  spec: any,
  op: OpenApiOperation,
  zod: z.ZodType,
): string[] {
  const query = op.parameters.filter(p => p.in === 'query');
  const problems: string[] = [];
  const names = query.map(p => p.name).sort();
  const zodNames = Object.keys(zodObjectShape(zod)).sort();
  if (names.join() !== zodNames.join())
    problems.push(`${op.id}: parameters ${names} but zod has ${zodNames}`);
  const required = query
    .filter(p => p.required)
    .map(p => p.name)
    .sort();
  const zodRequired = zodRequiredKeys(zod);
  if (required.join() !== zodRequired.join())
    problems.push(
      `${op.id}: required ${required} but zod requires ${zodRequired}`,
    );
  const base = Object.fromEntries(
    query
      .filter(p => p.required)
      .map(p => [p.name, String(exampleOfParameter(p))]),
  );
  const accepts = (name: string, value: unknown) =>
    zod.safeParse({ ...base, [name]: String(value) }).success;
  for (const p of query) {
    const example = exampleOfParameter(p);
    const s = derefOpenApi(spec, p.schema ?? {});
    if (example !== undefined && !accepts(p.name, example))
      problems.push(`${op.id}: ${p.name}: zod rejects the example`);
    if (
      s.default !== undefined &&
      (zod.parse(base) as Record<string, unknown>)[p.name] !== s.default
    )
      problems.push(`${op.id}: ${p.name}: default`);
    problems.push(
      ...boundDisagreements(
        `${op.id}: ${p.name}`,
        s,
        value => accepts(p.name, value),
        example,
      ),
    );
  }
  return problems;
}

/**
 * The spec's operation for an HTTP method and a path below the plugin's base URL (`/v1/users/jane/checklists`), each
 * path parameter matching one path segment (a percent-encoded `/` stays inside its segment).
 *
 * @public
 */
export function openApiOperationOf(
  spec: any,
  method: string,
  pathBelowBase: string,
): OpenApiOperation | undefined {
  return openApiOperations(spec).find(
    op =>
      op.method === method.toLowerCase() &&
      new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(
        pathBelowBase,
      ),
  );
}

/**
 * A request a client sent, as {@link recordingFetch} keeps it.
 *
 * @public
 */
export interface RecordedRequest {
  method: string;
  url: URL;
  /** The JSON body, parsed; undefined without one. */
  body?: unknown;
}

/**
 * A `fetch` for a client under test that sends nothing: it keeps each request in `sent` and answers 200 with
 * `respond`'s JSON (`{}` by default).
 *
 * @public
 */
export function recordingFetch(
  respond: (request: RecordedRequest) => unknown = () => ({}),
): { fetch: typeof fetch; sent: RecordedRequest[] } {
  const sent: RecordedRequest[] = [];
  const recorder = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: RecordedRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url: new URL(String(input)),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    sent.push(request);
    return new Response(JSON.stringify(respond(request)), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { fetch: recorder as typeof fetch, sent };
}

/**
 * Where requests a client sent disagree with the spec, as readable lines, and the ids of the operations they used:
 * each method and path (below `baseUrl`, the plugin's base URL) must be an operation, send only query parameters it
 * documents, and a body only where it takes one. `requests` are named by the client method that sent them.
 *
 * @public
 */
export function openApiClientDisagreements(
  spec: any,
  baseUrl: string,
  requests: Array<{ name: string; request: RecordedRequest }>,
): { problems: string[]; used: string[] } {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const problems: string[] = [];
  const used = new Set<string>();
  for (const { name, request } of requests) {
    const { method, url, body } = request;
    const below = url.pathname.startsWith(basePath)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
    const op = openApiOperationOf(spec, method, below);
    if (!op) {
      problems.push(`${name}: ${method} ${below} is not in the spec`);
      continue;
    }
    used.add(op.id);
    const documented = op.parameters
      .filter(p => p.in === 'query')
      .map(p => p.name);
    for (const key of new Set(url.searchParams.keys())) {
      if (!documented.includes(key))
        problems.push(`${name}: ${op.id} takes no query parameter ${key}`);
    }
    if (body !== undefined && !op.requestBody)
      problems.push(`${name}: ${op.id} takes no body`);
  }
  return { problems, used: [...used].sort() };
}

/**
 * Where `value` breaks the spec's `schema` (following `$ref`s), as readable lines naming the place (`where.items[0].id`):
 * types, `nullable`, enums, required properties, properties an `additionalProperties: false` object does not list,
 * the schema of `additionalProperties`, bounds (minimum, maximum, minLength, maxLength, maxItems), patterns and
 * `date-time` / `uuid` formats. For checking examples and real answers against the spec without a validator; it covers
 * the subset of OpenAPI 3.0 the Vitals specs use (no `oneOf`/`allOf`).
 *
 * @public
 */
export function openApiConformance(
  spec: any,
  schema: any,
  value: unknown,
  where = 'value',
): string[] {
  const s = derefOpenApi(spec, schema ?? {});
  // A schema without a type (`{}`) takes any value, null included.
  const untyped = !s.type && !s.enum && !s.properties;
  if (value === null) return s.nullable || untyped ? [] : [`${where}: null`];
  if (value === undefined) return [`${where}: undefined`];
  if (s.enum && !s.enum.includes(value)) {
    return [`${where}: ${JSON.stringify(value)} is not one of ${s.enum}`];
  }
  const problems: string[] = [];
  const bound = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return [`${where}: not an object`];
      }
      const record = value as Record<string, unknown>;
      const props: Record<string, unknown> = s.properties ?? {};
      for (const key of s.required ?? []) {
        if (!(key in record)) problems.push(`${where}.${key}: missing`);
      }
      for (const [key, child] of Object.entries(record)) {
        if (key in props) {
          problems.push(
            ...openApiConformance(spec, props[key], child, `${where}.${key}`),
          );
        } else if (s.additionalProperties === false) {
          problems.push(`${where}.${key}: not in the schema`);
        } else if (typeof s.additionalProperties === 'object') {
          problems.push(
            ...openApiConformance(
              spec,
              s.additionalProperties,
              child,
              `${where}.${key}`,
            ),
          );
        }
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${where}: not an array`];
      bound(
        s.maxItems === undefined || value.length <= s.maxItems,
        `more than ${s.maxItems} items`,
      );
      return [
        ...problems,
        ...value.flatMap((item, i) =>
          openApiConformance(spec, s.items, item, `${where}[${i}]`),
        ),
      ];
    case 'integer':
    case 'number':
      if (typeof value !== 'number') return [`${where}: not a number`];
      bound(s.type === 'number' || Number.isInteger(value), 'not an integer');
      bound(s.minimum === undefined || value >= s.minimum, `< ${s.minimum}`);
      bound(s.maximum === undefined || value <= s.maximum, `> ${s.maximum}`);
      return problems;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where}: not a boolean`];
    case 'string':
      if (typeof value !== 'string') return [`${where}: not a string`];
      bound(
        s.minLength === undefined || value.length >= s.minLength,
        `shorter than ${s.minLength}`,
      );
      bound(
        s.maxLength === undefined || value.length <= s.maxLength,
        `longer than ${s.maxLength}`,
      );
      bound(
        s.pattern === undefined || new RegExp(s.pattern, 'u').test(value),
        `does not match ${s.pattern}`,
      );
      bound(
        s.format !== 'date-time' ||
          (/^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value))),
        'not a date-time',
      );
      bound(
        s.format !== 'uuid' ||
          /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value),
        'not a uuid',
      );
      return problems;
    default:
      return [];
  }
}
