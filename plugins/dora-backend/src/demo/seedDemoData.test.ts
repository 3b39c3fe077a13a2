import { median, reworkDeploymentIds } from '@vitals/plugin-dora-common';
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
          // Open pull requests have no first commit time.
          .filter(c => c.author === author && c.authoredAt)
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

describe('demo pull requests', () => {
  const HOUR = 3_600_000;
  type Profile = 'elite' | 'high' | 'medium' | 'low';
  const changesOf = (ref: string, profile: Profile) =>
    demoEventsFor(ref, profile, NOW).flatMap(e =>
      e.type === 'change' && e.createdAt ? [e] : [],
    );
  /** Median hours from opening to the first review, over the pull requests merged in the 90 days before NOW. */
  const pickupHours = (ref: string, profile: Profile) =>
    median(
      changesOf(ref, profile)
        .filter(
          c =>
            c.mergedAt &&
            c.firstReviewAt &&
            Date.parse(c.mergedAt) >= daysAgo(90),
        )
        .map(
          c => (Date.parse(c.firstReviewAt!) - Date.parse(c.createdAt!)) / HOUR,
        ),
    )!;

  it('has every Payments service wait well over a day for first reviews, and the other teams pick up within hours', () => {
    // examples/entities.yaml: Payments owns the first three, at three different paces of delivery.
    const payments = [
      ['component:default/payments-api', 'elite'],
      ['component:default/ledger-service', 'high'],
      ['component:default/fraud-detector', 'medium'],
    ] as const;
    const others = [
      ['component:default/storefront-web', 'elite'],
      ['component:default/checkout-api', 'high'],
      ['component:default/catalog-search', 'medium'],
      ['component:default/recommendations', 'low'],
      ['component:default/legacy-reporting', 'low'],
    ] as const;
    const rounded = (list: ReadonlyArray<readonly [string, Profile]>) =>
      Object.fromEntries(
        list.map(([ref, profile]) => [
          ref,
          Math.round(pickupHours(ref, profile)),
        ]),
      );
    for (const hours of Object.values(rounded(payments))) {
      expect(hours).toBeGreaterThanOrEqual(36);
      expect(hours).toBeLessThanOrEqual(60);
    }
    for (const hours of Object.values(rounded(others)))
      expect(hours).toBeLessThanOrEqual(8);
  });

  it('opens a Payments pull request earlier by its wait, so the wait adds to its lead time and not to its coding time', () => {
    const merged = (ref: string, profile: Profile) =>
      changesOf(ref, profile).filter(c => c.mergedAt && c.firstReviewAt);
    const hours = (from: string, to: string) =>
      (Date.parse(to) - Date.parse(from)) / HOUR;
    // payments-api and storefront-web deliver alike (elite): coding the same, opening → merge a day and more longer.
    const payments = merged('component:default/payments-api', 'elite');
    const storefront = merged('component:default/storefront-web', 'elite');
    const codingOf = (cs: typeof payments) =>
      median(cs.map(c => hours(c.authoredAt!, c.createdAt!)))!;
    const openOf = (cs: typeof payments) =>
      median(cs.map(c => hours(c.createdAt!, c.mergedAt!)))!;
    expect(codingOf(payments)).toBeLessThan(5);
    expect(codingOf(storefront)).toBeLessThan(5);
    expect(openOf(payments) - openOf(storefront)).toBeGreaterThan(30);
    // A review never comes after the merge.
    for (const c of [...payments, ...storefront])
      expect(Date.parse(c.firstReviewAt!)).toBeLessThanOrEqual(
        Date.parse(c.mergedAt!),
      );
  });

  it('merges a few pull requests without a review and sizes every one, some over 400 lines', () => {
    const merged = changesOf('component:default/ledger-service', 'high').filter(
      c => c.mergedAt,
    );
    const unreviewed = merged.filter(c => !c.firstReviewAt).length;
    expect(unreviewed).toBeGreaterThan(0);
    expect(unreviewed).toBeLessThan(merged.length / 8);
    const lines = merged.map(c => c.additions! + c.deletions!);
    expect(lines.every(n => Number.isInteger(n) && n >= 5)).toBe(true);
    const large = lines.filter(n => n > 400).length;
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(merged.length / 3);
  });

  it('leaves pull requests of Payments waiting for review now, some of them overdue', () => {
    const waiting = changesOf('component:default/payments-api', 'elite').filter(
      c => !c.mergedAt && !c.firstReviewAt,
    );
    const hours = waiting.map(
      c => (NOW.getTime() - Date.parse(c.createdAt!)) / HOUR,
    );
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(hours.some(h => h >= 24)).toBe(true);
    expect(hours.some(h => h < 24)).toBe(true);
    expect(waiting.every(c => !c.authoredAt && c.author)).toBe(true);
    expect(new Set(waiting.map(c => c.id)).size).toBe(waiting.length);
  });
});

describe('demo rework (DORA 2024)', () => {
  const SERVICES = [
    'component:default/payments-api',
    'component:default/ledger-service',
    'component:default/fraud-detector',
    'component:default/recommendations',
  ] as const;
  const PROFILE = {
    'component:default/payments-api': 'elite',
    'component:default/ledger-service': 'high',
    'component:default/fraud-detector': 'medium',
    'component:default/recommendations': 'low',
  } as const;

  /** Rework by the reference computation, incidents linked to the latest production deployment before them. */
  function reworkOf(entityRef: (typeof SERVICES)[number]) {
    const events = demoEventsFor(entityRef, PROFILE[entityRef], NOW);
    const deployments = events.flatMap(e =>
      e.type === 'deployment'
        ? [
            {
              id: e.id,
              finishedAt: Date.parse(e.finishedAt),
              counted: e.status === 'success' && e.environment === 'production',
              rework: e.rework === true,
            },
          ]
        : [],
    );
    const incidents = events.flatMap(e => {
      if (e.type !== 'incident') return [];
      const createdAt = Date.parse(e.createdAt);
      const before = deployments
        .filter(d => d.counted && d.finishedAt < createdAt)
        .sort((a, b) => b.finishedAt - a.finishedAt);
      return [
        {
          createdAt,
          resolvedAt: e.resolvedAt ? Date.parse(e.resolvedAt) : null,
          linkedDeploymentId: before[0]?.id ?? null,
        },
      ];
    });
    const rework = reworkDeploymentIds(deployments, incidents);
    const counted = deployments.filter(d => d.counted);
    return {
      counted: counted.length,
      rework: rework.size,
      flagged: counted.filter(d => d.rework).length,
      followingIncidents: counted.filter(d => rework.has(d.id) && !d.rework)
        .length,
    };
  }

  it('flags a few deployments and ships hotfixes while incidents are open, the same on every run', () => {
    const figures = SERVICES.map(reworkOf);
    expect(SERVICES.map(reworkOf)).toEqual(figures);
    const total = (
      key: 'counted' | 'rework' | 'flagged' | 'followingIncidents',
    ) => figures.reduce((sum, f) => sum + f[key], 0);
    expect(total('flagged')).toBeGreaterThan(0);
    expect(total('followingIncidents')).toBeGreaterThan(0);
    expect(total('rework')).toBeLessThan(total('counted') / 5);
    for (const f of figures) expect(f.rework).toBeLessThan(f.counted);
  });
});
