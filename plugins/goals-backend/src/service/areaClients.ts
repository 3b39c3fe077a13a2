import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { DoraClient } from '@vitals/plugin-dora-common';
import { OnboardingClient } from '@vitals/plugin-onboarding-common';
import { OwnershipClient } from '@vitals/plugin-ownership-common';
import { PostmortemsClient } from '@vitals/plugin-postmortems-common';
import { ScorecardsClient } from '@vitals/plugin-scorecards-common';
import { TechDebtClient } from '@vitals/plugin-tech-debt-common';
import { AreaClients } from './FigureReader';

/**
 * The areas' typed clients, each calling as the goals plugin: every request carries a token for the target plugin
 * issued on behalf of the goals plugin's own service credentials. Figures are read the same for every viewer.
 */
export function createAreaClients(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): AreaClients {
  const { auth, discovery } = options;
  const fetchFor = (targetPluginId: string) => ({
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId,
      });
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
  });
  const discoveryApi = discovery;
  return {
    dora: new DoraClient({ discoveryApi, fetchApi: fetchFor('dora') }),
    scorecards: new ScorecardsClient({
      discoveryApi,
      fetchApi: fetchFor('scorecards'),
    }),
    ownership: new OwnershipClient({
      discoveryApi,
      fetchApi: fetchFor('ownership'),
    }),
    onboarding: new OnboardingClient({
      discoveryApi,
      fetchApi: fetchFor('onboarding'),
    }),
    techDebt: new TechDebtClient({
      discoveryApi,
      fetchApi: fetchFor('tech-debt'),
    }),
    postmortems: new PostmortemsClient({
      discoveryApi,
      fetchApi: fetchFor('postmortems'),
    }),
  };
}

/**
 * The scorecards client calling with a token issued on behalf of `credentials` (a person): scorecards' permission
 * policy then decides for that person, as if they had called it themselves. For writes a person asks for (promoting
 * a campaign's checks), never for figures.
 */
export function createScorecardsClientAs(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): (credentials: BackstageCredentials) => ScorecardsClient {
  const { auth, discovery } = options;
  return credentials =>
    new ScorecardsClient({
      discoveryApi: discovery,
      fetchApi: {
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'scorecards',
          });
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });
}
