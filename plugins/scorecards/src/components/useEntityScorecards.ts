import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { scorecardAppliesTo } from '@vitals/plugin-scorecards-common';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardsApiRef } from '../api/scorecardsApiRef';
import { withCurrentWaivers } from './currentWaivers';
import { entityRefKey } from './entityRefKey';

/**
 * The entity's stored results together with the definitions they refer to, and which scorecards apply to it. Each
 * check's waiver is the one in force now (see withCurrentWaivers); `waivers` are those waivers, with their versions.
 */
export function useEntityScorecards() {
  const { entity } = useEntity();
  const entityRef = entityRefKey(entity);
  const api = useApi(scorecardsApiRef);
  const state = useAsyncRetry(async () => {
    const [definitions, results, waivers] = await Promise.all([
      api.getDefinitions(),
      api.getEntityResults(entityRef),
      api.listWaivers({ entityRef }),
    ]);
    return {
      definitions,
      results: withCurrentWaivers(results.results, waivers),
      waivers,
    };
  }, [api, entityRef]);
  const applicable = useMemo(
    () =>
      (state.value?.definitions ?? []).filter(d =>
        scorecardAppliesTo(d.appliesTo, entity),
      ),
    [state.value, entity],
  );
  return { api, entity, entityRef, state, applicable };
}
