import {
  openApiClientDisagreements,
  openApiOperations,
  readOpenApiSpec,
  RecordedRequest,
  recordingFetch,
} from '@vitals/backend-test-utils';
import {
  OnboardingApi,
  OnboardingClient,
} from '@vitals/plugin-onboarding-common';

const spec = readOpenApiSpec(__dirname);
const BASE_URL = 'http://backstage.test/api/onboarding';

/**
 * Operations no client method calls, each with the reason. Every onboarding operation is for the portal and other
 * plugins, so none.
 */
const NOT_IN_THE_CLIENT: Record<string, string> = {};

/** Each method of the client, called with arguments that use every parameter it can send. */
const CALLS: { [M in keyof OnboardingApi]: (api: OnboardingApi) => unknown } = {
  getMyOnboarding: api => api.getMyOnboarding(),
  startMyOnboarding: api =>
    api.startMyOnboarding({ entityRef: 'component:default/payments-api' }),
  startOnboarding: api =>
    api.startOnboarding({
      userRef: 'user:default/li.wei',
      entityRef: 'component:default/payments-api',
    }),
  setStepDone: api =>
    api.setStepDone({
      checklistId: 'service-basics:component:default/payments-api',
      stepId: 'clone-and-build',
      done: true,
    }),
  reportVisit: api =>
    api.reportVisit({
      entityRef: 'component:default/payments-api',
      kind: 'docs',
    }),
  getEntityChecklist: api =>
    api.getEntityChecklist({ entityRef: 'component:default/payments-api' }),
  getUserOnboarding: api =>
    api.getUserOnboarding({ userRef: 'user:default/li.wei' }),
  resetProgress: api =>
    api.resetProgress({
      userRef: 'user:default/guest',
      checklistId: 'payments-team',
    }),
  getHistory: api =>
    api.getHistory({ userRef: 'user:default/guest', limit: 10, offset: 20 }),
  getTeamReport: api => api.getTeamReport({ groupRef: 'payments' }),
  getOrgReport: api => api.getOrgReport(),
  getTemplates: api => api.getTemplates(),
};

describe('OnboardingClient against the spec', () => {
  it('calls only operations of the spec, with parameters they document, and every operation is called', async () => {
    const { fetch, sent } = recordingFetch();
    const client = new OnboardingClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: { fetch },
    });

    const methods = Object.getOwnPropertyNames(OnboardingClient.prototype)
      .filter(name => name !== 'constructor')
      .sort();
    expect(methods).toEqual(Object.keys(CALLS).sort());

    const requests: Array<{ name: string; request: RecordedRequest }> = [];
    for (const [name, call] of Object.entries(CALLS)) {
      sent.length = 0;
      await call(client);
      expect({ name, requests: sent.length }).toEqual({ name, requests: 1 });
      requests.push({ name, request: sent[0] });
    }
    const { problems, used } = openApiClientDisagreements(
      spec,
      BASE_URL,
      requests,
    );
    expect(problems).toEqual([]);
    expect(
      openApiOperations(spec)
        .map(op => op.id)
        .filter(id => !used.includes(id) && !(id in NOT_IN_THE_CLIENT)),
    ).toEqual([]);
  });

  it('sends path parameters percent-encoded in one segment, as the spec asks', async () => {
    const { fetch, sent } = recordingFetch();
    const client = new OnboardingClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: { fetch },
    });
    await client.setStepDone({
      checklistId: 'service-basics:component:default/payments-api',
      stepId: 'clone-and-build',
      done: true,
    });
    await client.getUserOnboarding({ userRef: 'user:default/li.wei' });
    expect(sent.map(r => `${r.method} ${r.url.pathname}`)).toEqual([
      'PUT /api/onboarding/v1/me/checklists/service-basics%3Acomponent%3Adefault%2Fpayments-api/steps/clone-and-build',
      'GET /api/onboarding/v1/users/user%3Adefault%2Fli.wei/checklists',
    ]);
  });
});
