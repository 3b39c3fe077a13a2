import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { entityRefKey } from './entityRefKey';
import { NextActionsList } from './NextActionsList';

/**
 * A team's next best actions, for Group entity pages: failing checks, debt, ownership problems, stalled onboarding
 * and waivers ending soon, across the team and its child teams, ranked by cost of delay.
 */
export function GroupNextActionsCard() {
  const { entity } = useEntity();
  return (
    <InfoCard
      title="Next best actions"
      subheader="Ranked by cost of delay: impact × urgency ÷ effort"
    >
      <NextActionsList team={entityRefKey(entity)} />
    </InfoCard>
  );
}
