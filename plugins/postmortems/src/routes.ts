import { createRouteRef } from '@backstage/core-plugin-api';

/** The org page, `/postmortems` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'postmortems' });

/** The "Postmortems" tab of an entity page. @public */
export const entityContentRouteRef = createRouteRef({
  id: 'postmortems:entity-content',
});

/**
 * The path of the "Postmortems" tab under an entity's page. The org page and the DORA incident links lead there, so
 * mount the tab at this path (both frontend systems do by default).
 *
 * @public
 */
export const POSTMORTEMS_TAB_PATH = 'postmortems';
