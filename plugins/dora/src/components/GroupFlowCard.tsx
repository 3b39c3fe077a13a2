import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FlowSummaryCard } from './FlowSummaryCard';

/**
 * A team's flow, pooled over the entities it owns directly or through child groups: each cycle-time part's median,
 * its pull requests waiting for review (the oldest listed, the overdue marked) and its CI/CD flaky and success rates.
 */
export function GroupFlowCard() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  return (
    <FlowSummaryCard entityRef={groupRef} title="Team flow" scope="group" />
  );
}
