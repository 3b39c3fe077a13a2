import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Send delivery events (deployments, changes, incidents) for an entity. A resource permission on the entity, so that a
 * policy can allow it for the entity's owners. Service principals (CI with a static token) are not subject to the
 * policy.
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
