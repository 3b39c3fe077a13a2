import { Entity } from '@backstage/catalog-model';
import { CatalogApi, catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DoraApi, DoraMetrics } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { DoraPage } from './DoraPage';
import { emptyMetrics, fakeDoraApi, makeMetrics } from './__testUtils__/testUtils';

function team(name: string, displayName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', profile: displayName ? { displayName } : {}, children: [] },
  };
}

function catalogWith(getEntities: jest.Mock): CatalogApi {
  return { getEntities } as Partial<CatalogApi> as CatalogApi;
}

function render(dora: DoraApi, catalog: CatalogApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, dora], [catalogApiRef, catalog]]}>
      <DoraPage />
    </TestApiProvider>,
    // Team names link to their catalog pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const byTeam: Record<string, DoraMetrics> = {
  'group:default/payments': makeMetrics({
    entityRef: 'group:default/payments',
    entityRefs: ['component:default/payments-api', 'component:default/ledger-service'],
    leadTimeForChanges: { changes: 80, medianMinutes: 200, tier: 'high' },
  }),
  'group:default/storefront': makeMetrics({
    entityRef: 'group:default/storefront',
    leadTimeForChanges: { changes: 30, medianMinutes: 45, tier: 'elite' },
    timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
  }),
};

describe('DoraPage', () => {
  it('puts the teams side by side with a tier per metric and the tier distribution', async () => {
    const getEntities = jest.fn().mockResolvedValue({ items: [team('storefront', 'Storefront'), team('payments', 'Payments')] });
    const dora = fakeDoraApi({ getMetrics: jest.fn(async q => byTeam[q.entityRef]) });
    await render(dora, catalogWith(getEntities));

    const payments = await screen.findByRole('row', { name: /Payments/ });
    expect(payments).toHaveTextContent('3 h 20 min');
    expect(within(payments).getByLabelText('Payments Lead time for changes tier: High')).toBeInTheDocument();
    const storefront = screen.getByRole('row', { name: /Storefront/ });
    expect(storefront).toHaveTextContent('45 min');
    expect(within(storefront).getByLabelText('Storefront Time to restore service tier: Not enough data')).toBeInTheDocument();

    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'Group', 'spec.type': 'team' } }),
    );
    const distribution = screen.getByRole('list', { name: 'Teams per tier' });
    expect(distribution).toHaveTextContent('Lead time for changes: 1 elite, 1 high, 0 medium, 0 low');
    expect(distribution).toHaveTextContent('Time to restore service: 0 elite, 0 high, 1 medium, 0 low, 1 without enough data');
  });

  it('sorts teams by a metric, best first', async () => {
    const getEntities = jest.fn().mockResolvedValue({ items: [team('payments', 'Payments'), team('storefront', 'Storefront')] });
    const dora = fakeDoraApi({ getMetrics: jest.fn(async q => byTeam[q.entityRef]) });
    await render(dora, catalogWith(getEntities));
    await screen.findByRole('row', { name: /Payments/ });
    const teamOrder = () =>
      screen.getAllByRole('row').map(r => r.textContent ?? '').filter(t => /Payments|Storefront/.test(t)).map(t => (t.includes('Payments') ? 'Payments' : 'Storefront'));
    expect(teamOrder()).toEqual(['Payments', 'Storefront']);
    fireEvent.click(screen.getAllByRole('button', { name: 'Lead time for changes' })[0]);
    await waitFor(() => expect(teamOrder()).toEqual(['Storefront', 'Payments']));
    fireEvent.click(screen.getAllByRole('button', { name: 'Lead time for changes' })[0]);
    await waitFor(() => expect(teamOrder()).toEqual(['Payments', 'Storefront']));
  });

  it('asks for at most four teams at a time, and shows which team failed', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    let inFlight = 0;
    let most = 0;
    const getMetrics = jest.fn(async (q: { entityRef: string }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise(resolve => setTimeout(resolve, 5));
      inFlight -= 1;
      if (q.entityRef === 'group:default/team-c') throw new Error('timed out');
      return makeMetrics({ entityRef: q.entityRef });
    });
    const getEntities = jest.fn().mockResolvedValue({ items: names.map(n => team(`team-${n}`)) });
    await render(fakeDoraApi({ getMetrics }), catalogWith(getEntities));

    expect(await screen.findByText('Could not load: timed out')).toBeInTheDocument();
    expect(screen.getByText(/Could not load the metrics of 1 of 9 teams/)).toBeInTheDocument();
    expect(getMetrics).toHaveBeenCalledTimes(9);
    expect(most).toBe(4);
  });

  it('says how to get started when there are no teams', async () => {
    await render(fakeDoraApi(), catalogWith(jest.fn().mockResolvedValue({ items: [] })));
    expect(await screen.findByText('No teams in the catalog')).toBeInTheDocument();
  });

  it('says when no team has events in the window', async () => {
    const dora = fakeDoraApi({ getMetrics: jest.fn().mockResolvedValue(emptyMetrics()) });
    await render(dora, catalogWith(jest.fn().mockResolvedValue({ items: [team('payments', 'Payments')] })));
    expect(await screen.findByText(/No team has deployments, changes or incidents in the last 90 days/)).toBeInTheDocument();
  });

  it('shows an error when the catalog cannot be read', async () => {
    await render(fakeDoraApi(), catalogWith(jest.fn().mockRejectedValue(new Error('catalog down'))));
    expect(await screen.findByText(/Could not load the teams from the catalog/)).toBeInTheDocument();
  });
});
