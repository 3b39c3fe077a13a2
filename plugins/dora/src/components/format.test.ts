import {
  formatDeploymentDays,
  formatHours,
  formatSeconds,
  formatMinutes,
  formatMinutesShort,
  formatRate,
  tierLabel,
  tierRank,
} from './format';

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [33.5, '34 min'],
    [45, '45 min'],
    [59.6, '1 h'],
    [60, '1 h'],
    [200, '3 h 20 min'],
    [1439, '23 h 59 min'],
    [1439.7, '1 day'],
    [1440, '1 day'],
    [1500.25, '1 day 1 h'],
    [3600, '2 days 12 h'],
    [4310, '3 days'],
    [43200, '30 days'],
    [null, '—'],
  ])('%p minutes read as %p', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0%'],
    [0.125, '12.5%'],
    [1 / 3, '33.3%'],
    [1, '100%'],
    [null, '—'],
  ])('%p reads as %p', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('formatDeploymentDays', () => {
  it('says days per week or month', () => {
    expect(formatDeploymentDays(1, 'week')).toBe('1 day / week');
    expect(formatDeploymentDays(3.5, 'week')).toBe('3.5 days / week');
    expect(formatDeploymentDays(2, 'month')).toBe('2 days / month');
    expect(formatDeploymentDays(null, 'week')).toBe('—');
  });
});

describe('formatMinutesShort', () => {
  it('uses one unit, for chart axes', () => {
    expect(formatMinutesShort(45)).toBe('45 min');
    expect(formatMinutesShort(800)).toBe('13.3 h');
    expect(formatMinutesShort(2160)).toBe('1.5 d');
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [59.4, '59 s'],
    [60, '1 min'],
    [81.704, '1 min 22 s'],
    [480, '8 min'],
    [599.6, '10 min'],
    [841.046, '14 min'],
    [1270, '21 min'],
    [7660, '2 h 8 min'],
    [16779.882, '4 h 40 min'],
    [null, '—'],
  ])('%p seconds read as %p', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('formatHours', () => {
  it.each([
    [3.2, '3 h 12 min'],
    [24, '1 day'],
    [41.5, '1 day 18 h'],
    [null, '—'],
  ])('%p hours read as %p', (hours, text) => {
    expect(formatHours(hours)).toBe(text);
  });
});

describe('tiers', () => {
  it('ranks the tiers of @vitals/plugin-dora-common best first, no tier last', () => {
    expect(
      (['low', null, 'elite', 'medium', 'high'] as const)
        .slice()
        .sort((a, b) => tierRank(a) - tierRank(b))
        .map(tierLabel),
    ).toEqual(['Elite', 'High', 'Medium', 'Low', 'Not enough data']);
  });
});
