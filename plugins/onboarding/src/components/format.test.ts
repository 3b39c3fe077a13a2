import {
  entityRefLabel as shortRef,
  formatDays,
  formatUtcDate as formatDate,
} from '@vitals/react';
import { entityRefOfDocsUrl, formatCohort, percentDone } from './format';

describe('format', () => {
  it('formats days with one decimal, and no figure as a dash', () => {
    expect(formatDays(0.04)).toBe('0 days');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(7.25)).toBe('7.3 days');
    expect(formatDays(null)).toBe('—');
    expect(formatDays(undefined)).toBe('—');
  });

  it('formats dates in UTC and cohorts as months', () => {
    expect(formatDate('2026-10-03T23:30:00.000Z')).toBe('3 Oct 2026');
    expect(formatDate(undefined)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
    expect(formatCohort('2026-01')).toBe('Jan 2026');
    expect(formatCohort('weird')).toBe('weird');
  });

  it('rounds progress and survives empty checklists', () => {
    expect(percentDone(1, 3)).toBe(33);
    expect(percentDone(0, 0)).toBe(0);
  });

  it('shortens refs in the default namespace only', () => {
    expect(shortRef('user:default/jane')).toBe('jane');
    expect(shortRef('group:ops/sre')).toBe('ops/sre');
  });

  it('finds the entity of a TechDocs URL, relative or absolute', () => {
    expect(
      entityRefOfDocsUrl('/docs/default/Component/payments-api/runbook/'),
    ).toBe('component:default/payments-api');
    expect(
      entityRefOfDocsUrl('https://portal.example.com/docs/ops/system/billing'),
    ).toBe('system:ops/billing');
    expect(entityRefOfDocsUrl('https://example.com/runbook')).toBeUndefined();
    expect(entityRefOfDocsUrl('/docs/default')).toBeUndefined();
    // A malformed escape is no entity (rather than an error thrown from a click).
    expect(
      entityRefOfDocsUrl('/docs/default/component/%E0%A4%A'),
    ).toBeUndefined();
  });
});
