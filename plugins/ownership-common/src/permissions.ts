import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Confirm that the current owner still owns an entity. A resource permission on the entity with action `update`, so
 * that a policy can allow it to the entity's owners (the members of the owning team) only.
 *
 * @public
 */
export const ownershipConfirmPermission = createPermission({
  name: 'ownership.confirm',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission of the ownership plugin. @public */
export const ownershipPermissions = [ownershipConfirmPermission];
