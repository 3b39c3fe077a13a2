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
  const changesOf = (ref: string, profile: 'elite' | 'high') =>
    demoEventsFor(ref, profile, NOW).flatMap(e =>
      e.type === 'change' && e.createdAt ? [e] : [],
    );
  const pickupHours = (ref: string, profile: 'elite' | 'high') =>
    median(
      changesOf(ref, profile)
        .filter(c => c.mergedAt && c.firstReviewAt)
        .map(
          c => (Date.parse(c.firstReviewAt!) - Date.parse(c.createdAt!)) / HOUR,
        ),
    )!;

  it('has Payments wait longer for first reviews than Storefront, at the same pace of delivery', () => {
    // ledger-service and checkout-api deliver alike (high); Payments' reviews come late.
    expect(
      pickupHours('component:default/ledger-service', 'high'),
    ).toBeGreaterThan(
      2 * pickupHours('component:default/checkout-api', 'high'),
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
