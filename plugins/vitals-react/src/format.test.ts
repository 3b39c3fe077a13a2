import {
  entityRefLabel,
  formatDate,
  formatDateTime,
  formatDays,
  formatMinutes,
  formatRate,
  formatUtcDate,
} from './format';

describe('formatDays', () => {
  it.each([
    [0.04, '0 days'],
    [0.5, '0.5 days'],
    [1, '1 day'],
    [1.04, '1 day'],
    [7.25, '7.3 days'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('%p reads as %p', (days, text) => {
    expect(formatDays(days)).toBe(text);
  });
});

describe('formatUtcDate', () => {
  it('shows the UTC day, whatever the time of day', () => {
    expect(formatUtcDate('2026-10-03T23:30:00.000Z')).toBe('3 Oct 2026');
    expect(formatUtcDate('2026-10-03T00:10:00.000Z')).toBe('3 Oct 2026');
  });

  it('shows a dash for no date or one it cannot read', () => {
    expect(formatUtcDate(undefined)).toBe('—');
    expect(formatUtcDate(null)).toBe('—');
    expect(formatUtcDate('')).toBe('—');
    expect(formatUtcDate('not a date')).toBe('—');
  });
});

describe('formatDate and formatDateTime', () => {
  it("use the viewer's locale, medium style", () => {
    const iso = '2026-11-26T10:00:00.000Z';
    expect(formatDate(iso)).toBe(
      new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }),
    );
    expect(formatDateTime(iso)).toBe(
      new Date(iso).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(formatDateTime(iso)).not.toBe(formatDate(iso));
  });
});

describe('entityRefLabel', () => {
  it.each([
    ['group:default/payments', 'payments'],
    ['user:default/jane', 'jane'],
    ['group:ops/sre', 'ops/sre'],
    ['Component:Default/Payments-API', 'Default/Payments-API'],
    ['not a ref', 'not a ref'],
  ])('%p reads as %p', (ref, label) => {
    expect(entityRefLabel(ref)).toBe(label);
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [33.5, '34 min'],
    [59.6, '1 h'],
    [200, '3 h 20 min'],
    [1439.7, '1 day'],
    [4219, '2 days 22 h'],
    [586.40625, '9 h 46 min'],
    [-3, '0 min'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('%p minutes read as %p', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0%'],
    [0.037, '3.7%'],
    [0.029850746268656716, '3%'],
    [0.15, '15%'],
    [1 / 3, '33.3%'],
    [1, '100%'],
    [null, '—'],
  ])('%p reads as %p', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});
