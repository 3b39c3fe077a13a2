import { InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { routerTestApp } from './routerApp';

describe('routerTestApp', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const router = express.Router();
    router.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    router.get('/bad', () => {
      throw new InputError('Invalid query: limit: Too big');
    });
    router.get('/missing', async (_req, _res, next) => {
      next(new NotFoundError('No group here'));
    });
    server = http.createServer(routerTestApp(router));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  it('serves the router and answers its errors the way the backend does', async () => {
    const ok = await fetch(`${base}/ok`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });

    const bad = await fetch(`${base}/bad`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { name: 'InputError', message: 'Invalid query: limit: Too big' },
      response: { statusCode: 400 },
    });

    const missing = await fetch(`${base}/missing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.name).toBe('NotFoundError');
  });
});
