import { benchSizes } from './run';

describe('benchSizes', () => {
  const defaults = { entities: 5_000, tiEntities: 200, p95TargetMs: 50 };

  it('reads each size from its BENCH_ variable, else takes the default', () => {
    expect(
      benchSizes(defaults, { BENCH_ENTITIES: '100', BENCH_TI_ENTITIES: '0' }),
    ).toEqual({ entities: 100, tiEntities: 0, p95TargetMs: 50 });
    expect(
      benchSizes(defaults, { BENCH_P95_TARGET_MS: '12.5', BENCH_ENTITIES: '' }),
    ).toEqual({ entities: 5_000, tiEntities: 200, p95TargetMs: 12.5 });
  });

  it('stops on a value that is not a size', () => {
    expect(() => benchSizes(defaults, { BENCH_ENTITIES: 'many' })).toThrow(
      "BENCH_ENTITIES must be a number of 0 or more, got 'many'",
    );
    expect(() => benchSizes(defaults, { BENCH_TI_ENTITIES: '-1' })).toThrow(
      "BENCH_TI_ENTITIES must be a number of 0 or more, got '-1'",
    );
  });
});
