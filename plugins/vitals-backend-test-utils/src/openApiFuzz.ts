import { derefOpenApi, openApiOperations, OpenApiOperation } from './openApi';

/**
 * A spec-driven fuzzer for the Vitals backends: from a backend's OpenAPI spec it makes, for every operation, a request
 * that follows the spec (from its examples) and many that break it one field at a time — out of bounds, wrong types,
 * unknown parameters, values no parser expects. A test sends them all to a real backend and holds each answer to the
 * spec: never a 5xx, a status the operation documents, and a 4xx for every request that breaks the spec.
 */

/**
 * One request of {@link openApiFuzzCases}.
 *
 * @public
 */
export interface OpenApiFuzzCase {
  /** `tech-debt.createItem: body.title too long`, say. */
  name: string;
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The URL below the plugin's base, e.g. `/v1/items?limit=501`. */
  url: string;
  /** A JSON value to send, or a raw string sent as `application/json` as it is (to send malformed JSON). */
  body?: unknown;
  rawBody?: string;
  /** True when the request breaks the spec, so that only a 4xx is right. */
  breaksSpec: boolean;
  /** The statuses the operation documents (`default` allows any). */
  documented: string[];
}

/**
 * What {@link checkOpenApiFuzzAnswer} found wrong with one answer, or undefined.
 *
 * @public
 */
export function checkOpenApiFuzzAnswer(
  fuzzCase: OpenApiFuzzCase,
  status: number,
): string | undefined {
  if (status >= 500) return `${fuzzCase.name}: ${status}`;
  if (fuzzCase.breaksSpec && (status < 400 || status >= 500)) {
    return `${fuzzCase.name}: ${status} for a request that breaks the spec`;
  }
  const documented =
    fuzzCase.documented.includes(String(status)) ||
    fuzzCase.documented.includes(`${String(status)[0]}XX`) ||
    fuzzCase.documented.includes('default') ||
    // Backstage's auth answers these for every route before the plugin's router runs.
    status === 401;
  if (!documented) {
    return `${
      fuzzCase.name
    }: ${status} is not a documented response (${fuzzCase.documented.join(
      ', ',
    )})`;
  }
  return undefined;
}

const LONG = 'x'.repeat(5000);

/** A value that follows a schema: its example, or the simplest value of its type. */
function sampleOf(spec: any, node: any, depth = 0): unknown {
  const schema = derefOpenApi(spec, node ?? {});
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.allOf) {
    return Object.assign(
      {},
      ...schema.allOf.map((s: any) => sampleOf(spec, s, depth + 1)),
    );
  }
  if (schema.oneOf || schema.anyOf) {
    return sampleOf(spec, (schema.oneOf ?? schema.anyOf)[0], depth + 1);
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sampleOf(spec, schema.items, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        out[key] = sampleOf(spec, schema.properties?.[key], depth + 1);
      }
      return out;
    }
    case 'string':
    default:
      if (schema.format === 'uuid')
        return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'date') return '2026-01-01';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
  }
}

/** Values that break a schema, each with what it breaks. */
function breakersOf(spec: any, node: any): Array<[string, unknown]> {
  const schema = derefOpenApi(spec, node ?? {});
  const out: Array<[string, unknown]> = [];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === 'integer' || type === 'number') {
    out.push(['not a number', 'abc']);
    if (schema.maximum !== undefined)
      out.push(['above maximum', schema.maximum + 1]);
    if (schema.minimum !== undefined)
      out.push(['below minimum', schema.minimum - 1]);
    if (type === 'integer') out.push(['not whole', 1.5]);
  } else if (type === 'string') {
    if (schema.maxLength !== undefined)
      out.push(['too long', 'x'.repeat(schema.maxLength + 1)]);
    if (schema.enum) out.push(['not in the enum', 'zz-not-a-value']);
    if (schema.format === 'uuid') out.push(['not a uuid', 'not-a-uuid']);
    if (schema.format === 'date-time')
      out.push(['not a date-time', '2026-13-45T99:00:00Z']);
  } else if (type === 'boolean') {
    out.push(['not a boolean', 'maybe']);
  } else if (type === 'array') {
    out.push(['not an array', 'x']);
    if (schema.maxItems !== undefined) {
      out.push([
        'too many items',
        Array.from({ length: schema.maxItems + 1 }, () =>
          sampleOf(spec, schema.items),
        ),
      ]);
    }
  } else if (type === 'object') {
    out.push(['not an object', 'x']);
  }
  return out;
}

/** Values that break nothing a spec can say but that a parser may trip on. */
const PATH_ODDITIES: Array<[string, string]> = [
  ['a control character', '%01'],
  ['a percent sign alone', '%'],
  ['very long', LONG],
  ['dots', '..'],
];

function operationName(spec: any, op: OpenApiOperation) {
  return `${spec.info?.title ?? 'api'}.${op.id ?? `${op.method} ${op.path}`}`;
}

function buildUrl(
  path: string,
  pathValues: Record<string, string>,
  query: Array<[string, string]>,
) {
  const filled = path.replace(/\{(\w+)\}/g, (_, name) =>
    // A value that is already percent-encoded on purpose (an oddity) is sent as it is.
    pathValues[name].startsWith('%') || pathValues[name] === '..'
      ? pathValues[name]
      : encodeURIComponent(pathValues[name]),
  );
  const qs = query
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return qs ? `${filled}?${qs}` : filled;
}

/**
 * Every fuzz request for every operation of `spec`.
 *
 * @public
 */
export function openApiFuzzCases(
  spec: any,
  options: {
    /** Operations to leave out, by operationId (e.g. a webhook checked by signature before its body). */
    skip?: string[];
  } = {},
): OpenApiFuzzCase[] {
  const cases: OpenApiFuzzCase[] = [];
  for (const op of openApiOperations(spec)) {
    if (options.skip?.includes(op.id)) continue;
    const name = operationName(spec, op);
    const documented = Object.keys(op.responses);
    const method = op.method as OpenApiFuzzCase['method'];
    const pathParams = op.parameters.filter(p => p.in === 'path');
    const queryParams = op.parameters.filter(p => p.in === 'query');
    const pathValues: Record<string, string> = Object.fromEntries(
      pathParams.map(p => [
        p.name,
        String(p.example ?? p.schema?.example ?? sampleOf(spec, p.schema)),
      ]),
    );
    const requiredQuery: Array<[string, string]> = queryParams
      .filter(p => p.required)
      .map(p => [
        p.name,
        String(p.example ?? p.schema?.example ?? sampleOf(spec, p.schema)),
      ]);
    const media = op.requestBody?.content?.['application/json'];
    const bodySchema = media ? derefOpenApi(spec, media.schema) : undefined;
    const validBody = media
      ? media.example ??
        Object.values<any>(media.examples ?? {}).map(
          e => derefOpenApi(spec, e).value,
        )[0] ??
        sampleOf(spec, media.schema)
      : undefined;
    const base = { operationId: op.id, method, documented };
    const add = (
      what: string,
      breaksSpec: boolean,
      url: string,
      body: unknown = validBody,
      rawBody?: string,
    ) =>
      cases.push({
        ...base,
        name: `${name}: ${what}`,
        url,
        body,
        rawBody,
        breaksSpec,
      });
    const url = (
      pv: Record<string, string> = pathValues,
      q: Array<[string, string]> = requiredQuery,
    ) => buildUrl(op.path, pv, q);

    add('as the spec says', false, url());

    for (const p of pathParams) {
      for (const [what, value] of breakersOf(spec, p.schema)) {
        add(
          `path ${p.name} ${what}`,
          true,
          url({ ...pathValues, [p.name]: String(value) }),
        );
      }
      if (derefOpenApi(spec, p.schema ?? {}).pattern) {
        add(
          `path ${p.name} off its pattern`,
          true,
          url({ ...pathValues, [p.name]: 'Not A Match!' }),
        );
      }
      for (const [what, value] of PATH_ODDITIES) {
        add(
          `path ${p.name} ${what}`,
          false,
          url({ ...pathValues, [p.name]: value }),
        );
      }
    }

    add(
      'an unknown query parameter',
      true,
      url(pathValues, [...requiredQuery, ['zzUnknown', '1']]),
    );
    for (const p of queryParams) {
      const others = requiredQuery.filter(([k]) => k !== p.name);
      for (const [what, value] of breakersOf(spec, p.schema)) {
        // A single value is a one-item list in a form-style query (`?owner=x`), so it breaks nothing.
        if (Array.isArray(value) || what === 'not an array') continue;
        add(
          `query ${p.name} ${what}`,
          true,
          url(pathValues, [...others, [p.name, String(value)]]),
        );
      }
      add(
        `query ${p.name} a control character`,
        false,
        url(pathValues, [...others, [p.name, '\u0001']]),
      );
      add(
        `query ${p.name} very long`,
        false,
        url(pathValues, [...others, [p.name, LONG]]),
      );
      if (p.required)
        add(`query ${p.name} missing`, true, url(pathValues, others));
    }

    if (bodySchema) {
      add('body not JSON', true, url(), undefined, '{"unclosed": ');
      add('body a bare string', true, url(), 'x');
      add('body null', true, url(), null);
      const props = bodySchema.properties ?? {};
      if (bodySchema.type === 'object' || bodySchema.properties) {
        add('body an array', true, url(), [validBody]);
        if (bodySchema.additionalProperties === false) {
          add('body with an unknown field', true, url(), {
            ...(validBody as object),
            zzUnknown: 1,
          });
        }
        for (const key of bodySchema.required ?? []) {
          const { [key]: _omitted, ...rest } = (validBody ?? {}) as Record<
            string,
            unknown
          >;
          add(`body.${key} missing`, true, url(), rest);
        }
        for (const [key, propSchema] of Object.entries<any>(props)) {
          for (const [what, value] of breakersOf(spec, propSchema)) {
            add(`body.${key} ${what}`, true, url(), {
              ...(validBody as object),
              [key]: value,
            });
          }
          add(`body.${key} a deeply nested object`, false, url(), {
            ...(validBody as object),
            [key]: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`),
          });
        }
      }
    }
  }
  return cases;
}

/**
 * What {@link runOpenApiFuzz} sent and what it found.
 *
 * @public
 */
export interface OpenApiFuzzReport {
  /** How many requests were sent, and how many operations they covered. */
  requests: number;
  operations: number;
  /** One line for each answer that broke a rule of {@link checkOpenApiFuzzAnswer}. */
  findings: string[];
}

/**
 * Sends every {@link openApiFuzzCases} request to a running backend (below `basePath`, e.g. `/api/tech-debt`) as the
 * signed-in user `who`, one at a time, and checks every answer.
 *
 * @public
 */
export async function runOpenApiFuzz(
  trust: {
    call(
      method: OpenApiFuzzCase['method'],
      path: string,
      who: 'member' | 'nonMember' | 'admin' | 'ci' | 'none',
    ): import('supertest').Test;
  },
  basePath: string,
  spec: any,
  options: {
    who?: 'member' | 'nonMember' | 'admin' | 'ci';
    skip?: string[];
  } = {},
): Promise<OpenApiFuzzReport> {
  const cases = openApiFuzzCases(spec, { skip: options.skip });
  const findings: string[] = [];
  for (const fuzzCase of cases) {
    let req = trust.call(
      fuzzCase.method,
      `${basePath}${fuzzCase.url}`,
      options.who ?? 'member',
    );
    if (fuzzCase.rawBody !== undefined) {
      req = req.set('Content-Type', 'application/json').send(fuzzCase.rawBody);
    } else if (fuzzCase.body !== undefined && fuzzCase.method !== 'get') {
      req = req
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(fuzzCase.body));
    }
    const res = await req;
    const finding = checkOpenApiFuzzAnswer(fuzzCase, res.status);
    if (finding) findings.push(finding);
  }
  return {
    requests: cases.length,
    operations: new Set(cases.map(c => c.operationId)).size,
    findings,
  };
}
