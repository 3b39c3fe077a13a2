import { screen } from '@testing-library/react';
import type {
  EntityScorecardResult,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { EntityScorecardsCard } from './EntityScorecardsCard';
import { EntityScorecardsContent } from './EntityScorecardsContent';
import {
  check,
  fakeApi,
  paymentsApi,
  renderWith,
} from './__testUtils__/testUtils';

/** The demo's DORA scorecard: every fact is a number with a unit. */
const delivery: ScorecardDefinition = {
  id: 'delivery',
  title: 'Delivery',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
  ],
  checks: [
    {
      id: 'deploys-weekly',
      title: 'Deploys most weeks',
      fact: 'dora.weeklyMedianDeploymentDays',
      operator: '>=',
      threshold: 1,
      level: 'bronze',
    },
    {
      id: 'lead-time',
      title: 'Lead time within a day',
      fact: 'dora.leadTimeMedianMinutes',
      operator: '<=',
      threshold: 1440,
      level: 'silver',
    },
    {
      id: 'restore',
      title: 'Restores within an hour',
      fact: 'dora.timeToRestoreMedianMinutes',
      operator: '<=',
      threshold: 60,
      level: 'silver',
    },
    {
      id: 'failure-rate',
      title: 'Few failed changes',
      fact: 'dora.changeFailureRate',
      operator: '<=',
      threshold: 0.15,
      level: 'silver',
    },
  ],
};

/** The raw figures the first hour on the demo portal showed as they are. */
const result: EntityScorecardResult = {
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/payments',
  systemRef: 'system:default/payments',
  scorecardId: 'delivery',
  levelId: 'bronze',
  levelIndex: 0,
  score: 60,
  evaluatedAt: '2026-11-26T10:00:00.000Z',
  changedAt: '2026-11-26T10:00:00.000Z',
  checks: [
    check('deploys-weekly', { value: 2.5 }),
    check('lead-time', {
      value: 4219,
      passed: false,
      score: 0,
      message: '4219 is not <= 1440',
    }),
    check('restore', {
      value: 586.40625,
      passed: false,
      score: 0,
      message: '586.40625 is not <= 60',
    }),
    check('failure-rate', { value: 0.037 }),
  ],
};

const api = () =>
  fakeApi({
    getDefinitions: jest.fn().mockResolvedValue([delivery]),
    getEntityResults: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      results: [result],
    }),
  });

describe('fact values in units', () => {
  it('shows every value, threshold and failure of the Scorecards tab in the fact’s unit', async () => {
    await renderWith(<EntityScorecardsContent />, {
      api: api(),
      entity: paymentsApi,
    });

    const leadTime = await screen.findByRole('row', {
      name: /Lead time within a day/,
    });
    expect(leadTime).toHaveTextContent('dora.leadTimeMedianMinutes <= 1 day');
    expect(leadTime).toHaveTextContent('2 days 22 h is not <= 1 day');
    expect(
      screen.getByRole('row', { name: /Restores within an hour/ }),
    ).toHaveTextContent(/9 h 46 min.*9 h 46 min is not <= 1 h/);
    expect(
      screen.getByRole('row', { name: /Few failed changes/ }),
    ).toHaveTextContent(/<= 15%.*3\.7%.*Passed/);
    expect(
      screen.getByRole('row', { name: /Deploys most weeks/ }),
    ).toHaveTextContent(/>= 1 day \/ week.*2\.5 days \/ week/);

    expect(document.body).not.toHaveTextContent(/4219|586\.4|0\.037|1440/);
  });

  it('says why a check fails in the fact’s unit on the entity card', async () => {
    await renderWith(<EntityScorecardsCard />, {
      api: api(),
      entity: paymentsApi,
    });

    expect(
      await screen.findByText('(2 days 22 h is not <= 1 day)'),
    ).toBeInTheDocument();
    expect(screen.getByText('(9 h 46 min is not <= 1 h)')).toBeInTheDocument();
    expect(screen.queryByText(/4219/)).toBeNull();
  });
});
