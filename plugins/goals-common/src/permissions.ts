import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Create, edit or delete a team's goal, or type in the value of its manual key result. A resource permission on the
 * owning Group, so that a policy can allow it for the team's members (and admins).
 *
 * @public
 */
export const goalsTeamGoalManagePermission = createPermission({
  name: 'goals.team-goal.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Create, edit or delete an org goal (one with no owning team). @public */
export const goalsOrgGoalManagePermission = createPermission({
  name: 'goals.org-goal.manage',
  attributes: { action: 'update' },
});

/** Create a campaign (it runs from its creation). @public */
export const goalsCampaignCreatePermission = createPermission({
  name: 'goals.campaign.create',
  attributes: { action: 'create' },
});

/** Edit or delete a campaign. @public */
export const goalsCampaignUpdatePermission = createPermission({
  name: 'goals.campaign.update',
  attributes: { action: 'update' },
});

/** Every permission of the goals plugin. @public */
export const goalsPermissions = [
  goalsTeamGoalManagePermission,
  goalsOrgGoalManagePermission,
  goalsCampaignCreatePermission,
  goalsCampaignUpdatePermission,
];
