import { mockServices } from '@backstage/backend-test-utils';
import {
  documentedRoutes,
  readOpenApiSpec,
  routerTestApp,
} from '@vitals/backend-test-utils';
import request from 'supertest';
import { OnboardingStore } from '../database/OnboardingStore';
import { OnboardingService } from '../service/OnboardingService';
import { createRouter } from '../service/router';
import { TemplateRegistry } from '../templates/TemplateRegistry';

const spec = readOpenApiSpec(__dirname);

/** An object every method of which records its call and fails: a request the spec refuses must reach none. */
function spy<T>(name: string, calls: string[]): T {
  return new Proxy(
    {},
    {
      get: (_target, method) => () => {
        calls.push(`${name}.${String(method)}`);
        throw new Error(`the ${name} must not be reached`);
      },
    },
  ) as T;
}

/** The router over a service, a store and templates that record every call, with a policy and auditor that count. */
async function startApp() {
  const calls: string[] = [];
  const permissions = mockServices.permissions.mock();
  const auditor = mockServices.auditor.mock();
  const app = routerTestApp(
    await createRouter({
      service: spy<OnboardingService>('service', calls),
      store: spy<OnboardingStore>('store', calls),
      templates: spy<TemplateRegistry>('templates', calls),
      httpAuth: mockServices.httpAuth(),
      permissions,
      auditor,
      logger: mockServices.logger.mock(),
    }),
  );
  const reached = () => ({
    calls,
    permissions: permissions.authorize.mock.calls.length,
    audits: auditor.createEvent.mock.calls.length,
  });
  return { app, reached };
}

const tick = '/v1/me/checklists/payments-team/steps/read-runbook';

describe('the onboarding router enforces its OpenAPI spec', () => {
  // [what, method, url, body, what the 400's message must name]
  const cases: Array<
    [string, 'get' | 'post' | 'put', string, unknown, RegExp]
  > = [
    [
      'a step id that is not one',
      'put',
      '/v1/me/checklists/payments-team/steps/Read_Runbook',
      { done: true },
      /request\/params\/stepId must match pattern/,
    ],
    [
      'a checklist id too long to store',
      'put',
      `/v1/me/checklists/${'a'.repeat(401)}/steps/read-runbook`,
      { done: true },
      /request\/params\/checklistId must NOT have more than 400 characters/,
    ],
    [
      'a checklist id with a control character',
      'put',
      '/v1/me/checklists/payments-team%3Apay%01ments/steps/read-runbook',
      { done: true },
      /request\/params\/checklistId must match pattern/,
    ],
    [
      'a user ref too long to store',
      'get',
      `/v1/users/${'u'.repeat(256)}/checklists`,
      undefined,
      /request\/params\/userRef must NOT have more than 255 characters/,
    ],
    [
      'a reset of a user with a NUL in the ref',
      'post',
      '/v1/users/gu%00est/reset',
      {},
      /request\/params\/userRef must match pattern/,
    ],
    [
      'a page size out of bounds',
      'get',
      '/v1/history?limit=1001',
      undefined,
      /request\/query\/limit must be <= 1000/,
    ],
    [
      'an offset that is not a whole number',
      'get',
      '/v1/history?offset=2.5',
      undefined,
      /request\/query\/offset must be integer/,
    ],
    [
      'a negative offset',
      'get',
      '/v1/history?offset=-1',
      undefined,
      /request\/query\/offset must be >= 0/,
    ],
    [
      'a team report without its group',
      'get',
      '/v1/teams/report',
      undefined,
      /request\/query must have required property 'groupRef'/,
    ],
    [
      'a group ref over 512 characters',
      'get',
      `/v1/teams/report?groupRef=${'g'.repeat(513)}`,
      undefined,
      /request\/query\/groupRef must NOT have more than 512 characters/,
    ],
    [
      'a query parameter the org report takes none of',
      'get',
      '/v1/report?team=payments',
      undefined,
      /Unknown query parameter 'team'/,
    ],
    [
      'a query parameter on my checklists, whose handler reads no query',
      'get',
      '/v1/me/checklists?userRef=li.wei',
      undefined,
      /Unknown query parameter 'userRef'/,
    ],
    [
      'a query parameter the templates take none of',
      'get',
      '/v1/templates?refresh=true',
      undefined,
      /Unknown query parameter 'refresh'/,
    ],
    [
      'a tick that is not true or false',
      'put',
      tick,
      { done: 'yes' },
      /request\/body\/done must be boolean/,
    ],
    [
      'a tick without done',
      'put',
      tick,
      {},
      /request\/body must have required property 'done'/,
    ],
    [
      'a visit of a kind outside the enum',
      'post',
      '/v1/me/visits',
      { entityRef: 'component:default/payments-api', kind: 'video' },
      /request\/body\/kind must be equal to one of the allowed values: docs/,
    ],
    [
      'a visit with a field the spec does not list',
      'post',
      '/v1/me/visits',
      {
        entityRef: 'component:default/payments-api',
        kind: 'docs',
        at: '2026-10-03T09:12:00Z',
      },
      /request\/body must NOT have additional properties: at$/,
    ],
    [
      'a start with a number for an entity',
      'post',
      '/v1/me/checklists',
      { entityRef: 42 },
      /request\/body\/entityRef must be string/,
    ],
    [
      'a start with a body that is not an object',
      'post',
      '/v1/users/li.wei/checklists',
      ['component:default/payments-api'],
      /request\/body must be object/,
    ],
    [
      'a reset with a field the spec does not list',
      'post',
      '/v1/users/guest/reset',
      { everything: true },
      /request\/body must NOT have additional properties: everything$/,
    ],
  ];

  it.each(cases)(
    'answers %s with a 400 naming it, before any handler runs',
    async (_what, method, url, body, message) => {
      const { app, reached } = await startApp();
      const res = await request(app)
        [method](url)
        .send(body as object);
      expect({ status: res.status, name: res.body.error?.name }).toEqual({
        status: 400,
        name: 'InputError',
      });
      expect(res.body.error.message).toMatch(message);
      expect(reached()).toEqual({ calls: [], permissions: 0, audits: 0 });
    },
  );

  it('serves the spec at /openapi.json', async () => {
    const { app } = await startApp();
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.info.title).toBe('onboarding');
    expect(documentedRoutes(res.body)).toEqual(documentedRoutes(spec));
    expect(res.body.components.schemas.ErrorResponse).toEqual(
      spec.components.schemas.ErrorResponse,
    );
  });
});
