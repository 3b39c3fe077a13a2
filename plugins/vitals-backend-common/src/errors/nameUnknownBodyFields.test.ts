import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { nameUnknownBodyFields } from './nameUnknownBodyFields';

const spec = {
  openapi: '3.0.3',
  info: { title: 'widgets', version: '1' },
  servers: [{ url: '/' }],
  paths: {
    '/widgets': {
      post: {
        operationId: 'CreateWidget',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/NewWidget' },
            },
          },
        },
        responses: { '201': { description: 'Created.' } },
      },
    },
  },
  components: {
    schemas: {
      NewWidget: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          parts: {
            type: 'array',
            items: { $ref: '#/components/schemas/Part' },
          },
        },
      },
      Part: {
        type: 'object',
        additionalProperties: false,
        properties: { sku: { type: 'string' } },
      },
    },
  },
} as const;

async function app() {
  const router = await createValidatedOpenApiRouter<typeof spec>(spec);
  const handler = jest.fn((_req: unknown, res: express.Response) => {
    res.status(201).json({});
  });
  router.post('/widgets', handler);
  router.use(nameUnknownBodyFields(spec));
  const logger = mockServices.logger.mock();
  return {
    handler,
    app: express()
      .use(router)
      .use(
        MiddlewareFactory.create({
          config: mockServices.rootConfig(),
          logger,
        }).error(),
      ),
  };
}

describe('nameUnknownBodyFields', () => {
  it('names the fields the body schema does not list, at the top and nested, before the handler runs', async () => {
    const { app: server, handler } = await app();
    const top = await request(server)
      .post('/widgets')
      .send({ name: 'w', colour: 'red', size: 3 });
    expect(top.status).toBe(400);
    expect(top.body.error).toEqual({
      name: 'InputError',
      message: 'request/body must NOT have additional properties: colour, size',
    });
    const nested = await request(server)
      .post('/widgets')
      .send({ name: 'w', parts: [{ sku: 'a' }, { sku: 'b', price: 1 }] });
    expect(nested.status).toBe(400);
    expect(nested.body.error.message).toBe(
      'request/body/parts/1 must NOT have additional properties: price',
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('leaves other errors and valid bodies alone', async () => {
    const { app: server, handler } = await app();
    const wrongType = await request(server).post('/widgets').send({ name: 1 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toBe(
      'request/body/name must be string',
    );
    const ok = await request(server).post('/widgets').send({ name: 'w' });
    expect(ok.status).toBe(201);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
