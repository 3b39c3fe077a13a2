import { AuthService } from '@backstage/backend-plugin-api';

/**
 * A fetch for another plugin's typed client that calls it as this plugin (service-to-service auth): every request
 * carries a token for `targetPluginId` minted from the scorecards plugin's own credentials.
 */
export function createServiceFetch(auth: AuthService, targetPluginId: string): { fetch: typeof fetch } {
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

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight (a fixed pool of workers pulling from a shared
 * index) and returns the results in input order. `fn` should not throw; wrap failures into the result.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
