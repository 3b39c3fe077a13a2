import express from 'express';
import { serveRouter } from './server';
import { timeRequests, timeSequential } from './timing';

describe('timeSequential', () => {
  it('runs the warm-up and the measured runs in order and counts only the measured ones', async () => {
    const order: number[] = [];
    const summary = await timeSequential({ runs: 5, warmup: 2 }, async i => {
      order.push(i);
      await new Promise(resolve => setTimeout(resolve, i < 2 ? 60 : 1));
    });
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(summary.count).toBe(5);
    // The slow warm-up runs are not in the figures.
    expect(summary.max).toBeLessThan(50);
  });
});

describe('timeRequests', () => {
  const calls: Array<{ path: string; user?: string }> = [];
  const router = express.Router();
  router.get('/items', (req, res) => {
    calls.push({ path: req.url, user: req.header('authorization') });
    res.json({ count: Number(req.query.n) });
  });
  router.get('/broken', (_req, res) => {
    res.status(500).json({ error: 'boom' });
  });

  let server: Awaited<ReturnType<typeof serveRouter>>;
  beforeAll(async () => {
    server = await serveRouter('/api/widgets', router);
  });
  afterAll(async () => {
    await server.close();
    await server.close();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  it('sends the warm-up and measured requests with their headers and keeps the last answer', async () => {
    let n = 0;
    const result = await timeRequests(
      server.base,
      {
        name: 'items',
        url: () => `/items?n=${++n}`,
        headers: () => ({ authorization: `Bearer ${n}` }),
        check: b => expect(b.count).toBe(n),
      },
      { requests: 4, warmup: 1 },
    );
    expect(server.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/widgets$/);
    expect(calls).toEqual(
      [1, 2, 3, 4, 5].map(i => ({
        path: `/items?n=${i}`,
        user: `Bearer ${i}`,
      })),
    );
    expect(result).toMatchObject({
      name: 'items',
      count: 4,
      lastBody: { count: 5 },
    });
    expect(result.p50).toBeLessThanOrEqual(result.p95);
    expect(result.p95).toBeLessThanOrEqual(result.max);
  });

  it('fails on an answer other than 200', async () => {
    await expect(
      timeRequests(
        server.base,
        { name: 'broken', url: () => '/broken' },
        { requests: 1, warmup: 0 },
      ),
    ).rejects.toThrow('broken: 500 {"error":"boom"}');
  });

  it("fails when the scenario's check rejects an answer", async () => {
    const check = (body: { count: number }) => {
      if (body.count !== 1) throw new Error(`expected 1, got ${body.count}`);
    };
    await expect(
      timeRequests(
        server.base,
        { name: 'items', url: () => '/items?n=2', check },
        { requests: 3, warmup: 0 },
      ),
    ).rejects.toThrow('expected 1, got 2');
    expect(calls).toHaveLength(1);
  });
});
