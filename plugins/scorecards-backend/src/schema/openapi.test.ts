import { mockServices } from '@backstage/backend-test-utils';
import {
  boundDisagreements,
  derefOpenApi,
  documentedRoutes,
  examplesOfMedia,
  exampleOfParameter,
  openApiOperations,
  readOpenApiSpec,
  servedRoutes,
  zodObjectShape,
  zodRequiredKeys,
} from '@vitals/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createWaiverRequestSchema,
  deleteWaiverQuerySchema,
  entityResultsQuerySchema,
  historyQuerySchema,
  listWaiversQuerySchema,
  refreshRequestSchema,
  summaryQuerySchema,
  updateWaiverRequestSchema,
} from '@vitals/plugin-scorecards-common';
import { z } from 'zod';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { createRouter } from '../service/router';

const spec = readOpenApiSpec(__dirname);

/**
 * The examples' `expiresAt` must be in the future and at most 366 days ahead of the request: the body checks run at
 * the time the examples were written.
 */
const EXAMPLES_WRITTEN_AT = new Date('2026-12-01T12:00:00Z');

/** The zod schema of -common that validates each operation's body; the router parses the body with it. */
const BODY_SCHEMAS: Record<string, z.ZodType> = {
  RefreshEntity: refreshRequestSchema,
  CreateWaiver: createWaiverRequestSchema,
  UpdateWaiver: updateWaiverRequestSchema,
};

/** The zod schema of each operation's query string (strict: an unknown parameter is a 400). */
const QUERY_SCHEMAS: Record<string, z.ZodType> = {
  GetEntityResults: entityResultsQuerySchema,
  GetSummary: summaryQuerySchema,
  ExportResultsCsv: summaryQuerySchema,
  GetHistory: historyQuerySchema,
  ListWaivers: listWaiversQuerySchema,
  DeleteWaiver: deleteWaiverQuerySchema,
};

/** Operations whose query the router parses with a schema of its own, not one of -common. */
const ROUTER_ONLY_QUERIES = ['GetGroupRollup'];

/** Operations that take input yet never answer 400. */
const NO_400: Record<string, string> = {
  GetDefinition: 'the id is looked up, not validated: an unknown one is a 404',
};

const deref = (node: any) => derefOpenApi(spec, node);
const operations = () => openApiOperations(spec);
const examplesOf = (media: any) => examplesOfMedia(spec, media);
const requiredKeys = zodRequiredKeys;

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as ScorecardsStore,
      evaluator: {
        definitions: [],
        factProviders: [],
        evaluateEntity: async () => true,
      },
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(spec));
  });

  it('names every operation once, with a 2xx, a 401, and a 400 wherever it takes input', () => {
    const ops = operations();
    expect(ops.every(op => typeof op.id === 'string' && op.id.length > 0)).toBe(
      true,
    );
    expect(new Set(ops.map(op => op.id)).size).toBe(ops.length);
    const missing = ops.flatMap(op => {
      const codes = Object.keys(op.responses);
      // Queries are strict, so a route that parses an (empty) query schema answers 400 too.
      const takesInput =
        op.parameters.length > 0 ||
        op.requestBody !== undefined ||
        QUERY_SCHEMAS[op.id] !== undefined;
      return [
        ...(codes.some(code => /^2\d\d$/.test(code)) ? [] : [`${op.id}: 2xx`]),
        // Every route needs a Backstage principal.
        ...(codes.includes('401') ? [] : [`${op.id}: 401`]),
        ...(takesInput && !NO_400[op.id] && !codes.includes('400')
          ? [`${op.id}: 400`]
          : []),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('has no dangling $ref', () => {
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
    expect(refs.length).toBeGreaterThan(0);
    const dangling = refs.filter(ref => {
      try {
        deref({ $ref: ref });
        return false;
      } catch {
        return true;
      }
    });
    expect(dangling).toEqual([]);
  });

  describe('request bodies', () => {
    const withBody = operations().filter(op => op.requestBody);

    beforeAll(() => jest.useFakeTimers({ now: EXAMPLES_WRITTEN_AT }));
    afterAll(() => jest.useRealTimers());

    it('are the ones the router parses with a zod schema of -common', () => {
      expect(withBody.map(op => op.id).sort()).toEqual(
        Object.keys(BODY_SCHEMAS).sort(),
      );
    });

    it.each(withBody.map(op => [op.id, op] as const))(
      '%s: fields and required fields match the zod schema',
      (id, op) => {
        const schema = deref(op.requestBody.content['application/json'].schema);
        const zod = BODY_SCHEMAS[id];
        expect(schema.additionalProperties).toBe(false);
        expect(Object.keys(schema.properties).sort()).toEqual(
          Object.keys(zodObjectShape(zod)).sort(),
        );
        expect([...(schema.required ?? [])].sort()).toEqual(requiredKeys(zod));
      },
    );

    it.each(withBody.map(op => [op.id, op] as const))(
      '%s: every example passes the zod schema',
      (id, op) => {
        const examples = examplesOf(op.requestBody.content['application/json']);
        expect(examples.length).toBeGreaterThan(0);
        const rejected = examples.flatMap(
          example => BODY_SCHEMAS[id].safeParse(example).error?.issues ?? [],
        );
        expect(rejected).toEqual([]);
      },
    );

    it.each(withBody.map(op => [op.id, op] as const))(
      '%s: numeric bounds and enums are the zod schema’s',
      (id, op) => {
        const schema = deref(op.requestBody.content['application/json'].schema);
        const [example] = examplesOf(
          op.requestBody.content['application/json'],
        ) as Record<string, unknown>[];
        const accepts = (key: string, value: unknown) =>
          BODY_SCHEMAS[id].safeParse({ ...example, [key]: value }).success;
        const problems = Object.entries<any>(schema.properties).flatMap(
          ([key, property]) =>
            boundDisagreements(
              key,
              deref(property),
              value => accepts(key, value),
              example[key],
            ),
        );
        expect(problems).toEqual([]);
      },
    );
  });

  describe('parameters', () => {
    const withQuery = operations().filter(op =>
      op.parameters.some(p => p.in === 'query'),
    );

    it('query parameters are documented exactly for the operations that parse a query schema', () => {
      expect(withQuery.map(op => op.id).sort()).toEqual(
        [...Object.keys(QUERY_SCHEMAS), ...ROUTER_ONLY_QUERIES].sort(),
      );
    });

    it.each(
      withQuery
        .filter(op => QUERY_SCHEMAS[op.id])
        .map(op => [op.id, op] as const),
    )(
      '%s: names, required ones, examples and bounds match the zod schema',
      (id, op) => {
        const zod = QUERY_SCHEMAS[id];
        const query = op.parameters.filter(p => p.in === 'query');
        expect(query.map(p => p.name).sort()).toEqual(
          Object.keys(zodObjectShape(zod)).sort(),
        );
        expect(
          query
            .filter(p => p.required)
            .map(p => p.name)
            .sort(),
        ).toEqual(requiredKeys(zod));

        const base = Object.fromEntries(
          query
            .filter(p => p.required)
            .map(p => [p.name, String(exampleOfParameter(p))]),
        );
        const accepts = (name: string, value: unknown) =>
          zod.safeParse({ ...base, [name]: String(value) }).success;
        const problems = query.flatMap(p => {
          const example = exampleOfParameter(p);
          const s = deref(p.schema ?? {});
          return [
            ...(example === undefined || accepts(p.name, example)
              ? []
              : [`${p.name}: zod rejects the example`]),
            ...(s.default === undefined ||
            (zod.parse(base) as any)[p.name] === s.default
              ? []
              : [`${p.name}: default`]),
            ...boundDisagreements(
              p.name,
              s,
              value => accepts(p.name, value),
              example,
            ),
          ];
        });
        expect(problems).toEqual([]);
      },
    );

    it('a waiver id example is a UUID, as the router requires', () => {
      const ids = operations()
        .filter(op => op.path === '/v1/waivers/{id}')
        .map(op =>
          exampleOfParameter(op.parameters.find(p => p.name === 'id')),
        );
      expect(ids.length).toBe(3);
      expect(ids.filter(id => !z.uuid().safeParse(id).success)).toEqual([]);
    });
  });
});
