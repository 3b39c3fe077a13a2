import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { DoraIncident } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import {
  DoraIncidentLinksApi,
  doraIncidentLinksApiRef,
} from '../api/incidentLinksApiRef';
import { IncidentsTable } from './DrillDownTables';
import { fakeDoraApi } from './__testUtils__/testUtils';

const incident = (id: string): DoraIncident => ({
  id,
  entityRef: 'component:default/payments-api',
  createdAt: '2026-11-20T11:00:00.000Z',
  resolvedAt: '2026-11-20T14:20:00.000Z',
  severity: 'SEV2',
  url: null,
  deploymentId: null,
  linkedDeploymentId: 'deploy-42',
  restoreMinutes: 200,
});

const window = {
  entityRef: 'component:default/payments-api',
  from: '2026-08-29',
  to: '2026-11-27',
};

function doraApi() {
  return fakeDoraApi({
    listIncidents: jest.fn().mockResolvedValue({
      items: [incident('pagerduty:P1'), incident('pagerduty:P2')],
      totalCount: 2,
    }),
  });
}

async function render(linksApi?: DoraIncidentLinksApi) {
  const apis: any[] = [[doraApiRef, doraApi()]];
  if (linksApi) apis.push([doraIncidentLinksApiRef, linksApi]);
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      <IncidentsTable {...window} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const rowOf = async (id: string) =>
  (await screen.findByText(id)).closest('tr') as HTMLElement;

describe('the optional incident links of the incident drill-down', () => {
  it('shows no extra column when no plugin provides links', async () => {
    await render();
    await rowOf('pagerduty:P1');
    expect(screen.queryByText('Postmortem')).not.toBeInTheDocument();
    expect(screen.getByText('Caused by deployment')).toBeInTheDocument();
  });

  it("shows each incident's link, asked once per page with the entity page's path", async () => {
    const linksApi: DoraIncidentLinksApi = {
      columnTitle: 'Postmortem',
      getIncidentLinks: jest.fn(async ({ entityPath }) => [
        {
          incidentId: 'pagerduty:P1',
          label: 'Postmortem (published)',
          href: `${entityPath}/postmortems?postmortem=pm-1`,
          description: 'Card payments failed',
        },
        {
          incidentId: 'pagerduty:P2',
          label: 'Start a postmortem',
          href: `${entityPath}/postmortems?incident=pagerduty%3AP2`,
        },
      ]),
    };
    await render(linksApi);

    const first = await rowOf('pagerduty:P1');
    const published = await within(first).findByRole('link', {
      name: 'Postmortem (published)',
    });
    expect(published).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/postmortems?postmortem=pm-1',
    );
    expect(first).toHaveTextContent('Card payments failed');
    const second = await rowOf('pagerduty:P2');
    expect(
      within(second).getByRole('link', { name: 'Start a postmortem' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/postmortems?incident=pagerduty%3AP2',
    );
    expect(screen.getByText('Postmortem')).toBeInTheDocument();
    expect(linksApi.getIncidentLinks).toHaveBeenCalledTimes(1);
    expect(linksApi.getIncidentLinks).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      entityPath: '/catalog/default/component/payments-api',
      incidentIds: ['pagerduty:P1', 'pagerduty:P2'],
    });
  });

  it('still shows the incidents when the links cannot be loaded, and says so', async () => {
    await render({
      columnTitle: 'Postmortem',
      getIncidentLinks: jest.fn().mockRejectedValue(new Error('503 down')),
    });
    const first = await rowOf('pagerduty:P1');
    const unavailable = within(first).getByText('Unavailable');
    expect(unavailable).toHaveAttribute(
      'title',
      'Could not load the links: 503 down',
    );
    expect(first).toHaveTextContent('deploy-42');
    expect(screen.queryByText('Could not load the incidents')).toBeNull();
  });
});
