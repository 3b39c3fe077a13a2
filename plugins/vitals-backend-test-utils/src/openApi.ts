import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * Helpers for the tests that hold each backend's OpenAPI spec (`src/schema/openapi.yaml`) against its router and its
 * zod schemas. The specs are plain YAML objects, so these work on `any`.
 */

/** The HTTP methods an OpenAPI path item may hold operations for. */
export const OPENAPI_METHODS = [
  'get',
  'post',
  'put',
  'patch',
  'delete',
] as const;

/** Reads `openapi.yaml` in `dir` (a test's `__dirname`). */
export function readOpenApiSpec(dir: string, file = 'openapi.yaml'): any {
  return YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** `/v1/items/{id}` → `/v1/items/:id` */
export function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/** Follows local `$ref`s (`#/components/...`) to what they point at; a dangling one throws. */
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

/** One operation of a spec, with its path item's and its own parameters joined and dereferenced. */
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

/** Every operation of the spec, in the order written. */
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

/** The routes a spec documents, as `GET /v1/items/:id`, sorted. */
export function documentedRoutes(spec: any): string[] {
  return openApiOperations(spec)
    .map(op => `${op.method.toUpperCase()} ${toExpressPath(op.path)}`)
    .sort();
}

/** The routes an express router serves, as `GET /v1/items/:id`, sorted. */
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

/** The examples of a media type object: its `example` and the values of its `examples`. */
export function examplesOfMedia(spec: any, media: any): unknown[] {
  return [
    ...(media.example === undefined ? [] : [media.example]),
    ...Object.values<any>(media.examples ?? {}).map(
      example => derefOpenApi(spec, example).value,
    ),
  ];
}

/** A parameter's example, on the parameter or on its schema. */
export function exampleOfParameter(parameter: any): unknown {
  return parameter.example ?? parameter.schema?.example;
}

/** The fields of a zod object schema. */
export function zodObjectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const shape = (schema as any).shape ?? (schema as any)._zod?.def?.shape;
  if (!shape) throw new Error('not a zod object schema');
  return shape;
}

/** The keys a zod object schema cannot do without (an optional or defaulted key accepts undefined), sorted. */
export function zodRequiredKeys(schema: z.ZodType): string[] {
  return Object.entries(zodObjectShape(schema))
    .filter(([, value]) => !value.safeParse(undefined).success)
    .map(([key]) => key)
    .sort();
}

/**
 * Where the spec's bounds on one value (minimum, maximum, enum, maxItems of a comma-separated list) say otherwise than
 * the zod schema, as readable lines; `accepts` asks the zod schema about one value, `example` is a valid one.
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
    const list = (n: number) =>
      Array.from({ length: n }, () => String((example as unknown[])[0])).join(
        ',',
      );
    expectAccepted(list(schema.maxItems), true);
    expectAccepted(list(schema.maxItems + 1), false);
  }
  return problems;
}
