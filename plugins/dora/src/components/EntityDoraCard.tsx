import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraMetricsCard } from './DoraMetricsCard';

/** Overview card of an entity: the DORA metrics (the four keys and DORA 2024's two) with tiers and weekly sparklines. */
export function EntityDoraCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  return (
    <DoraMetricsCard
      entityRef={entityRef}
      title="DORA metrics"
      scope="entity"
    />
  );
}
