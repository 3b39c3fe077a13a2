import { createRouteRef } from '@backstage/core-plugin-api';

/** The org-wide register page, `/tech-debt` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'tech-debt' });

/** The "Tech debt" tab of an entity page. @public */
export const entityContentRouteRef = createRouteRef({
  id: 'tech-debt:entity-content',
});
