import { createRouteRef } from '@backstage/core-plugin-api';

/** The org page, DORA by team; `/dora` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'dora' });

/** The "DORA" tab of an entity page. @public */
export const entityContentRouteRef = createRouteRef({
  id: 'dora:entity-content',
});

/** The org page, flow by team; `/flow` by default. @public */
export const flowRouteRef = createRouteRef({ id: 'dora:flow' });

/** The "Flow" tab of an entity page. @public */
export const entityFlowContentRouteRef = createRouteRef({
  id: 'dora:entity-flow-content',
});
