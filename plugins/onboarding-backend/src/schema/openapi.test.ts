import { mockServices } from '@backstage/backend-test-utils';
import {
  derefOpenApi,
  documentedRoutes,
  exampleOfParameter,
  examplesOfMedia,
  openApiBodyDisagreements,
  openApiMissingResponses,
  openApiOpenObjects,
  openApiOperations,
  openApiQueryDisagreements,
  openApiRefs,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import {
  checklistIdSchema,
  entityChecklistQuerySchema,
  historyQuerySchema,
  reportVisitRequestSchema,
  resetProgressRequestSchema,
  setStepDoneRequestSchema,
  startOnboardingRequestSchema,
  STEP_COMPLETED_BY,
  STEP_HISTORY_BY,
  STEP_KINDS,
  STEP_LINK_TYPES,
  stepIdSchema,
  teamReportQuerySchema,
  userRefSchema,
  VISIT_KINDS,
} from '@vitals/plugin-onboarding-common';
import { z } from 'zod';
import { OnboardingStore } from '../database/OnboardingStore';
import { OnboardingService } from '../service/OnboardingService';
import { createRouter } from '../service/router';
import { TemplateRegistry } from '../templates/TemplateRegistry';

const spec = readOpenApiSpec(__dirname);

/** The zod schema of -common that validates each operation's body; the router parses the body with it. */
const BODY_SCHEMAS: Record<string, z.ZodType> = {
  StartMyChecklists: startOnboardingRequestSchema,
  SetMyStepDone: setStepDoneRequestSchema,
  ReportMyVisit: reportVisitRequestSchema,
  StartUserChecklists: startOnboardingRequestSchema,
  ResetUserProgress: resetProgressRequestSchema,
};

/** The zod schema of each operation's query string. */
const QUERY_SCHEMAS: Record<string, z.ZodType> = {
  GetEntityChecklist: entityChecklistQuerySchema,
  ListStepHistory: historyQuerySchema,
  GetTeamReport: teamReportQuerySchema,
};

/** The zod schema of each path parameter. */
const PATH_SCHEMAS: Record<string, z.ZodType> = {
  checklistId: checklistIdSchema,
  stepId: stepIdSchema,
  userRef: userRefSchema,
};

/** Values for path parameters: whichever of them the spec refuses, zod must refuse too (the spec is never stricter). */
const PATH_PROBES = [
  'a'.repeat(401),
  'u'.repeat(256),
  'Read_Runbook',
  'payments-team:pay\u0000ments',
  'gu\u0001est',
  'has space',
  '',
];

const deref = (node: any) => derefOpenApi(spec, node);
const operations = () => openApiOperations(spec);

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      service: {} as OnboardingService,
      store: {} as OnboardingStore,
      templates: {} as TemplateRegistry,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    // And the spec itself, served by the OpenAPI router.
    expect(servedRoutes(router)).toEqual(
      [...documentedRoutes(spec), 'GET /openapi.json'].sort(),
    );
  });

  it('names every operation once, with a 2xx, a 401, a 403, a 500, and a 400 (the query is strict, so every route takes input), errors as ErrorResponse with examples', () => {
    const ops = operations();
    expect(ops.every(op => typeof op.id === 'string' && op.id.length > 0)).toBe(
      true,
    );
    expect(new Set(ops.map(op => op.id)).size).toBe(ops.length);
    expect(openApiMissingResponses(spec, { takesInput: () => true })).toEqual(
      [],
    );
    const missing = ops.flatMap(op =>
      ['403', '500']
        .filter(code => !(code in op.responses))
        .map(code => `${op.id}: ${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('declares path parameters on each operation, so that the typed router knows them', () => {
    const onPathItems = Object.entries<any>(spec.paths)
      .filter(([, item]) => item.parameters)
      .map(([path]) => path);
    expect(onPathItems).toEqual([]);
    const undeclared = operations().flatMap(op =>
      [...op.path.matchAll(/\{(\w+)\}/g)]
        .map(match => match[1])
        .filter(
          name =>
            !(op.op.parameters ?? []).some(
              (p: any) => deref(p).in === 'path' && deref(p).name === name,
            ),
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

  it('lists every field of every success body exactly (additionalProperties: false), with examples', () => {
    const problems = operations().flatMap(op =>
      Object.entries(op.responses).flatMap(([code, response]) => {
        const media = deref(response).content?.['application/json'];
        if (!code.startsWith('2') || !media) return [];
        return [
          ...(examplesOfMedia(spec, media).length === 0
            ? [`${op.id} ${code}: no example`]
            : []),
          ...openApiOpenObjects(spec, media.schema, `${op.id} ${code}`),
        ];
      }),
    );
    // The null alternative of the entity checklist is not an object with fields.
    expect(problems).toEqual(['GetEntityChecklist 200.checklist/anyOf1']);
  });

  it('has the enums of -common, not copies of them', () => {
    const schemas = spec.components.schemas;
    expect(schemas.StepKind.enum).toEqual([...STEP_KINDS]);
    expect(schemas.StepLinkType.enum).toEqual([...STEP_LINK_TYPES]);
    expect(schemas.StepCompletedBy.enum).toEqual([...STEP_COMPLETED_BY]);
    expect(schemas.StepHistoryBy.enum).toEqual([...STEP_HISTORY_BY]);
    expect(schemas.VisitKind.enum).toEqual([...VISIT_KINDS]);
  });

  describe('request bodies', () => {
    const withBody = operations().filter(op => op.requestBody);

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

    it('query parameters are documented exactly for the operations that parse a query schema of -common', () => {
      expect(withQuery.map(op => op.id).sort()).toEqual(
        Object.keys(QUERY_SCHEMAS).sort(),
      );
    });

    it.each(withQuery.map(op => [op.id, op] as const))(
      '%s: names, required ones, examples, defaults and bounds match the zod schema',
      (id, op) => {
        expect(openApiQueryDisagreements(spec, op, QUERY_SCHEMAS[id])).toEqual(
          [],
        );
      },
    );

    it('path parameters are parsed by a zod schema that accepts their examples and refuses what the spec refuses', () => {
      const pathParameters = operations().flatMap(op =>
        op.parameters.filter(p => p.in === 'path'),
      );
      expect(pathParameters.length).toBeGreaterThan(0);
      const problems = pathParameters.flatMap(p => {
        const zod = PATH_SCHEMAS[p.name];
        if (!zod) return [`${p.name}: no zod schema`];
        const s = deref(p.schema);
        const specAccepts = (value: string) =>
          value.length >= (s.minLength ?? 0) &&
          value.length <= (s.maxLength ?? Infinity) &&
          new RegExp(s.pattern ?? '', 'u').test(value);
        const example = String(exampleOfParameter(p));
        return [
          ...(zod.safeParse(example).success && specAccepts(example)
            ? []
            : [`${p.name}: the example`]),
          ...PATH_PROBES.filter(
            v => !specAccepts(v) && zod.safeParse(v).success,
          ).map(v => `${p.name}: zod accepts ${JSON.stringify(v)}`),
        ];
      });
      expect(problems).toEqual([]);
    });
  });
});
