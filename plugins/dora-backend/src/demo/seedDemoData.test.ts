import { demoAuthorsAt, demoEventsFor } from './seedDemoData';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T18:00:00.000Z');
const daysAgo = (days: number) => NOW.getTime() - days * DAY;

describe('demo authors', () => {
  it('has the veterans author all year and the newcomers only from when they joined', () => {
    expect(demoAuthorsAt(daysAgo(300), NOW)).toEqual([
      'jonas.berg',
      'maria.santos',
    ]);
    expect(demoAuthorsAt(daysAgo(141.01), NOW)).toEqual([
      'jonas.berg',
      'maria.santos',
    ]);
    expect(demoAuthorsAt(daysAgo(140.99), NOW)).toEqual([
      'jonas.berg',
      'maria.santos',
      'amira.haddad',
    ]);
    expect(demoAuthorsAt(daysAgo(11.99), NOW)).toEqual([
      'jonas.berg',
      'maria.santos',
      'amira.haddad',
      'li.wei',
    ]);
    expect(demoAuthorsAt(NOW.getTime(), NOW)).not.toContain('tom.okafor');
  });

  it('authors the changes of the example services accordingly, the same on every run', () => {
    const services = [
      ['component:default/payments-api', 'elite'],
      ['component:default/checkout-api', 'high'],
      ['component:default/fraud-detector', 'medium'],
    ] as const;
    const changes = services
      .flatMap(([ref, profile]) => demoEventsFor(ref, profile, NOW))
      .filter(e => e.type === 'change');
    const firstAuthored = (author: string) =>
      Math.min(
        ...changes
          .filter(c => c.author === author)
          .map(c => Date.parse(c.authoredAt!)),
      );
    expect(new Set(changes.map(c => c.author))).toEqual(
      new Set(['jonas.berg', 'maria.santos', 'amira.haddad', 'li.wei']),
    );
    expect(firstAuthored('jonas.berg')).toBeLessThan(daysAgo(360));
    expect(firstAuthored('maria.santos')).toBeLessThan(daysAgo(360));
    expect(firstAuthored('amira.haddad')).toBeGreaterThanOrEqual(daysAgo(141));
    expect(firstAuthored('amira.haddad')).toBeLessThan(daysAgo(139));
    expect(firstAuthored('li.wei')).toBeGreaterThanOrEqual(daysAgo(12));
    expect(
      demoEventsFor('component:default/payments-api', 'elite', NOW),
    ).toEqual(demoEventsFor('component:default/payments-api', 'elite', NOW));
  });
});
