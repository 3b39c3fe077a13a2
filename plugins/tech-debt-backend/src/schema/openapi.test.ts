import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  derefOpenApi,
  documentedRoutes,
  examplesOfMedia,
  exampleOfParameter,
  openApiBodyDisagreements,
  openApiConformance,
  openApiMissingResponses,
  openApiOpenObjects,
  openApiOperations,
  openApiQueryDisagreements,
  openApiRefs,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import {
  budgetQuerySchema,
  createItemRequestSchema,
  DEBT_CATEGORIES,
  DEBT_ITEM_EVENT_ACTIONS,
  DEBT_ITEM_ORDER_FIELDS,
  DEBT_STATUSES,
  deleteItemQuerySchema,
  incidentIdSchema,
  linkIncidentRequestSchema,
  listItemsQuerySchema,
  putBudgetRequestSchema,
  quarterSchema,
  repeatIncidentsQuerySchema,
  SORT_ORDERS,
  summaryQuerySchema,
  TECH_DEBT_LIMITS,
  updateItemRequestSchema,
} from '@vitals/plugin-tech-debt-common';
import { z } from 'zod';
import { TechDebtStore } from '../database/TechDebtStore';
import { createRouter } from '../service/router';
import { spec as generatedSpec } from './openapi';

const spec = readOpenApiSpec(__dirname);
const resolve = (node: any) => derefOpenApi(spec, node);
const operation = (id: string) => {
  const op = openApiOperations(spec).find(o => o.id === id);
  if (!op) throw new Error(`No operation ${id}`);
  return op;
};

/** The zod schema each operation's query is parsed with (the export is the list without its paging). */
const QUERY_SCHEMAS: Record<string, z.ZodType> = {
  ListItems: listItemsQuerySchema,
  ExportItemsCsv: listItemsQuerySchema.omit({ limit: true, offset: true }),
  DeleteItem: deleteItemQuerySchema,
  GetSummary: summaryQuerySchema,
  GetBudget: budgetQuerySchema,
  PutBudget: budgetQuerySchema,
  GetRepeatIncidentsReport: repeatIncidentsQuerySchema,
};

/** The zod schema each operation's body is parsed with. */
const BODY_SCHEMAS: Record<string, z.ZodType> = {
  CreateItem: createItemRequestSchema,
  UpdateItem: updateItemRequestSchema,
  PutBudget: putBudgetRequestSchema,
  LinkIncident: linkIncidentRequestSchema,
};

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves, and the router serves the spec itself', async () => {
    const router = await createRouter({
      store: {} as TechDebtStore,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(servedRoutes(router)).toEqual(
      [...documentedRoutes(spec), 'GET /openapi.json'].sort(),
    );
  });

  it('is what the generated router enforces (run `yarn schema:generate` after editing the yaml)', () => {
    expect(JSON.parse(JSON.stringify(generatedSpec))).toEqual(spec);
  });

  it('has no dangling $ref, and operation ids that are unique', () => {
    expect(openApiRefs(spec).dangling).toEqual([]);
    const ids = openApiOperations(spec).map(op => op.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(14);
  });

  it('declares every path parameter on each operation that uses it, so the typed router knows it', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      if (item.parameters) problems.push(`${path}: parameters on the path`);
    }
    for (const op of openApiOperations(spec)) {
      const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
      const declared = op.parameters
        .filter(p => p.in === 'path')
        .map(p => p.name);
      if (inPath.join() !== declared.join())
        problems.push(`${op.id}: path ${inPath} but declares ${declared}`);
    }
    expect(problems).toEqual([]);
  });

  it('documents the error answers of every operation with ErrorResponse and an example', () => {
    expect(openApiMissingResponses(spec)).toEqual([]);
    const problems: string[] = [];
    for (const op of openApiOperations(spec)) {
      for (const code of ['400', '401', '403', '500']) {
        if (!(code in op.responses)) problems.push(`${op.id}: ${code}`);
      }
      for (const [code, response] of Object.entries<any>(op.responses)) {
        if (!/^[45]/.test(code)) continue;
        const media = resolve(response).content['application/json'];
        for (const example of examplesOfMedia(spec, media) as any[]) {
          if (example.response.statusCode !== Number(code))
            problems.push(`${op.id}: ${code} example says otherwise`);
        }
      }
    }
    // Writes can be refused by the policy, and items can be missing or stale.
    for (const id of [
      'CreateItem',
      'UpdateItem',
      'DeleteItem',
      'LinkIncident',
      'UnlinkIncident',
      'PutBudget',
    ])
      if (
        resolve(operation(id).responses['403']) !==
        spec.components.responses.Forbidden
      )
        problems.push(`${id}: 403 is not Forbidden`);
    for (const id of ['UpdateItem', 'DeleteItem', 'PutBudget'])
      if (!('409' in operation(id).responses)) problems.push(`${id}: 409`);
    for (const id of [
      'GetItem',
      'GetItemEvents',
      'UpdateItem',
      'DeleteItem',
      'LinkIncident',
      'UnlinkIncident',
    ])
      if (!('404' in operation(id).responses)) problems.push(`${id}: 404`);
    expect(problems).toEqual([]);
  });

  it('takes its enums from the one const of each in the common package', () => {
    const { schemas, parameters } = spec.components;
    expect({
      category: schemas.Category.enum,
      status: schemas.Status.enum,
      statusFilter: resolve(parameters.statusFilter.schema.items).enum,
      categoryFilter: resolve(parameters.categoryFilter.schema.items).enum,
      orderBy: parameters.orderBy.schema.enum,
      order: parameters.order.schema.enum,
      eventAction: schemas.DebtItemEvent.properties.action.enum,
      reportItemStatus: resolve(schemas.RepeatIncidentItem.properties.status)
        .enum,
    }).toEqual({
      category: [...DEBT_CATEGORIES],
      status: [...DEBT_STATUSES],
      statusFilter: [...DEBT_STATUSES],
      categoryFilter: [...DEBT_CATEGORIES],
      orderBy: [...DEBT_ITEM_ORDER_FIELDS],
      order: [...SORT_ORDERS],
      eventAction: [...DEBT_ITEM_EVENT_ACTIONS],
      reportItemStatus: [...DEBT_STATUSES],
    });
  });

  it('states the query parameters, bounds, enums and defaults the zod schemas enforce', () => {
    const problems: string[] = [];
    for (const op of openApiOperations(spec)) {
      const zod = QUERY_SCHEMAS[op.id];
      if (zod) problems.push(...openApiQueryDisagreements(spec, op, zod));
      else if (op.parameters.some(p => p.in === 'query'))
        problems.push(`${op.id}: a query with no zod schema`);
    }
    // The list filters: at most as many values as zod takes.
    for (const name of ['entityRef', 'owner', 'system', 'status', 'category'])
      if (
        operation('ListItems').parameters.find(p => p.name === name)?.schema
          .maxItems !== TECH_DEBT_LIMITS.filterValues
      )
        problems.push(`ListItems: ${name}: maxItems`);
    expect(problems).toEqual([]);
  });

  it('states the body fields, required fields, bounds and enums the zod schemas enforce, with examples zod accepts', () => {
    const problems: string[] = [];
    for (const op of openApiOperations(spec)) {
      const zod = BODY_SCHEMAS[op.id];
      if (zod) problems.push(...openApiBodyDisagreements(spec, op, zod));
      else if (op.requestBody) problems.push(`${op.id}: a body with no zod`);
    }
    // Text lengths: zod refuses what the spec refuses.
    const item = resolve(
      operation('CreateItem').requestBody.content['application/json'],
    ).example;
    const tooLong = (field: string, text: unknown) =>
      createItemRequestSchema.safeParse({ ...item, [field]: text }).success;
    const { Title, Description, Tags, TrackerUrl } = spec.components.schemas;
    expect({
      title: tooLong('title', 'x'.repeat(Title.maxLength + 1)),
      description: tooLong(
        'description',
        'x'.repeat(Description.maxLength + 1),
      ),
      tag: tooLong('tags', ['x'.repeat(Tags.items.maxLength + 1)]),
      trackerUrl: tooLong(
        'trackerUrl',
        `https://example.com/${'x'.repeat(TrackerUrl.maxLength)}`,
      ),
    }).toEqual({
      title: false,
      description: false,
      tag: false,
      trackerUrl: false,
    });
    expect(problems).toEqual([]);
  });

  it('gives path parameters examples that the handlers accept', () => {
    const { itemId, quarter, incidentId } = spec.components.parameters;
    expect(
      incidentIdSchema.safeParse(exampleOfParameter(incidentId)).success,
    ).toBe(true);
    const idSchema = resolve(incidentId.schema);
    for (const value of [
      'x'.repeat(idSchema.maxLength),
      'x'.repeat(idSchema.maxLength + 1),
      'bad\u0007id',
      'pagerduty:PGR0VU2',
    ])
      expect({
        value,
        spec:
          value.length <= idSchema.maxLength &&
          new RegExp(idSchema.pattern).test(value),
      }).toEqual({ value, spec: incidentIdSchema.safeParse(value).success });
    expect(
      z.string().uuid().safeParse(exampleOfParameter(itemId)).success,
    ).toBe(true);
    expect(quarterSchema.safeParse(exampleOfParameter(quarter)).success).toBe(
      true,
    );
    const pattern = new RegExp(quarter.schema.pattern);
    for (const value of ['1970-Q1', '2099-Q4', '1969-Q4', '2100-Q1', '2026-Q5'])
      expect({ value, spec: pattern.test(value) }).toEqual({
        value,
        spec: quarterSchema.safeParse(value).success,
      });
  });

  it('lists every field of every answer exactly, and every example fits its schema', () => {
    const problems: string[] = [];
    for (const op of openApiOperations(spec)) {
      for (const [code, response] of Object.entries<any>(op.responses)) {
        for (const [type, media] of Object.entries<any>(
          resolve(response).content ?? {},
        )) {
          if (type === 'application/json' && /^2/.test(code))
            problems.push(
              ...openApiOpenObjects(
                spec,
                media.schema,
                `${op.id} ${code}`,
              ).filter(where => !where.endsWith('.changes')),
            );
          const examples = examplesOfMedia(spec, media);
          if (examples.length === 0)
            problems.push(`${op.id} ${code}: no example`);
          for (const example of examples)
            problems.push(
              ...openApiConformance(
                spec,
                media.schema,
                example,
                `${op.id} ${code}`,
              ),
            );
        }
      }
      const body = op.requestBody?.content?.['application/json'];
      for (const example of body ? examplesOfMedia(spec, body) : [])
        problems.push(
          ...openApiConformance(spec, body.schema, example, `${op.id} body`),
        );
      for (const p of op.parameters)
        if (exampleOfParameter(p) === undefined)
          problems.push(`${op.id}: ${p.name}: no example`);
        else
          problems.push(
            ...openApiConformance(
              spec,
              p.schema,
              exampleOfParameter(p),
              `${op.id} ${p.name}`,
            ),
          );
    }
    expect(problems).toEqual([]);
  });
});
