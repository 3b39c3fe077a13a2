import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { DoraClient } from '@vitals/plugin-dora-common';
import { OnboardingClient } from '@vitals/plugin-onboarding-common';
import { OwnershipClient } from '@vitals/plugin-ownership-common';
import { ScorecardsClient } from '@vitals/plugin-scorecards-common';
import { TechDebtClient } from '@vitals/plugin-tech-debt-common';

/** The typed clients of the five Vitals areas, each sending the caller's own credentials. */
export interface VitalsClients {
  techDebt: TechDebtClient;
  dora: DoraClient;
  ownership: OwnershipClient;
  scorecards: ScorecardsClient;
  onboarding: OnboardingClient;
}

/** Makes the clients for one caller. */
export type VitalsClientsFactory = (
  credentials: BackstageCredentials,
) => VitalsClients;

/**
 * Clients that call each area's HTTP API on behalf of the caller: every request carries a token for the target plugin
 * issued `onBehalfOf` the caller's credentials, so each API checks the caller's permissions exactly as it does for
 * requests from the portal.
 */
export function createVitalsClientsFactory(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): VitalsClientsFactory {
  const { auth, discovery } = options;
  return credentials => {
    const fetchFor = (targetPluginId: string) => ({
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf: credentials,
          targetPluginId,
        });
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });
    const discoveryApi = discovery;
    return {
      techDebt: new TechDebtClient({
        discoveryApi,
        fetchApi: fetchFor('tech-debt'),
      }),
      dora: new DoraClient({ discoveryApi, fetchApi: fetchFor('dora') }),
      ownership: new OwnershipClient({
        discoveryApi,
        fetchApi: fetchFor('ownership'),
      }),
      scorecards: new ScorecardsClient({
        discoveryApi,
        fetchApi: fetchFor('scorecards'),
      }),
      onboarding: new OnboardingClient({
        discoveryApi,
        fetchApi: fetchFor('onboarding'),
      }),
    };
  };
}
