import { PostmortemIncidentLinks } from './PostmortemIncidentLinks';

const incident = (id: string) => ({
  id,
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/payments',
  createdAt: '2026-11-25T12:00:00.000Z',
  resolvedAt: null,
  severity: 'SEV2',
  url: null,
  deploymentId: null,
  restoreMinutes: null,
  qualifying: true,
  postmortemDueAt: '2026-11-30T12:00:00.000Z',
});

describe('PostmortemIncidentLinks', () => {
  it("links each incident to its postmortem or to starting one on the entity's Postmortems tab", async () => {
    const listIncidents = jest.fn().mockResolvedValue({
      items: [
        {
          incident: incident('pagerduty:P1'),
          postmortem: {
            id: 'pm-1',
            status: 'published',
            title: 'Pool exhausted',
          },
        },
        {
          incident: incident('pagerduty:P2'),
          postmortem: { id: 'pm-2', status: 'in_review', title: null },
        },
        { incident: incident('pagerduty:P3'), postmortem: null },
      ],
      totalCount: 3,
    });
    const links = new PostmortemIncidentLinks({
      postmortemsApi: { listIncidents } as any,
    });
    expect(links.columnTitle).toBe('Postmortem');
    const result = await links.getIncidentLinks({
      entityRef: 'component:default/payments-api',
      entityPath: '/catalog/default/component/payments-api/',
      incidentIds: ['pagerduty:P1', 'pagerduty:P2', 'pagerduty:P3', 'github:9'],
    });
    const tab = '/catalog/default/component/payments-api/postmortems';
    expect(result).toEqual([
      {
        incidentId: 'pagerduty:P1',
        label: 'Postmortem (published)',
        href: `${tab}?postmortem=pm-1`,
        description: 'Pool exhausted',
      },
      {
        incidentId: 'pagerduty:P2',
        label: 'Postmortem (in review)',
        href: `${tab}?postmortem=pm-2`,
      },
      {
        incidentId: 'pagerduty:P3',
        label: 'Start a postmortem',
        href: `${tab}?incident=pagerduty%3AP3`,
      },
      // Not in the postmortems backend's copy yet: the tab finds out.
      {
        incidentId: 'github:9',
        label: 'Start a postmortem',
        href: `${tab}?incident=github%3A9`,
      },
    ]);
    expect(listIncidents).toHaveBeenCalledTimes(1);
    expect(listIncidents).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      limit: 1000,
    });
  });

  it('asks nothing for an empty page, and follows a tab mounted elsewhere', async () => {
    const listIncidents = jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 });
    const links = new PostmortemIncidentLinks({
      postmortemsApi: { listIncidents } as any,
      tabPath: 'incident-reviews',
    });
    const request = {
      entityRef: 'component:default/x',
      entityPath: '/catalog/default/component/x',
    };
    expect(
      await links.getIncidentLinks({ ...request, incidentIds: [] }),
    ).toEqual([]);
    expect(listIncidents).not.toHaveBeenCalled();
    expect(
      await links.getIncidentLinks({ ...request, incidentIds: ['api:7'] }),
    ).toEqual([
      {
        incidentId: 'api:7',
        label: 'Start a postmortem',
        href: '/catalog/default/component/x/incident-reviews?incident=api%3A7',
      },
    ]);
  });
});
