import { mockServices } from '@backstage/backend-test-utils';
import {
  derefOpenApi,
  documentedRoutes,
  examplesOfMedia,
  exampleOfParameter,
  openApiBodyDisagreements,
  openApiMissingResponses,
  openApiOpenObjects,
  openApiOperations,
  openApiQueryDisagreements,
  openApiRefs,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CHECK_OPERATORS,
  createWaiverRequestSchema,
  deleteWaiverQuerySchema,
  entityResultsQuerySchema,
  FACT_TYPES,
  groupRollupQuerySchema,
  historyQuerySchema,
  INCLUDE_INACTIVE_VALUES,
  listPromotionsQuerySchema,
  listWaiversQuerySchema,
  MAX_PROMOTED_CHECKS,
  MAX_SCORECARD_ID_LENGTH,
  PROMOTION_ORIGIN_KINDS,
  promoteChecksRequestSchema,
  promotionIdSchema,
  withdrawPromotionQuerySchema,
  NEXT_ACTION_KINDS,
  NEXT_ACTION_SOURCES,
  NEXT_ACTIONS_LIMITS,
  nextActionsQuerySchema,
  MAX_WAIVER_VERSION,
  refreshRequestSchema,
  entityResultsBatchRequestSchema,
  SCORECARD_ID_PATTERN,
  scorecardIdSchema,
  summaryQuerySchema,
  updateWaiverRequestSchema,
  waiverIdSchema,
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
  GetEntityResultsBatch: entityResultsBatchRequestSchema,
  RefreshEntity: refreshRequestSchema,
  CreateWaiver: createWaiverRequestSchema,
  UpdateWaiver: updateWaiverRequestSchema,
  PromoteChecks: promoteChecksRequestSchema,
};

/** The zod schema of -common that parses each operation's query string (strict: an unknown parameter is a 400). */
const QUERY_SCHEMAS: Record<string, z.ZodType> = {
  GetEntityResults: entityResultsQuerySchema,
  GetGroupRollup: groupRollupQuerySchema,
  GetNextActions: nextActionsQuerySchema,
  GetSummary: summaryQuerySchema,
  ExportResultsCsv: summaryQuerySchema,
  GetHistory: historyQuerySchema,
  ListWaivers: listWaiversQuerySchema,
  DeleteWaiver: deleteWaiverQuerySchema,
  ListPromotions: listPromotionsQuerySchema,
  WithdrawPromotion: withdrawPromotionQuerySchema,
};

/** The zod schema of -common that parses each path parameter, by operation and name. */
const PATH_SCHEMAS: Record<string, z.ZodType> = {
  'GetDefinition.id': scorecardIdSchema,
  'GetWaiver.id': waiverIdSchema,
  'UpdateWaiver.id': waiverIdSchema,
  'DeleteWaiver.id': waiverIdSchema,
  'WithdrawPromotion.id': promotionIdSchema,
};

/** Values for path parameters that the spec should refuse, and so zod too. */
const PATH_PROBES = [
  ' prod',
  '-prod',
  'prod readiness',
  'prod/readiness',
  'a'.repeat(MAX_SCORECARD_ID_LENGTH + 1),
  'not-a-uuid',
  '5b0e8a52-3f5c-4a8e-9d0c-6f1d2b7a9e4',
  'urn:uuid:5b0e8a52-3f5c-4a8e-9d0c-6f1d2b7a9e41',
];

const deref = (node: any) => derefOpenApi(spec, node);
const operations = () => openApiOperations(spec);

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as ScorecardsStore,
      evaluator: {
        definitions: [],
        configuredDefinitions: [],
        loadDefinitions: async () => [],
        factProviders: [],
        evaluateEntity: async () => true,
      },
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

  it('names every operation once, with a 2xx, a 401, a 400 wherever it takes input, and error bodies with examples', () => {
    const ops = operations();
    expect(ops.every(op => typeof op.id === 'string' && op.id.length > 0)).toBe(
      true,
    );
    expect(new Set(ops.map(op => op.id)).size).toBe(ops.length);
    expect(
      openApiMissingResponses(spec, {
        // Queries are strict, so a route that parses an (empty) query schema answers 400 too.
        takesInput: op =>
          op.parameters.length > 0 ||
          op.requestBody !== undefined ||
          QUERY_SCHEMAS[op.id] !== undefined,
      }),
    ).toEqual([]);
  });

  it('declares path parameters on each operation, so that the typed router knows them', () => {
    const onPathItems = Object.entries<any>(spec.paths)
      .filter(([, item]) => item.parameters)
      .map(([path]) => path);
    expect(onPathItems).toEqual([]);
    const undeclared = operations().flatMap(op =>
      [...op.path.matchAll(/\{(\w+)\}/g)]
        .map(([, name]) => name)
        .filter(
          name => !op.parameters.some(p => p.in === 'path' && p.name === name),
        )
        .map(name => `${op.id}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('has no dangling $ref', () => {
    const { refs, dangling } = openApiRefs(spec);
    expect(refs.length).toBeGreaterThan(0);
    expect(dangling).toEqual([]);
  });

  it('lists every field of every JSON response exactly, with an example of each success', () => {
    const problems = operations().flatMap(op =>
      Object.entries(op.responses).flatMap(([code, response]) => {
        const media = deref(response).content?.['application/json'];
        if (!media) return [];
        return [
          ...(code.startsWith('2') && examplesOfMedia(spec, media).length === 0
            ? [`${op.id} ${code}: no example`]
            : []),
          // Error bodies are Backstage's, which may carry more than the spec names.
          ...(code.startsWith('2')
            ? openApiOpenObjects(spec, media.schema, `${op.id} ${code}`)
            : []),
        ];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('has the enums and bounds of -common, not copies of them', () => {
    const schemas = spec.components.schemas;
    expect(schemas.CheckOperator.enum).toEqual([...CHECK_OPERATORS]);
    expect(schemas.FactType.enum).toEqual([...FACT_TYPES]);
    const includeInactive = operations()
      .find(op => op.id === 'ListWaivers')!
      .parameters.find(p => p.name === 'includeInactive');
    expect(includeInactive.schema.enum).toEqual([...INCLUDE_INACTIVE_VALUES]);
    expect(schemas.WaiverVersion.maximum).toBe(MAX_WAIVER_VERSION);
    expect(schemas.PromotionOrigin.properties.kind.enum).toEqual([
      ...PROMOTION_ORIGIN_KINDS,
    ]);
    expect(
      schemas.PromoteChecksRequest.properties.origin.properties.kind.enum,
    ).toEqual([...PROMOTION_ORIGIN_KINDS]);
    expect(schemas.PromoteChecksRequest.properties.checks.maxItems).toBe(
      MAX_PROMOTED_CHECKS,
    );
    expect(schemas.ScorecardId.pattern).toBe(SCORECARD_ID_PATTERN.source);
    expect(schemas.ScorecardId.maxLength).toBe(MAX_SCORECARD_ID_LENGTH);
    expect(schemas.NextActionKind.enum).toEqual([...NEXT_ACTION_KINDS]);
    expect(schemas.NextActionSource.enum).toEqual([...NEXT_ACTION_SOURCES]);
    const limit = operations()
      .find(op => op.id === 'GetNextActions')!
      .parameters.find(p => p.name === 'limit');
    expect(limit.schema).toMatchObject({
      maximum: NEXT_ACTIONS_LIMITS.maxLimit,
      default: NEXT_ACTIONS_LIMITS.defaultLimit,
    });
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
      '%s: refuses unknown fields, and its fields, required fields, examples, bounds and enums are the zod schema’s',
      (id, op) => {
        expect(openApiBodyDisagreements(spec, op, BODY_SCHEMAS[id])).toEqual(
          [],
        );
      },
    );
  });

  describe('parameters', () => {
    const withQuery = operations().filter(op =>
      op.parameters.some(p => p.in === 'query'),
    );

    it('query parameters are documented exactly for the operations that parse a query schema', () => {
      expect(withQuery.map(op => op.id).sort()).toEqual(
        Object.keys(QUERY_SCHEMAS).sort(),
      );
    });

    it.each(withQuery.map(op => [op.id, op] as const))(
      '%s: names, required ones, examples and bounds match the zod schema',
      (id, op) => {
        expect(openApiQueryDisagreements(spec, op, QUERY_SCHEMAS[id])).toEqual(
          [],
        );
      },
    );

    it('path parameters are parsed by a zod schema of -common that accepts their examples and refuses what the spec refuses', () => {
      const pathParameters = operations().flatMap(op =>
        op.parameters
          .filter(p => p.in === 'path')
          .map(p => ({ key: `${op.id}.${p.name}`, p })),
      );
      expect(pathParameters.map(({ key }) => key).sort()).toEqual(
        Object.keys(PATH_SCHEMAS).sort(),
      );
      const problems = pathParameters.flatMap(({ key, p }) => {
        const zod = PATH_SCHEMAS[key];
        const s = deref(p.schema);
        const specAccepts = (value: string) =>
          value.length >= (s.minLength ?? 0) &&
          value.length <= (s.maxLength ?? Infinity) &&
          new RegExp(s.pattern).test(value);
        return [
          ...(zod.safeParse(exampleOfParameter(p)).success &&
          specAccepts(String(exampleOfParameter(p)))
            ? []
            : [`${key}: the example`]),
          ...PATH_PROBES.filter(
            v => !specAccepts(v) && zod.safeParse(v).success,
          ).map(v => `${key}: zod accepts ${JSON.stringify(v)}`),
        ];
      });
      expect(problems).toEqual([]);
    });

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
