import { chunks } from './chunks';

describe('chunks', () => {
  it('splits in order into slices of at most the size', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
    expect(chunks([1, 2], 5)).toEqual([[1, 2]]);
  });

  it('refuses a size that would loop forever or lose items', () => {
    expect(() => chunks([1], 0)).toThrow(/positive whole number/);
    expect(() => chunks([1], 1.5)).toThrow(/positive whole number/);
  });
});
