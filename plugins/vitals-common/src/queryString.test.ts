import { toQueryString } from './queryString';

describe('toQueryString', () => {
  it('leaves out empty values and sends lists comma-separated', () => {
    expect(
      toQueryString({
        a: 1,
        b: ['x', 'y'],
        c: undefined,
        d: null,
        e: '',
        f: [],
      }),
    ).toBe('?a=1&b=x%2Cy');
  });

  it('is empty when nothing is left', () => {
    expect(toQueryString(undefined)).toBe('');
    expect(toQueryString({ a: undefined })).toBe('');
  });
});
