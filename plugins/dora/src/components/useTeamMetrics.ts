import { useApi } from '@backstage/core-plugin-api';
import { DoraBenchmark, DoraMetrics } from '@vitals/plugin-dora-common';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';

export interface TeamRow {
  id: string;
  teamRef: string;
  name: string;
  metrics: DoraMetrics;
}

/**
 * Every team (Group entity of `spec.type: team`) that owns entities with delivery events, with its pooled DORA metrics
 * for the window: one request to `GET /v1/teams`, which the backend answers from its indexed tables for all teams
 * at once.
 */
export function useTeamMetrics(window: {
  from: string;
  to: string;
  benchmark: DoraBenchmark;
}) {
  const doraApi = useApi(doraApiRef);
  const { from, to, benchmark } = window;
  const teams = useAsync(async (): Promise<TeamRow[]> => {
    const response = await doraApi.getTeamMetrics({
      from,
      to,
      benchmark,
      type: 'team',
    });
    return response.teams
      .map(team => ({
        id: team.entityRef,
        teamRef: team.entityRef,
        name: team.title,
        metrics: team.metrics,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [doraApi, from, to, benchmark]);
  return { loading: teams.loading, error: teams.error, rows: teams.value };
}
