import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraMetricsCard } from './DoraMetricsCard';

/** A team's DORA metrics (the four keys and DORA 2024's two), pooled over the entities it owns directly or through child groups. */
export function GroupDoraCard() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  return (
    <DoraMetricsCard
      entityRef={groupRef}
      title="Team DORA metrics"
      scope="group"
    />
  );
}
