import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

/** A team to pick: its Group ref and the name people know it by. */
export interface TeamOption {
  ref: string;
  title: string;
}

/**
 * The catalog's Groups, by title, and the signed-in user's own ones (from their ownership refs). A catalog that does
 * not answer leaves the lists empty rather than breaking the page: the team can still be typed.
 */
export function useTeams(): {
  loading: boolean;
  teams: TeamOption[];
  mine: string[];
} {
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const state = useAsync(async () => {
    const [groups, identity] = await Promise.all([
      catalogApi
        .getEntities({
          filter: { kind: 'group' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.profile.displayName',
          ],
        })
        .then(r => r.items)
        .catch(() => []),
      identityApi.getBackstageIdentity().catch(() => undefined),
    ]);
    const teams = groups
      .map(g => ({
        ref: stringifyEntityRef(g),
        title:
          (g.spec as { profile?: { displayName?: string } } | undefined)
            ?.profile?.displayName ??
          g.metadata.title ??
          g.metadata.name,
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
    const mine = (identity?.ownershipEntityRefs ?? []).filter(r =>
      r.startsWith('group:'),
    );
    return { teams, mine };
  }, [catalogApi, identityApi]);
  return {
    loading: state.loading,
    teams: state.value?.teams ?? [],
    mine: state.value?.mine ?? [],
  };
}
