import {
  ConditionalPolicyDecision,
  createPermission,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';

/** The plugin id, which permission-framework conditions name. @public */
export const POSTMORTEMS_PLUGIN_ID = 'postmortems';

/** The resource type of a postmortem (its resource ref is the postmortem id). @public */
export const POSTMORTEM_RESOURCE_TYPE = 'postmortem';

/**
 * Start a postmortem for an incident of an entity. A resource permission on the affected entity, so that a policy can
 * allow it for the entity's owners only.
 *
 * @public
 */
export const postmortemCreatePermission = createPermission({
  name: 'postmortems.postmortem.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Edit a postmortem of an entity (its sections, status and authors) and add or remove its action items. A resource
 * permission on the affected entity.
 *
 * @public
 */
export const postmortemUpdatePermission = createPermission({
  name: 'postmortems.postmortem.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Read a postmortem. A resource permission on the postmortem itself, so that a policy can answer with conditions on
 * it: the portal's policy lets everyone read a published postmortem, and a draft or one in review only the members of
 * the owning team and its authors (see {@link postmortemConditions}).
 *
 * @public
 */
export const postmortemReadPermission = createPermission({
  name: 'postmortems.postmortem.read',
  attributes: { action: 'read' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Every permission of the postmortems plugin. @public */
export const postmortemsPermissions = [
  postmortemCreatePermission,
  postmortemUpdatePermission,
  postmortemReadPermission,
];

/** The rules the postmortems backend evaluates on `postmortem` resources, by name. @public */
export const POSTMORTEM_RULES = {
  /** The postmortem is published. No parameters. */
  isPublished: 'IS_PUBLISHED',
  /** One of the postmortem's authors is among `claims` (a user's ref). */
  isAuthor: 'IS_AUTHOR',
  /** The owner of the affected entity is among `claims` (a user's ownership refs: the user and their groups). */
  isOwnedBy: 'IS_OWNED_BY',
} as const;

/** @public */
export type PostmortemCondition = PermissionCondition<
  typeof POSTMORTEM_RESOURCE_TYPE
>;

/**
 * The conditions a permission policy may answer `postmortems.postmortem.read` with. Plain data (the rules themselves
 * run in the postmortems backend), so that a policy module needs this package only.
 *
 * @public
 */
export const postmortemConditions = {
  isPublished: (): PostmortemCondition => ({
    rule: POSTMORTEM_RULES.isPublished,
    resourceType: POSTMORTEM_RESOURCE_TYPE,
    params: {},
  }),
  isAuthor: (params: { claims: string[] }): PostmortemCondition => ({
    rule: POSTMORTEM_RULES.isAuthor,
    resourceType: POSTMORTEM_RESOURCE_TYPE,
    params,
  }),
  isOwnedBy: (params: { claims: string[] }): PostmortemCondition => ({
    rule: POSTMORTEM_RULES.isOwnedBy,
    resourceType: POSTMORTEM_RESOURCE_TYPE,
    params,
  }),
};

/**
 * A conditional decision on a postmortem permission, for a permission policy.
 *
 * @public
 */
export function createPostmortemConditionalDecision(
  permission: ResourcePermission<typeof POSTMORTEM_RESOURCE_TYPE>,
  conditions: PermissionCriteria<PostmortemCondition>,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: POSTMORTEMS_PLUGIN_ID,
    resourceType: permission.resourceType,
    conditions,
  };
}
