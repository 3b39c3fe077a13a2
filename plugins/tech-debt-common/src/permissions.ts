import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Add a debt item to an entity's register. A resource permission on the entity, so that a policy can allow it for
 * the entity's owners only.
 *
 * @public
 */
export const techDebtItemCreatePermission = createPermission({
  name: 'tech-debt.item.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Edit an item of an entity's register, including changing its status. @public */
export const techDebtItemUpdatePermission = createPermission({
  name: 'tech-debt.item.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Delete an item of an entity's register. @public */
export const techDebtItemDeletePermission = createPermission({
  name: 'tech-debt.item.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/** Set a team's quarterly debt capacity budget. The resource is the Group entity. @public */
export const techDebtBudgetUpdatePermission = createPermission({
  name: 'tech-debt.budget.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission of the tech-debt plugin. @public */
export const techDebtPermissions = [
  techDebtItemCreatePermission,
  techDebtItemUpdatePermission,
  techDebtItemDeletePermission,
  techDebtBudgetUpdatePermission,
];
