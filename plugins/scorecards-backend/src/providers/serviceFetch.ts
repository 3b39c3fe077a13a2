import { AuthService } from '@backstage/backend-plugin-api';

/**
 * A fetch for another plugin's typed client that calls it as this plugin (service-to-service auth): every request
 * carries a token for `targetPluginId` minted from the scorecards plugin's own credentials.
 */
export function createServiceFetch(
  auth: AuthService,
  targetPluginId: string,
): { fetch: typeof fetch } {
  return {
    fetch: async (input, init) => {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId,
      });
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
  };
}
