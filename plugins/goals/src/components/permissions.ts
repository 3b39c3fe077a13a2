import { usePermission } from '@backstage/plugin-permission-react';
import {
  goalsCampaignCreatePermission,
  goalsCampaignUpdatePermission,
  goalsOrgGoalManagePermission,
  goalsTeamGoalManagePermission,
} from '@vitals/plugin-goals-common';
import { scorecardsDefinitionUpdatePermission } from '@vitals/plugin-scorecards-common';

/**
 * Whether the signed-in user may create or change the goals of `ownerRef` (a Group; null for the org's goals): the
 * team's members and the admins for a team, the admins for the org, as the permission policy decides.
 */
export function useGoalEditPermission(ownerRef: string | null): {
  loading: boolean;
  allowed: boolean;
} {
  const team = usePermission({
    permission: goalsTeamGoalManagePermission,
    resourceRef: ownerRef ?? undefined,
  });
  const org = usePermission({ permission: goalsOrgGoalManagePermission });
  return ownerRef ? team : org;
}

/** Whether the signed-in user may launch campaigns, and edit them. */
export function useCampaignPermissions(): {
  loading: boolean;
  canCreate: boolean;
  canUpdate: boolean;
} {
  const create = usePermission({ permission: goalsCampaignCreatePermission });
  const update = usePermission({ permission: goalsCampaignUpdatePermission });
  return {
    loading: create.loading || update.loading,
    canCreate: create.allowed,
    canUpdate: update.allowed,
  };
}

/**
 * Whether the signed-in user may make a campaign's checks permanent: it needs both the campaign permission and the
 * scorecards' permission to change definitions (the goals backend calls scorecards with the user's own token).
 */
export function useCampaignPromotePermission(): {
  loading: boolean;
  allowed: boolean;
} {
  const update = usePermission({ permission: goalsCampaignUpdatePermission });
  const definitions = usePermission({
    permission: scorecardsDefinitionUpdatePermission,
  });
  return {
    loading: update.loading || definitions.loading,
    allowed: update.allowed && definitions.allowed,
  };
}
