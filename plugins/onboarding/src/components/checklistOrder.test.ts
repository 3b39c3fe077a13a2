import type { Checklist } from '@vitals/plugin-onboarding-common';
import {
  groupDepths,
  isChecklistDone,
  orderChecklists,
} from './checklistOrder';

const checklist = (
  id: string,
  scope: { groupRef?: string; entityRef?: string },
  progress: Partial<Checklist> = {},
): Checklist => ({
  id,
  templateId: id,
  title: id,
  userRef: 'user:default/guest',
  stalled: false,
  done: 0,
  total: 3,
  steps: [],
  ...scope,
  ...progress,
});

describe('orderChecklists', () => {
  const service = checklist('service-basics:payments-api', {
    entityRef: 'component:default/payments-api',
  });
  const team = checklist('payments-team', {
    groupRef: 'group:default/payments',
  });
  const org = checklist('engineering-basics', {
    groupRef: 'group:default/engineering',
  });

  it('puts the org-wide checklist first, then the team’s, then each service’s', () => {
    const depth = new Map([
      ['group:default/engineering', 0],
      ['group:default/payments', 1],
    ]);
    expect(
      orderChecklists([service, team, org], ref => depth.get(ref)).map(
        c => c.id,
      ),
    ).toEqual([
      'engineering-basics',
      'payments-team',
      'service-basics:payments-api',
    ]);
  });

  it('puts team checklists before service ones when the group tree is unknown, keeping their order', () => {
    const other = checklist('service-basics:ledger', {
      entityRef: 'component:default/ledger',
    });
    expect(orderChecklists([service, team, other, org]).map(c => c.id)).toEqual(
      [
        'payments-team',
        'engineering-basics',
        'service-basics:payments-api',
        'service-basics:ledger',
      ],
    );
  });
});

describe('isChecklistDone', () => {
  it('is done when completed or when every step is done', () => {
    expect(
      isChecklistDone(
        checklist('a', {}, { completedAt: '2026-10-05T00:00:00Z' }),
      ),
    ).toBe(true);
    expect(isChecklistDone(checklist('a', {}, { done: 3, total: 3 }))).toBe(
      true,
    );
    expect(isChecklistDone(checklist('a', {}, { done: 2, total: 3 }))).toBe(
      false,
    );
    expect(isChecklistDone(checklist('a', {}, { done: 0, total: 0 }))).toBe(
      false,
    );
  });
});

describe('groupDepths', () => {
  it('counts the parents up to the root, reading each group once', async () => {
    const parents: Record<string, string | undefined> = {
      'group:default/payments': 'group:default/engineering',
      'group:default/fraud': 'group:default/payments',
      'group:default/engineering': undefined,
    };
    const parentOf = jest.fn(async (ref: string) => parents[ref]);
    const depths = await groupDepths(
      [
        'group:default/fraud',
        'group:default/payments',
        'group:default/engineering',
      ],
      parentOf,
    );
    expect(Object.fromEntries(depths)).toEqual({
      'group:default/engineering': 0,
      'group:default/payments': 1,
      'group:default/fraud': 2,
    });
    expect(parentOf).toHaveBeenCalledTimes(3);
  });

  it('stops at a cycle and at a group that cannot be read', async () => {
    const depths = await groupDepths(
      ['group:default/a', 'group:default/x'],
      async ref => {
        if (ref === 'group:default/a') return 'group:default/b';
        if (ref === 'group:default/b') return 'group:default/a';
        throw new Error('catalog unavailable');
      },
    );
    expect(depths.get('group:default/a')).toBe(1);
    expect(depths.get('group:default/x')).toBe(0);
  });
});
