import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';

interface Window {
  from: string;
  to: string;
}

/** How many waiting pull requests a view lists: the oldest ones; the response still counts all of them. */
export const WAITING_LIST_LIMIT = 100;

/** PR cycle time in four parts, size and the weekly series of an entity (or a group's pooled entities). */
export function useFlow(entityRef: string, { from, to }: Window) {
  const api = useApi(doraApiRef);
  return useAsync(
    () => api.getFlow({ entityRef, from, to }),
    [api, entityRef, from, to],
  );
}

/** The open pull requests waiting for a first review now, oldest first, with how many there are and are overdue. */
export function useWaitingPullRequests(
  entityRef: string | undefined,
  limit: number = WAITING_LIST_LIMIT,
) {
  const api = useApi(doraApiRef);
  return useAsync(async () => {
    if (!entityRef) return undefined;
    return api.listWaitingPullRequests({ entityRef, limit });
  }, [api, entityRef, limit]);
}

/** CI/CD friction of an entity or a team over the window: the pooled figures and one row per pipeline. */
export function usePipelines(
  entityRef: string | undefined,
  { from, to }: Window,
) {
  const api = useApi(doraApiRef);
  return useAsync(async () => {
    if (!entityRef) return undefined;
    return api.getPipelines({ entityRef, from, to });
  }, [api, entityRef, from, to]);
}

/** Every team's flow figures and waiting pull requests for the window, in one request. */
export function useFlowTeams({ from, to }: Window) {
  const api = useApi(doraApiRef);
  return useAsync(
    () => api.getFlowTeams({ from, to, type: 'team' }),
    [api, from, to],
  );
}
