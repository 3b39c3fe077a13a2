import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityOwnership } from '@vitals/plugin-ownership-common';
import {
  createOwnershipFactProvider,
  OWNERSHIP_FACT_IDS,
  ownershipFactsOf,
} from './ownershipFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'group:default/payments' },
});

function ownership(
  entityRef: string,
  overrides: Partial<EntityOwnership> = {},
): EntityOwnership {
  return {
    entityRef,
    kind: 'Component',
    title: null,
    systemRef: null,
    ownerRef: 'group:default/payments',
    owner: {
      ref: 'group:default/payments',
      kind: 'group',
      exists: true,
      title: 'Payments',
      memberCount: 4,
      members: [],
      parent: null,
    },
    contacts: [],
    onCall: [],
    links: [],
    healthy: true,
    problems: [],
    checks: [
      'no-owner',
      'owner-unresolved',
      'owner-no-members',
      'owner-single-member',
      'no-contact',
      'confirmation-overdue',
    ],
    confirmation: {
      status: 'current',
      lastConfirmedAt: '2026-03-01T10:00:00.000Z',
      lastConfirmedBy: 'user:default/alice',
      dueAt: '2026-08-28T10:00:00.000Z',
      periodDays: 180,
    },
    ...overrides,
  };
}

const now = new Date('2026-04-01T09:00:00.000Z');

describe('ownershipFactsOf', () => {
  it('maps the verdict, problems, confirmation age in whole days and owner members', () => {
    expect(ownershipFactsOf(ownership('component:default/a'), now)).toEqual({
      'ownership.healthy': true,
      'ownership.problems': [],
      'ownership.problemCount': 0,
      'ownership.confirmationStatus': 'current',
      'ownership.confirmationAgeDays': 30,
      'ownership.ownerMembers': 4,
    });
  });

  it('lists problem kinds; never confirmed and no owner are "no data"', () => {
    const facts = ownershipFactsOf(
      ownership('component:default/orphan', {
        ownerRef: null,
        owner: null,
        healthy: false,
        problems: [
          { kind: 'no-owner', message: 'No owner' },
          { kind: 'no-contact', message: 'No contact' },
        ],
        confirmation: {
          status: 'never',
          lastConfirmedAt: null,
          lastConfirmedBy: null,
          dueAt: null,
          periodDays: 180,
        },
      }),
      now,
    );
    expect(facts).toEqual({
      'ownership.healthy': false,
      'ownership.problems': ['no-owner', 'no-contact'],
      'ownership.problemCount': 2,
      'ownership.confirmationStatus': 'never',
      'ownership.confirmationAgeDays': null,
      'ownership.ownerMembers': null,
    });
  });
});

describe('createOwnershipFactProvider', () => {
  it('asks once per entity, returns only the wanted facts, "no data" for an unknown entity, reports a failed one', async () => {
    const logger = mockServices.logger.mock();
    const reportFailure = jest.fn();
    const getEntityOwnership = jest.fn(async (ref: string) => {
      if (ref === 'component:default/gone') {
        throw Object.assign(new Error('404 Not Found'), {
          response: { status: 404 },
        });
      }
      if (ref === 'component:default/slow')
        throw new Error('504 Gateway Timeout');
      return ownership(ref);
    });
    const provider = createOwnershipFactProvider({
      client: { getEntityOwnership },
      logger,
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('gone'), component('slow')],
      factIds: ['ownership.healthy', 'ownership.ownerMembers'],
      reportFailure,
    });
    expect(getEntityOwnership.mock.calls.map(c => c[0])).toEqual([
      'component:default/a',
      'component:default/gone',
      'component:default/slow',
    ]);
    expect(facts.get('component:default/a')).toEqual({
      'ownership.healthy': true,
      'ownership.ownerMembers': 4,
    });
    expect(facts.has('component:default/gone')).toBe(false);
    expect(facts.has('component:default/slow')).toBe(false);
    expect(reportFailure.mock.calls.map(c => c[0])).toEqual([
      'component:default/slow',
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(provider.facts.map(f => f.id).sort()).toEqual(
      Object.values(OWNERSHIP_FACT_IDS).sort(),
    );
  });
});
