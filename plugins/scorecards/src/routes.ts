import { createRouteRef } from '@backstage/core-plugin-api';

/** The org page, `/scorecards` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'scorecards' });

/** The "Scorecards" tab of an entity page. @public */
export const entityContentRouteRef = createRouteRef({
  id: 'scorecards:entity-content',
});
