import {
  changeFailureRateTier,
  deploymentDaysPerBucket,
  deploymentFrequencyTier,
  leadTimeParts,
  leadTimeTier,
  median,
  percentile,
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
