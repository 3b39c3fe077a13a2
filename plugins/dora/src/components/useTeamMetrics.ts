import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { DoraBenchmark, DoraMetrics } from '@vitals/plugin-dora-common';
import useAsync from 'react-use/esm/useAsync';
import { doraApiRef } from '../api/doraApiRef';
import { mapWithConcurrency } from './mapWithConcurrency';

/**
 * Calls in flight at once. The DORA API has no org-wide endpoint, so the page asks for each team's metrics in turn;
 * four at a time keeps the page quick without flooding the backend.
 */
export const TEAM_CONCURRENCY = 4;

export interface TeamRow {
  id: string;
  teamRef: string;
  name: string;
  metrics?: DoraMetrics;
  error?: Error;
}

function displayName(team: Entity): string {
  const profile = (team.spec?.profile ?? {}) as { displayName?: string };
  return profile.displayName ?? team.metadata.title ?? team.metadata.name;
}

/** Every team in the catalog (Group entities of type team) with its pooled DORA metrics for the window. */
export function useTeamMetrics(window: { from: string; to: string; benchmark: DoraBenchmark }) {
  const catalogApi = useApi(catalogApiRef);
  const doraApi = useApi(doraApiRef);
  const { from, to, benchmark } = window;
  const teams = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group', 'spec.type': 'team' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile.displayName'],
    });
    return items.sort((a, b) => displayName(a).localeCompare(displayName(b)));
  }, [catalogApi]);
  const rows = useAsync(async (): Promise<TeamRow[] | undefined> => {
    if (!teams.value) return undefined;
    const results = await mapWithConcurrency(teams.value, TEAM_CONCURRENCY, team =>
      doraApi.getMetrics({ entityRef: stringifyEntityRef(team).toLocaleLowerCase('en-US'), from, to, benchmark }),
    );
    return teams.value.map((team, i) => {
      const teamRef = stringifyEntityRef(team).toLocaleLowerCase('en-US');
      const result = results[i];
      return {
        id: teamRef,
        teamRef,
        name: displayName(team),
        ...('value' in result ? { metrics: result.value } : { error: result.error }),
      };
    });
  }, [doraApi, teams.value, from, to, benchmark]);
  return {
    loading: teams.loading || rows.loading,
    error: teams.error,
    teamCount: teams.value?.length,
    rows: rows.value,
  };
}
