import { useApi } from '@backstage/core-plugin-api';
import { DoraMetrics } from '@vitals/plugin-dora-common';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';
import { DoraSettings } from './DoraControls';
import { isEmptyWindow } from './metricFigures';

/** The metrics of an entity (or a group's pooled entities) for the chosen window and benchmark. */
export function useDoraMetrics(entityRef: string, settings: DoraSettings) {
  const api = useApi(doraApiRef);
  const { from, to, benchmark } = settings;
  return useAsync(
    () => api.getMetrics({ entityRef, from, to, benchmark }),
    [api, entityRef, from, to, benchmark],
  );
}

/** The weekly series of the chosen window. */
export function useDoraSeries(entityRef: string, settings: DoraSettings) {
  const api = useApi(doraApiRef);
  const { from, to } = settings;
  return useAsync(
    () => api.getSeries({ entityRef, from, to }),
    [api, entityRef, from, to],
  );
}

/**
 * When a window is empty: whether the entity has ever sent events (`GET /v1/activity`), so the view can tell "send
 * events" from "pick a longer window". Asked only for an empty window; undefined while unknown or not asked.
 */
export function useHasAnyEvents(
  entityRef: string,
  metrics: DoraMetrics | undefined,
) {
  const api = useApi(doraApiRef);
  const needed = !!metrics && isEmptyWindow(metrics);
  return useAsync(async () => {
    if (!needed) return undefined;
    return (await api.getActivity({ entityRef })).hasEvents;
  }, [api, entityRef, needed]);
}
