import { useApi } from '@backstage/core-plugin-api';
import { DoraMetrics, MAX_WINDOW_DAYS } from '@vitals/plugin-dora-common';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';
import { DoraSettings } from './DoraControls';
import { isEmptyWindow } from './metricFigures';

const DAY_MS = 86_400_000;

/** The metrics of an entity (or a group's pooled entities) for the chosen window and benchmark. */
export function useDoraMetrics(entityRef: string, settings: DoraSettings) {
  const api = useApi(doraApiRef);
  const { from, to, benchmark } = settings;
  return useAsync(() => api.getMetrics({ entityRef, from, to, benchmark }), [api, entityRef, from, to, benchmark]);
}

/** The weekly series of the chosen window. */
export function useDoraSeries(entityRef: string, settings: DoraSettings) {
  const api = useApi(doraApiRef);
  const { from, to } = settings;
  return useAsync(() => api.getSeries({ entityRef, from, to }), [api, entityRef, from, to]);
}

/**
 * When a window is empty: whether the entity has sent any events at all (over the longest window the API allows, plus
 * the data-health counts of events that never count), so the view can tell "send events" from "pick a longer window".
 * Undefined while unknown or when the window is not empty.
 */
export function useHasAnyEvents(entityRef: string, metrics: DoraMetrics | undefined) {
  const api = useApi(doraApiRef);
  const needed = !!metrics && isEmptyWindow(metrics);
  return useAsync(async () => {
    if (!needed || !metrics) return undefined;
    const to = metrics.to;
    const from = new Date(Date.parse(to) - MAX_WINDOW_DAYS * DAY_MS).toISOString();
    const [longest, health] = await Promise.all([
      api.getMetrics({ entityRef, from, to }),
      api.getDataHealth({ entityRef }),
    ]);
    return (
      !isEmptyWindow(longest) ||
      health.changesNeverDeployed.count > 0 ||
      health.incidentsWithoutDeployment.count > 0 ||
      health.deploymentsWithoutCommits.count > 0
    );
  }, [api, entityRef, needed, metrics?.to]);
}
