import { mapWithConcurrency } from './mapWithConcurrency';

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` calls in flight and the results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 1, 2, 5, 1], 4, async n => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise(resolve => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(most).toBe(4);
    expect(results).toEqual([50, 10, 40, 20, 30, 10, 20, 50, 10].map(value => ({ value })));
  });

  it('reports a failed call in its place and carries on', async () => {
    const results = await mapWithConcurrency(['a', 'b', 'c'], 2, async s => {
      if (s === 'b') throw new Error('no b');
      return s.toUpperCase();
    });
    expect(results[0]).toEqual({ value: 'A' });
    expect((results[1] as { error: Error }).error.message).toBe('no b');
    expect(results[2]).toEqual({ value: 'C' });
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
});
