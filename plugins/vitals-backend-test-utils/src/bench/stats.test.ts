import { percentile, summarize } from './stats';

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([3, 7, 9], 50)).toBe(7);
    expect(percentile([3, 7, 9], 0)).toBe(3);
  });

  it('refuses an empty series rather than printing a figure that is not one', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no timings');
  });
});

describe('summarize', () => {
  it('sorts a copy and gives count, p50, p95 and max', () => {
    const timings = [9, 1, 5, 3, 7, 2, 8, 4, 6, 10];
    expect(summarize(timings)).toEqual({ count: 10, p50: 5, p95: 10, max: 10 });
    expect(timings[0]).toBe(9);
  });
});
