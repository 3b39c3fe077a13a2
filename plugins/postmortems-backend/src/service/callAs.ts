import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { describeApiError, PluginFetch } from '@vitals/common';

/**
 * A fetch for another plugin's typed client that calls it on behalf of `credentials`: a person's (so that the other
 * plugin's permission policy decides for that person) or this plugin's own (`auth.getOwnServiceCredentials()`).
 */
export function fetchAs(
  auth: AuthService,
  credentials: BackstageCredentials,
  targetPluginId: string,
): PluginFetch {
  return {
    fetch: async (input, init) => {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId,
      });
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
  };
}

/**
 * What another plugin answered, as an error of this API: its 400, 403 and 404 keep their meaning and message; any
 * other failure (a 5xx, the plugin down) is a 503 naming the plugin.
 */
export function otherPluginError(pluginName: string, error: unknown): Error {
  const message = `${pluginName}: ${describeApiError(error)}`;
  const status =
    error instanceof ResponseError ? error.response.status : undefined;
  if (status === 400) return new InputError(message);
  if (status === 403) return new NotAllowedError(message);
  if (status === 404) return new NotFoundError(message);
  return new ServiceUnavailableError(`${message} (the ${pluginName} failed)`);
}
