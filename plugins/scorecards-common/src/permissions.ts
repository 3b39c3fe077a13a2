import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Waive a check of a scorecard for an entity. A resource permission on the entity, so that a policy can allow it for
 * the entity's owners only.
 *
 * @public
 */
export const scorecardsWaiverCreatePermission = createPermission({
  name: 'scorecards.waiver.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Change the reason or expiry of an entity's waiver. @public */
export const scorecardsWaiverUpdatePermission = createPermission({
  name: 'scorecards.waiver.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Withdraw an entity's waiver before it expires. @public */
export const scorecardsWaiverDeletePermission = createPermission({
  name: 'scorecards.waiver.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Evaluate an entity's scorecards now (`POST /v1/entities/refresh`), calling every fact provider. A resource permission
 * on the entity, so that a policy can allow it to the entity's owners.
 *
 * @public
 */
export const scorecardsEntityRefreshPermission = createPermission({
  name: 'scorecards.entity.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Change the scorecard definitions: promote a check to a permanent requirement at a level, or withdraw a promotion
 * (`/v1/promotions`). Not tied to an entity: definitions apply across the catalog, so a policy gives it to platform
 * admins.
 *
 * @public
 */
export const scorecardsDefinitionUpdatePermission = createPermission({
  name: 'scorecards.definition.update',
  attributes: { action: 'update' },
});

/** Every permission of the scorecards plugin. @public */
export const scorecardsPermissions = [
  scorecardsWaiverCreatePermission,
  scorecardsWaiverUpdatePermission,
  scorecardsWaiverDeletePermission,
  scorecardsEntityRefreshPermission,
  scorecardsDefinitionUpdatePermission,
];
