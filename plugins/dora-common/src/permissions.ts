import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Send delivery events (deployments, changes, incidents) for an entity. A resource permission on the entity, so that a
 * policy can allow it for the entity's owners. It is checked for every caller: a service principal (CI with a static
 * token) is decided by its access restrictions, so a token restricted to `dora.event.create` may send events and one
 * restricted to anything else may not.
 *
 * @public
 */
export const doraEventCreatePermission = createPermission({
  name: 'dora.event.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Every permission of the DORA plugin. @public */
export const doraPermissions = [doraEventCreatePermission];
