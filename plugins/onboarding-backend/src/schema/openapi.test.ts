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
import {
  checklistIdSchema,
  entityChecklistQuerySchema,
  historyQuerySchema,
  reportVisitRequestSchema,
  resetProgressRequestSchema,
  setStepDoneRequestSchema,
  startOnboardingRequestSchema,
  stepIdSchema,
  teamReportQuerySchema,
  userRefSchema,
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

/** The zod schema of each operation's query string (strict: an unknown parameter is a 400). */
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

const deref = (node: any) => derefOpenApi(spec, node);
const operations = () => openApiOperations(spec);
const examplesOf = (media: any) => examplesOfMedia(spec, media);
const requiredKeys = zodRequiredKeys;

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
        ...(takesInput && !codes.includes('400') ? [`${op.id}: 400`] : []),
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

    it('query parameters are documented exactly for the operations that parse a query schema of -common', () => {
      expect(withQuery.map(op => op.id).sort()).toEqual(
        Object.keys(QUERY_SCHEMAS).sort(),
      );
    });

    it.each(withQuery.map(op => [op.id, op] as const))(
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

    it('path parameter examples pass the zod schemas the router parses them with', () => {
      const pathParameters = operations().flatMap(op =>
        op.parameters.filter(p => p.in === 'path'),
      );
      expect(pathParameters.length).toBeGreaterThan(0);
      const rejected = pathParameters
        .filter(
          p => !PATH_SCHEMAS[p.name]?.safeParse(exampleOfParameter(p)).success,
        )
        .map(p => p.name);
      expect(rejected).toEqual([]);
    });
  });
});
