import { stringifyEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { FlowSummaryCard } from './FlowSummaryCard';

/**
 * Overview card of an entity: each cycle-time part's median, the pull requests waiting for review and the CI/CD flaky
 * and success rates, with a link to the Flow tab.
 */
export function EntityFlowCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const entityPath = useRouteRef(entityRouteRef)(entityRouteParams(entity));
  return (
    <FlowSummaryCard
      entityRef={entityRef}
      title="Flow"
      scope="entity"
      deepLink={{ title: 'Open the Flow tab', link: `${entityPath}/flow` }}
    />
  );
}
