import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { scorecardAppliesTo } from '@vitals/plugin-scorecards-common';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardsApiRef } from '../api/scorecardsApiRef';

/** The entity's stored results together with the definitions they refer to, and which scorecards apply to it. */
export function useEntityScorecards() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const api = useApi(scorecardsApiRef);
  const state = useAsyncRetry(async () => {
    const [definitions, results] = await Promise.all([
      api.getDefinitions(),
      api.getEntityResults(entityRef),
    ]);
    return { definitions, results: results.results };
  }, [api, entityRef]);
  const applicable = useMemo(
    () => (state.value?.definitions ?? []).filter(d => scorecardAppliesTo(d.appliesTo, entity)),
    [state.value, entity],
  );
  return { api, entity, entityRef, state, applicable };
}
