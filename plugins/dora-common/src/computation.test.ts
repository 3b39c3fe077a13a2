import {
  changeFailureRateTier,
  deploymentDaysPerBucket,
  deploymentFrequencyTier,
  failedDeploymentRecoveryMinutes,
  failedDeploymentRecoveryTimeTier,
  leadTimeParts,
  leadTimeTier,
  median,
  percentile,
  reworkDeploymentIds,
  sortedMedian,
  sortedPercentile,
  spanMinutes,
  timeToRestoreTier,
} from './computation';

const t = (iso: string) => Date.parse(iso);

describe('lead time', () => {
  it('rounds each part up to whole minutes and floors negatives at 0', () => {
    expect(spanMinutes(0, 1)).toBe(1);
    expect(spanMinutes(0, 60_000)).toBe(1);
    expect(spanMinutes(0, 60_001)).toBe(2);
    expect(spanMinutes(10, 0)).toBe(0);
    expect(spanMinutes(null, 0)).toBeNull();
    expect(
      leadTimeParts({
        authoredAt: t('2026-01-01T00:00:00Z'),
        createdAt: t('2026-01-01T01:00:30Z'),
        firstReviewAt: null,
        mergedAt: t('2026-01-01T02:00:00Z'),
        deployedAt: t('2026-01-01T02:00:00.001Z'),
      }),
    ).toEqual({
      codingMinutes: 61,
      pickupMinutes: null,
      reviewMinutes: null,
      mergeMinutes: 60,
      deployMinutes: 1,
      leadTimeMinutes: 122,
    });
  });

  it('has no lead time for an open pull request or an undeployed change', () => {
    const open = leadTimeParts({
      authoredAt: 0,
      createdAt: 60_000,
      firstReviewAt: null,
      mergedAt: null,
      deployedAt: 120_000,
    });
    expect(open.leadTimeMinutes).toBeNull();
    const undeployed = leadTimeParts({
      authoredAt: 0,
      createdAt: null,
      firstReviewAt: null,
      mergedAt: null,
      deployedAt: null,
    });
    expect(undeployed.leadTimeMinutes).toBeNull();
    const plain = leadTimeParts({
      authoredAt: 0,
      createdAt: null,
      firstReviewAt: null,
      mergedAt: null,
      deployedAt: 90 * 60_000,
    });
    expect(plain).toMatchObject({ deployMinutes: 90, leadTimeMinutes: 90 });
  });
});

describe('median and buckets', () => {
  it('is the standard median, null for nothing', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reads the median and percentiles of values already sorted, typed arrays too, as of unsorted ones', () => {
    const values = [7, 1, 300, 12, 12, 45, 2];
    const sorted = Float64Array.from(values).sort();
    expect(sortedMedian(sorted)).toBe(median(values));
    expect(sortedMedian(sorted)).toBe(12);
    expect(sortedPercentile(sorted, 0.75)).toBe(percentile(values, 0.75));
    // Rank 4.5 of [1, 2, 7, 12, 12, 45, 300]: halfway between 12 and 45.
    expect(sortedPercentile(sorted, 0.75)).toBe(28.5);
    expect(sortedMedian(new Float64Array(0))).toBeNull();
    expect(sortedPercentile([], 0.75)).toBeNull();
  });

  it('counts distinct UTC dates per full bucket from the start of the window', () => {
    const from = t('2026-01-05T12:00:00Z');
    const times = [
      '2026-01-05T13:00:00Z',
      '2026-01-05T23:00:00Z',
      '2026-01-12T11:59:59Z',
      '2026-01-12T12:00:00Z',
      '2026-01-20T00:00:00Z',
    ].map(t);
    // Bucket 0 holds two dates (Jan 5, Jan 12 before noon), bucket 1 one date (Jan 12 from noon); Jan 20 is past the
    // last full bucket of a 14.5-day window.
    expect(
      deploymentDaysPerBucket(times, from, from + 14.5 * 86_400_000, 7),
    ).toEqual([2, 1]);
    expect(
      deploymentDaysPerBucket(times, from, from + 6 * 86_400_000, 7),
    ).toEqual([]);
  });
});

describe('tiers', () => {
  it('rates deployment frequency per benchmark', () => {
    expect(
      deploymentFrequencyTier('2023', { weeklyMedian: 5, monthlyMedian: 20 }),
    ).toBe('elite');
    expect(
      deploymentFrequencyTier('2023', { weeklyMedian: 1, monthlyMedian: 4 }),
    ).toBe('high');
    expect(
      deploymentFrequencyTier('2023', { weeklyMedian: 0, monthlyMedian: 1 }),
    ).toBe('medium');
    expect(
      deploymentFrequencyTier('2023', { weeklyMedian: 0, monthlyMedian: 0 }),
    ).toBe('low');
    expect(
      deploymentFrequencyTier('2023', {
        weeklyMedian: null,
        monthlyMedian: null,
      }),
    ).toBeNull();
    expect(
      deploymentFrequencyTier('2021', { weeklyMedian: 4.5, monthlyMedian: 1 }),
    ).toBe('high');
    expect(
      deploymentFrequencyTier('2021', {
        weeklyMedian: 0,
        monthlyMedian: 0,
        deployedInLast180Days: true,
      }),
    ).toBe('medium');
    expect(
      deploymentFrequencyTier('2021', {
        weeklyMedian: 0,
        monthlyMedian: 0,
        deployedInLast180Days: false,
      }),
    ).toBe('low');
  });

  it('rates lead time, change failure rate and restore at the exact thresholds', () => {
    expect(leadTimeTier('2023', 1439)).toBe('elite');
    expect(leadTimeTier('2023', 1440)).toBe('high');
    expect(leadTimeTier('2023', 30 * 1440)).toBe('low');
    expect(leadTimeTier('2021', 59)).toBe('elite');
    expect(leadTimeTier('2021', 60)).toBe('high');
    expect(leadTimeTier('2021', 179 * 1440)).toBe('medium');
    expect(leadTimeTier('2021', null)).toBeNull();
    expect(changeFailureRateTier('2023', 1 / 20)).toBe('elite');
    expect(changeFailureRateTier('2023', 0.1)).toBe('high');
    expect(changeFailureRateTier('2023', 0.15)).toBe('medium');
    expect(changeFailureRateTier('2023', 0.151)).toBe('low');
    expect(changeFailureRateTier('2021', 0.15)).toBe('elite');
    expect(changeFailureRateTier('2021', 0.3)).toBe('medium');
    expect(changeFailureRateTier('2021', null)).toBeNull();
    expect(timeToRestoreTier(59.9)).toBe('elite');
    expect(timeToRestoreTier(60)).toBe('high');
    expect(timeToRestoreTier(7 * 1440)).toBe('low');
  });

  it('rates with the 2024 clusters: the four keys and failed-deployment recovery time', () => {
    // Frequency and lead time: the same bands as 2023.
    for (const [weeklyMedian, monthlyMedian, tier] of [
      [5, 20, 'elite'],
      [1, 4, 'high'],
      [0, 1, 'medium'],
      [0, 0, 'low'],
    ] as const) {
      expect(
        deploymentFrequencyTier('2024', { weeklyMedian, monthlyMedian }),
      ).toBe(tier);
    }
    expect(leadTimeTier('2024', 1439)).toBe('elite');
    expect(leadTimeTier('2024', 7 * 1440 - 1)).toBe('high');
    expect(leadTimeTier('2024', 30 * 1440 - 1)).toBe('medium');
    expect(leadTimeTier('2024', 30 * 1440)).toBe('low');
    // Change failure rate: elite 5 %, high 20 %; the medium cluster's 10 % is inside the high band.
    expect(changeFailureRateTier('2024', 1 / 20)).toBe('elite');
    expect(changeFailureRateTier('2024', 0.1)).toBe('high');
    expect(changeFailureRateTier('2024', 0.2)).toBe('high');
    expect(changeFailureRateTier('2024', 0.2001)).toBe('low');
    // Recovery: under an hour elite, under a day high (the medium cluster's too), else low.
    expect(failedDeploymentRecoveryTimeTier('2024', 59.9)).toBe('elite');
    expect(failedDeploymentRecoveryTimeTier('2024', 1439)).toBe('high');
    expect(failedDeploymentRecoveryTimeTier('2024', 1440)).toBe('low');
    expect(timeToRestoreTier(1440, '2024')).toBe('low');
    expect(failedDeploymentRecoveryTimeTier('2023', 1440)).toBe('medium');
    expect(failedDeploymentRecoveryTimeTier('2021', 7 * 1440)).toBe('low');
    expect(failedDeploymentRecoveryTimeTier('2024', null)).toBeNull();
    // The 2023 and 2021 tiers are what they were.
    expect(changeFailureRateTier('2023', 0.2)).toBe('low');
    expect(timeToRestoreTier(1440)).toBe('medium');
  });
});

describe('rework and recovery (DORA 2024)', () => {
  const h = (hours: number) => Date.UTC(2026, 0, 5) + hours * 3_600_000;
  const d = (id: string, hours: number, extra = {}) => ({
    id,
    finishedAt: h(hours),
    counted: true,
    rework: false,
    ...extra,
  });
  const deployments = [
    d('a', 0),
    d('b', 10, { rework: true }),
    d('c', 14),
    d('c2', 14),
    d('x', 13, { counted: false }),
    d('e', 30),
  ];

  it('counts flagged deployments and every first counted deployment after an incident, by its resolution', () => {
    expect(
      [
        ...reworkDeploymentIds(deployments, [
          // Caused by b; c and c2 finish first after it opened (ties are all first), before it was resolved.
          { createdAt: h(12), resolvedAt: h(15), linkedDeploymentId: 'b' },
          // Resolved before the next deployment: none restored it.
          { createdAt: h(15), resolvedAt: h(20), linkedDeploymentId: 'c' },
        ]),
      ].sort(),
    ).toEqual(['b', 'c', 'c2']);
    // Open, unlinked, or linked to the deployment itself: nothing.
    expect([
      ...reworkDeploymentIds(deployments, [
        { createdAt: h(15), resolvedAt: null, linkedDeploymentId: 'c' },
        { createdAt: h(-1), resolvedAt: h(1), linkedDeploymentId: null },
        { createdAt: h(29), resolvedAt: h(31), linkedDeploymentId: 'e' },
      ]),
    ]).toEqual(['b']);
    // A flag on a deployment that is not counted does not count.
    expect([
      ...reworkDeploymentIds([d('y', 1, { counted: false, rework: true })], []),
    ]).toEqual([]);
  });

  it('measures recovery from the deployment to the last linked incident resolved', () => {
    const incidents = [
      { createdAt: h(12), resolvedAt: h(15), linkedDeploymentId: 'b' },
      { createdAt: h(11), resolvedAt: h(16.5), linkedDeploymentId: 'b' },
      { createdAt: h(31), resolvedAt: null, linkedDeploymentId: 'e' },
    ];
    expect(failedDeploymentRecoveryMinutes(d('b', 10), incidents)).toBe(390);
    expect(failedDeploymentRecoveryMinutes(d('e', 30), incidents)).toBe('open');
    expect(failedDeploymentRecoveryMinutes(d('a', 0), incidents)).toBeNull();
    expect(
      failedDeploymentRecoveryMinutes(d('f', 20), [
        { createdAt: h(18), resolvedAt: h(19), linkedDeploymentId: 'f' },
      ]),
    ).toBe(0);
  });
});

describe('percentile', () => {
  it('interpolates between the closest ranks, as percentile_cont does', () => {
    // Sorted 10, 20, 30, 40: rank 0.75 · 3 = 2.25, a quarter of the way from 30 to 40.
    expect(percentile([40, 10, 30, 20], 0.75)).toBe(32.5);
    expect(percentile([40, 10, 30, 20], 0.5)).toBe(25);
    expect(percentile([7], 0.75)).toBe(7);
    expect(percentile([], 0.75)).toBeNull();
  });

  it('gives the standard median at 0.5', () => {
    for (const values of [[3, 1, 2], [5, 1, 9, 2], [4]])
      expect(percentile(values, 0.5)).toBe(median(values));
  });
});
