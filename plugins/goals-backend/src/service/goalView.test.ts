import { StoredGoal, StoredKeyResult } from '../database/GoalsStore';
import { goalView } from './goalView';

const kr = (overrides: Partial<StoredKeyResult>): StoredKeyResult => ({
  id: '00000000-0000-4000-8000-000000000001',
  title: 'Lead time under a day',
  figure: {
    source: 'dora',
    metric: 'leadTimeForChanges',
    scope: { kind: 'team', ref: 'group:default/payments' },
  },
  direction: 'down',
  target: 24,
  baseline: 48,
  baselineAt: '2026-10-01T00:00:00.000Z',
  current: 36,
  currentAt: '2026-11-16T00:00:00.000Z',
  available: true,
  unavailableReason: null,
  ...overrides,
});

const goal = (keyResults: StoredKeyResult[]): StoredGoal => ({
  id: '00000000-0000-4000-8000-000000000000',
  objective: 'Faster',
  description: '',
  ownerRef: 'group:default/payments',
  period: '2026-Q4',
  periodStart: '2026-10-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  keyResults,
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  createdBy: 'user:default/a',
  updatedAt: '2026-10-01T00:00:00.000Z',
  updatedBy: 'user:default/a',
});

describe('goalView', () => {
  it('starts the expected line at the baseline of a key result set mid-period', () => {
    // Baseline taken on 24 October; on 16 November 23 of the 69 days from then to the end have passed: 33.3 %.
    const view = goalView(
      goal([kr({ baselineAt: '2026-10-24T00:00:00.000Z', current: 40 })]),
      new Date('2026-11-16T00:00:00Z'),
    );
    // 8 of 24 hours gained: 33.3 %, on the line.
    expect(view.keyResults[0]).toMatchObject({
      progress: 33.3,
      expectedProgress: 33.3,
      status: 'on_track',
    });
    expect(view).toMatchObject({
      progress: 33.3,
      expectedProgress: 33.3,
      status: 'on_track',
    });
  });

  it('says not started before the period and no data when the figure was never read', () => {
    const before = goalView(
      goal([kr({ baseline: null, baselineAt: null, current: 50 })]),
      new Date('2026-09-20T00:00:00Z'),
    );
    expect(before.keyResults[0]).toMatchObject({
      status: 'not_started',
      progress: null,
      expectedProgress: 0,
    });
    expect(before.status).toBe('not_started');
    const never = goalView(
      goal([kr({ current: null, available: false })]),
      new Date('2026-11-16T00:00:00Z'),
    );
    expect(never.keyResults[0].status).toBe('no_data');
  });
});
