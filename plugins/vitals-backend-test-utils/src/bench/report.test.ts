import { latencyTable } from './report';
import { seededRandom } from './random';

describe('latencyTable', () => {
  it('lines up the figures under their headers', () => {
    expect(
      latencyTable([{ name: 'list', p50: 1.25, p95: 12.5, max: 130 }], {
        nameWidth: 10,
      }),
    ).toEqual([
      'scenario    p50 ms  p95 ms  max ms',
      'list           1.3    12.5   130.0',
    ]);
  });

  it('adds the note column only when it has a header', () => {
    const rows = [
      { name: 'a', p50: 1, p95: 2, max: 3, note: '< 20 ms' },
      { name: 'b', p50: 1, p95: 2, max: 3 },
    ];
    expect(
      latencyTable(rows, { nameWidth: 4, noteHeader: 'target p95' }),
    ).toEqual([
      'scenario  p50 ms  p95 ms  max ms  target p95',
      'a        1.0     2.0     3.0  < 20 ms',
      'b        1.0     2.0     3.0',
    ]);
  });
});

describe('seededRandom', () => {
  it('gives the same numbers in [0, 1) for the same seed and others for another seed', () => {
    const take = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 1000 }, () => random());
    };
    const first = take(42);
    expect(take(42)).toEqual(first);
    expect(take(43)).not.toEqual(first);
    expect(first.every(x => x >= 0 && x < 1)).toBe(true);
    // Spread over the range, not stuck in a corner of it.
    expect(first.filter(x => x < 0.5).length).toBeGreaterThan(400);
    expect(first.filter(x => x < 0.5).length).toBeLessThan(600);
  });
});
