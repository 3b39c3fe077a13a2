import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { EntityTechDebtCard } from './EntityTechDebtCard';
import { makeItem, paymentsApi } from './__testUtils__/testUtils';

function renderCard(getSummary: TechDebtApi['getSummary']) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [techDebtApiRef, { getSummary } as Partial<TechDebtApi> as TechDebtApi],
      ]}
    >
      <EntityProvider entity={paymentsApi}>
        <EntityTechDebtCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityTechDebtCard', () => {
  it('shows open items, total effort and the top three priorities', async () => {
    const top = [
      makeItem({ title: 'Rotate the leaked key', impact: 5, effortDays: 1 }),
      makeItem({ title: 'Write the runbook', impact: 4, effortDays: 1 }),
      makeItem({ title: 'Fix flaky tests', impact: 3, effortDays: 2 }),
    ];
    await renderCard(async entityRef => ({
      entityRef,
      openCount: 7,
      openEffortDays: 23.5,
      openInterestHoursPerMonth: 12,
      top,
    }));
    expect(await screen.findByLabelText('Open items')).toHaveTextContent('7');
    expect(screen.getByLabelText('Estimated effort')).toHaveTextContent(
      '23.5 days',
    );
    const list = screen.getByRole('list', { name: 'Top priorities' });
    expect(list).toHaveTextContent(
      /Rotate the leaked key.*Write the runbook.*Fix flaky tests/,
    );
  });

  it('invites the team to record debt when nothing is open', async () => {
    await renderCard(async entityRef => ({
      entityRef,
      openCount: 0,
      openEffortDays: 0,
      openInterestHoursPerMonth: 0,
      top: [],
    }));
    expect(await screen.findByText(/No open debt items/)).toBeInTheDocument();
  });

  it('shows an error when the summary cannot be loaded', async () => {
    await renderCard(async () => {
      throw new Error('boom');
    });
    expect(
      await screen.findByText(/Could not load tech debt/),
    ).toBeInTheDocument();
  });
});
