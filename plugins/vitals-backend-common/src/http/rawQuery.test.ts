import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import request from 'supertest';
import { keepRawQuery, rawQueryOf } from './rawQuery';

const spec = {
  openapi: '3.0.3',
  info: { title: 'widgets', version: '1' },
  servers: [{ url: '/' }],
  paths: {
    '/widgets': {
      get: {
        operationId: 'ListWidgets',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 500 },
          },
        ],
        responses: { '200': { description: 'Widgets.' } },
      },
    },
  },
} as const;

describe('keepRawQuery', () => {
  it('keeps the query as sent, where the OpenAPI validator has coerced 1e2 to 100', async () => {
    const router = await createValidatedOpenApiRouter<typeof spec>(spec, {
      middleware: [keepRawQuery()],
    });
    router.get('/widgets', (req, res) => {
      res.json({ validated: req.query, raw: rawQueryOf(req) } as any);
    });
    const res = await request(express().use(router)).get('/widgets?limit=1e2');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      validated: { limit: 100 },
      raw: { limit: '1e2' },
    });
  });

  it('falls back to req.query when nothing was kept', () => {
    const req = { query: { limit: '5' } } as any;
    expect(rawQueryOf(req)).toEqual({ limit: '5' });
  });
});
