import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  OrgOnboardingReport,
  TeamOnboardingSummary,
} from '@vitals/plugin-onboarding-common';
import {
  createOnboardingFactProvider,
  ONBOARDING_FACT_IDS,
  onboardingTeamOf,
} from './onboardingFactProvider';

const component = (
  name: string,
  owner?: string,
  namespace?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { type: 'service', ...(owner ? { owner } : {}) },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [] },
});

function team(
  groupRef: string,
  overrides: Partial<TeamOnboardingSummary> = {},
): TeamOnboardingSummary {
  return {
    groupRef,
    title: groupRef,
    onboarding: 2,
    completed: 1,
    stalled: 1,
    medianDaysToFirstChange: 4.5,
    medianDaysToFirstDeploy: 6,
    ...overrides,
  };
}

const ALL = Object.values(ONBOARDING_FACT_IDS);

describe('onboardingTeamOf', () => {
  it('is the group itself for a Group, and the owning group for other kinds', () => {
    expect(onboardingTeamOf(group('payments'))).toBe('group:default/payments');
    expect(onboardingTeamOf(component('a', 'payments'))).toBe(
      'group:default/payments',
    );
    expect(onboardingTeamOf(component('a', 'group:default/Payments'))).toBe(
      'group:default/payments',
    );
    expect(onboardingTeamOf(component('a', 'payments', 'shop'))).toBe(
      'group:shop/payments',
    );
  });

  it('has no team for a user owner, no owner or a malformed owner', () => {
    expect(
      onboardingTeamOf(component('a', 'user:default/jane')),
    ).toBeUndefined();
    expect(onboardingTeamOf(component('a'))).toBeUndefined();
    expect(onboardingTeamOf(component('a', 'group:'))).toBeUndefined();
  });
});

describe('createOnboardingFactProvider', () => {
  it("gives each entity its owning team's figures from one report request; teams without a row are no data", async () => {
    const report: OrgOnboardingReport = {
      stalledAfterDays: 14,
      teams: [
        team('group:default/payments'),
        team('group:default/storefront', {
          onboarding: 0,
          stalled: 0,
          medianDaysToFirstChange: null,
          medianDaysToFirstDeploy: null,
        }),
      ],
      cohorts: [],
    };
    const getOrgReport = jest.fn(async () => report);
    const provider = createOnboardingFactProvider({
      client: { getOrgReport },
      logger: mockServices.logger.mock(),
    });

    const facts = await provider.getFacts({
      entities: [
        component('payments-api', 'payments'),
        component('checkout-api', 'storefront'),
        component('x', 'data'),
        group('payments'),
      ],
      factIds: ALL,
    });

    expect(getOrgReport).toHaveBeenCalledTimes(1);
    expect(facts.get('component:default/payments-api')).toEqual({
      'onboarding.teamMedianDaysToFirstChange': 4.5,
      'onboarding.teamMedianDaysToFirstDeploy': 6,
      'onboarding.teamOnboarding': 2,
      'onboarding.teamStalled': 1,
    });
    expect(facts.get('component:default/checkout-api')).toEqual({
      'onboarding.teamMedianDaysToFirstChange': null,
      'onboarding.teamMedianDaysToFirstDeploy': null,
      'onboarding.teamOnboarding': 0,
      'onboarding.teamStalled': 0,
    });
    expect(facts.has('component:default/x')).toBe(false);
    expect(facts.get('group:default/payments')).toMatchObject({
      'onboarding.teamOnboarding': 2,
    });
  });

  it('returns only the facts asked for', async () => {
    const provider = createOnboardingFactProvider({
      client: {
        getOrgReport: async () => ({
          stalledAfterDays: 14,
          teams: [team('group:default/payments')],
          cohorts: [],
        }),
      },
      logger: mockServices.logger.mock(),
    });
    const facts = await provider.getFacts({
      entities: [component('payments-api', 'payments')],
      factIds: [ONBOARDING_FACT_IDS.teamStalled],
    });
    expect(facts.get('component:default/payments-api')).toEqual({
      'onboarding.teamStalled': 1,
    });
  });

  it('fails the batch (its checks keep their last outcome) and logs a warning when the report cannot be read', async () => {
    const logger = mockServices.logger.mock();
    const provider = createOnboardingFactProvider({
      client: {
        getOrgReport: async () => {
          throw new Error('Request failed with 503 Service Unavailable');
        },
      },
      logger,
    });
    await expect(
      provider.getFacts({
        entities: [component('payments-api', 'payments')],
        factIds: ALL,
      }),
    ).rejects.toThrow('503 Service Unavailable');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('503 Service Unavailable'),
    );
  });
});
