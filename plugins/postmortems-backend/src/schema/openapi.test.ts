import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  documentedRoutes,
  openApiClientDisagreements,
  openApiOperations,
  readOpenApiSpec,
  RecordedRequest,
  recordingFetch,
  servedRoutes,
} from '@vitals/backend-test-utils';
import {
  ACTION_ITEM_ORIGINS,
  BLAMELESS_WARNING_KINDS,
  POSTMORTEM_HISTORY_ACTIONS,
  POSTMORTEM_STATUSES,
  PostmortemsApi,
  PostmortemsClient,
} from '@vitals/plugin-postmortems-common';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { readPostmortemsSettings } from '../config';
import { PostmortemsStore } from '../database/PostmortemsStore';
import { DebtRegister } from '../service/debtRegister';
import { IncidentMirror } from '../service/incidents';
import { PeopleDirectory } from '../service/people';
import { createRouter } from '../service/router';
import { TemplateRegistry } from '../templates/TemplateRegistry';

const spec = readOpenApiSpec(__dirname);
const BASE_URL = 'http://backstage.test/api/postmortems';
const ID = '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11';
const DEBT = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';

/** Each method of the client, called with arguments that use every parameter it can send. */
const CALLS: { [M in keyof PostmortemsApi]: (api: PostmortemsApi) => unknown } =
  {
    listTemplates: api => api.listTemplates(),
    listIncidents: api =>
      api.listIncidents({
        entityRef: 'component:default/payments-api',
        qualifying: true,
        limit: 10,
        offset: 10,
      }),
    listPostmortems: api =>
      api.listPostmortems({
        entityRef: ['component:default/payments-api'],
        owner: 'group:default/payments',
        status: ['draft', 'in_review'],
        incidentId: 'pagerduty:PGR0VU2',
        limit: 5,
        offset: 5,
      }),
    getPostmortem: api => api.getPostmortem(ID),
    createPostmortem: api =>
      api.createPostmortem({
        incidentId: 'pagerduty:PGR0VU2',
        entityRef: 'component:default/payments-api',
        templateId: 'blameless',
        title: 'Card payments failed',
        authors: ['user:default/guest'],
      }),
    updatePostmortem: api =>
      api.updatePostmortem(ID, {
        version: 2,
        status: 'in_review',
        summary: 'x',
        timeline: [{ at: '2026-11-25T12:00:00Z', text: 'Alert.' }],
        extraSections: { followUps: 'y' },
      }),
    getHistory: api => api.getHistory(ID),
    listActionItems: api => api.listActionItems(ID),
    createActionItem: api =>
      api.createActionItem(ID, {
        title: 'Lock check',
        category: 'testing',
        impact: 4,
        effortDays: 2,
        dueDate: '2026-12-31',
      }),
    linkActionItem: api => api.linkActionItem(ID, DEBT, { dueDate: null }),
    unlinkActionItem: api => api.unlinkActionItem(ID, DEBT),
    getFollowThrough: api =>
      api.getFollowThrough({ team: 'group:default/payments' }),
    getCoverage: api =>
      api.getCoverage({
        team: 'group:default/payments',
        from: '2026-09-01',
        to: '2026-12-01',
      }),
    getEntityFigures: api =>
      api.getEntityFigures({
        entityRef: [
          'component:default/payments-api',
          'component:default/ledger',
        ],
        from: '2026-09-01',
      }),
  };

async function router() {
  return createRouter({
    store: {} as PostmortemsStore,
    templates: await TemplateRegistry.create({
      targets: [],
      defaultTemplateId: 'blameless',
    }),
    incidents: {} as IncidentMirror,
    register: {} as DebtRegister,
    people: {} as PeopleDirectory,
    settings: readPostmortemsSettings(mockServices.rootConfig()),
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
    auditor: mockServices.auditor.mock(),
    logger: mockServices.logger.mock(),
  });
}

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const served = servedRoutes(await router());
    expect(served.filter(r => r !== 'GET /openapi.json')).toEqual(
      documentedRoutes(spec),
    );
  });

  it('takes its enums from @vitals/plugin-postmortems-common and the tech-debt register', () => {
    const s = spec.components.schemas;
    expect(s.PostmortemStatus.enum).toEqual([...POSTMORTEM_STATUSES]);
    expect(s.ActionItem.properties.origin.enum).toEqual([
      ...ACTION_ITEM_ORIGINS,
    ]);
    expect(s.PostmortemHistoryEntry.properties.action.enum).toEqual([
      ...POSTMORTEM_HISTORY_ACTIONS,
    ]);
    expect(s.BlamelessWarning.properties.kind.enum).toEqual([
      ...BLAMELESS_WARNING_KINDS,
    ]);
    expect(s.CreateActionItemRequest.properties.category.enum).toEqual([
      ...DEBT_CATEGORIES,
    ]);
    expect(s.ActionItemDebt.properties.status.enum).toEqual([...DEBT_STATUSES]);
  });
});

describe('PostmortemsClient against the spec', () => {
  async function recordClientRequests() {
    const { fetch, sent } = recordingFetch(() => ({ entries: [], items: [] }));
    const client = new PostmortemsClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: { fetch },
    });
    const requests: Array<{ name: string; request: RecordedRequest }> = [];
    for (const [name, call] of Object.entries(CALLS)) {
      sent.length = 0;
      await call(client);
      expect({ name, requests: sent.length }).toEqual({ name, requests: 1 });
      requests.push({ name, request: sent[0] });
    }
    return requests;
  }

  it('has a call here for every method', () => {
    const methods = Object.getOwnPropertyNames(PostmortemsClient.prototype)
      .filter(name => name !== 'constructor')
      .sort();
    expect(methods).toEqual(Object.keys(CALLS).sort());
  });

  it('calls only operations of the spec, with parameters they document, and every operation is called', async () => {
    const { problems, used } = openApiClientDisagreements(
      spec,
      BASE_URL,
      await recordClientRequests(),
    );
    expect(problems).toEqual([]);
    expect(
      openApiOperations(spec)
        .map(op => op.id)
        .filter(id => !used.includes(id)),
    ).toEqual([]);
  });
});
