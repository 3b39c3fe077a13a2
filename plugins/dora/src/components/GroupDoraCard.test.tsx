import { screen, within } from '@testing-library/react';
import { GroupDoraCard } from './GroupDoraCard';
import {
  emptyMetrics,
  fakeDoraApi,
  makeMetrics,
  paymentsTeam,
  renderWithEntity,
} from './__testUtils__/testUtils';

describe('GroupDoraCard', () => {
  it("shows the team's four metrics, pooled over the entities it owns", async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(
        makeMetrics({
          entityRef: 'group:default/payments',
          entityRefs: [
            'component:default/ledger-service',
            'component:default/payments-api',
          ],
        }),
      ),
    });
    await renderWithEntity(api, paymentsTeam, <GroupDoraCard />);
    expect(
      await screen.findByText('Pooled over 2 entities the team owns'),
    ).toBeInTheDocument();
    const cfr = screen.getByRole('region', { name: 'Change failure rate' });
    expect(cfr).toHaveTextContent('12.5%');
    expect(
      within(cfr).getByLabelText('Change failure rate tier: Medium'),
    ).toBeInTheDocument();
    const rework = screen.getByRole('region', { name: 'Rework rate' });
    expect(rework).toHaveTextContent('6.3%');
    expect(
      within(rework).getByLabelText('Rework rate tier: No tier'),
    ).toBeInTheDocument();
    const recovery = screen.getByRole('region', {
      name: 'Failed deployment recovery time',
    });
    expect(recovery).toHaveTextContent('2 days 12 h');
    expect(recovery).toHaveTextContent('median of 6 recovered deployments');
    expect(
      within(recovery).getByLabelText(
        'Failed deployment recovery time tier: Medium',
      ),
    ).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'group:default/payments' }),
    );
  });

  it('says when the team owns nothing to measure', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(emptyMetrics({ entityRefs: [] })),
    });
    await renderWithEntity(api, paymentsTeam, <GroupDoraCard />);
    expect(
      await screen.findByText(/This team owns no catalog entities yet/),
    ).toBeInTheDocument();
  });

  it("points to the services' DORA tabs when none of them has events", async () => {
    const api = fakeDoraApi({
      getMetrics: jest
        .fn()
        .mockResolvedValue(
          emptyMetrics({ entityRefs: ['component:default/payments-api'] }),
        ),
    });
    await renderWithEntity(api, paymentsTeam, <GroupDoraCard />);
    expect(
      await screen.findByText(
        /None of the 1 entity this team owns has deployments/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /The DORA tab of each service explains how to send delivery events/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the metrics cannot be loaded', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockRejectedValue(new Error('no such group')),
    });
    await renderWithEntity(api, paymentsTeam, <GroupDoraCard />);
    expect(
      await screen.findByText(/Could not load the DORA metrics/),
    ).toBeInTheDocument();
  });
});
