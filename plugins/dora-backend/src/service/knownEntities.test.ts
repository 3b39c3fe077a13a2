import { KnownEntities } from './knownEntities';

describe('KnownEntities', () => {
  let now = 0;
  const known = (maxEntries = 10) =>
    new KnownEntities({ ttlMs: 60_000, maxEntries, now: () => now });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('trusts a ref the catalog had for the time to live, then asks again', () => {
    const cache = known();
    expect(cache.unknown(['component:default/a'])).toEqual([
      'component:default/a',
    ]);
    cache.remember(['component:default/a']);
    now += 59_999;
    expect(
      cache.unknown(['component:default/a', 'component:default/b']),
    ).toEqual(['component:default/b']);
    now += 1;
    expect(cache.unknown(['component:default/a'])).toEqual([
      'component:default/a',
    ]);
  });

  it('keeps the most recently seen refs when it is full', () => {
    const cache = known(2);
    cache.remember(['a', 'b']);
    cache.remember(['a']);
    cache.remember(['c']);
    expect(cache.unknown(['a', 'b', 'c'])).toEqual(['b']);
  });
});
