import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createPostmortemConditionalDecision,
  POSTMORTEM_RESOURCE_TYPE,
  postmortemConditions,
  postmortemReadPermission,
} from '@vitals/plugin-postmortems-common';
import { isClaimedEntity } from './isClaimedEntityRule';

/** Permission names of the Vitals plugins start with their plugin id and a dot. */
const VITALS_PLUGIN_IDS = [
  'tech-debt',
  'dora',
  'ownership',
  'onboarding',
  'scorecards',
  'postmortems',
  'goals',
];

/** @public */
export function isVitalsPermission(name: string): boolean {
  return VITALS_PLUGIN_IDS.some(id => name.startsWith(`${id}.`));
}

/** Catalog changes that only the entity's owners (or admins) may make; conditional on the entity. */
const OWNER_CATALOG_PERMISSIONS = new Set([
  catalogEntityDeletePermission.name,
  catalogEntityRefreshPermission.name,
]);

/**
 * Changes that belong to admins alone: what a location registers is not owned by anybody yet, and resetting or starting
 * somebody else's onboarding is an administrator's act.
 */
const ADMIN_ONLY_PERMISSIONS = new Set([
  catalogEntityCreatePermission.name,
  catalogLocationCreatePermission.name,
  catalogLocationDeletePermission.name,
  catalogLocationAnalyzePermission.name,
  catalogIngestionManagePermission.name,
  'onboarding.progress.reset',
  'onboarding.progress.start',
  // Goals: org goals and campaigns (which ask every team for work) are set by admins.
  'goals.org-goal.manage',
  'goals.campaign.create',
  'goals.campaign.update',
  // Scorecards: promoting a check (or withdrawing a promotion) changes the definitions every team is scored by.
  'scorecards.definition.update',
]);

/**
 * Vitals changes decided by the entity's owners that admins may make too: a team's goals are set by its members or by
 * the admin groups.
 */
const OWNER_OR_ADMIN_PERMISSIONS = new Set(['goals.team-goal.manage']);

/** Checks with no side effect that every signed-in user may run although they are not declared as reads. */
const HARMLESS_PERMISSIONS = new Set([catalogEntityValidatePermission.name]);

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * True when the user is a member of one of the admin groups, by the ownership claims the sign-in put in their token.
 *
 * @public
 */
export function isVitalsAdmin(
  user: PolicyQueryUser | undefined,
  adminGroups: string[],
): boolean {
  const admins = new Set(adminGroups.map(lower));
  return (user?.info.ownershipEntityRefs ?? []).some(claim =>
    admins.has(lower(claim)),
  );
}

/**
 * The Vitals permission policy. It decides every permission it is asked about, Backstage's own included, and denies
 * what it does not know:
 *
 * - a signed-in user may read everything (any permission whose action is `read`) and validate entities, except a
 *   postmortem that is not published: a draft or one in review is read by the members of the team that owns the
 *   affected entity and by its authors (a conditional decision the postmortems plugin applies), and by admins;
 * - an entity's owners — the user, or a group the user is a member of, as the catalog records it; for a Group entity,
 *   being a member counts — may change its Vitals data and delete or refresh it in the catalog;
 * - members of the admin groups (`vitals.adminGroups`) may also delete or refresh any entity, manage catalog locations,
 *   start or reset anyone's onboarding, set any team's goals, and alone set org goals, run campaigns and change the
 *   scorecard definitions (promote a check to a permanent requirement);
 * - everything else is denied, and so is every request without a signed-in user.
 *
 * Service principals never reach a policy: Backstage decides them by their `accessRestrictions`.
 *
 * @public
 */
export class VitalsPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: string[];

  /** `options.adminGroups`: members of these groups (config `vitals.adminGroups`) are Vitals admins */
  constructor(options: { adminGroups?: string[] } = {}) {
    this.adminGroups = options.adminGroups ?? [];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (!user || claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    const admin = isVitalsAdmin(user, this.adminGroups);
    if (
      permission.name === postmortemReadPermission.name &&
      isResourcePermission(permission, POSTMORTEM_RESOURCE_TYPE)
    ) {
      if (admin) return { result: AuthorizeResult.ALLOW };
      return createPostmortemConditionalDecision(permission, {
        anyOf: [
          postmortemConditions.isPublished(),
          postmortemConditions.isAuthor({ claims }),
          postmortemConditions.isOwnedBy({ claims }),
        ],
      });
    }
    if (
      permission.attributes.action === 'read' ||
      HARMLESS_PERMISSIONS.has(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (ADMIN_ONLY_PERMISSIONS.has(permission.name)) {
      return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      (OWNER_CATALOG_PERMISSIONS.has(permission.name) ||
        OWNER_OR_ADMIN_PERMISSIONS.has(permission.name)) &&
      admin
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    const ownerDecides =
      OWNER_CATALOG_PERMISSIONS.has(permission.name) ||
      isVitalsPermission(permission.name);
    if (ownerDecides && isResourcePermission(permission, 'catalog-entity')) {
      return createCatalogConditionalDecision(permission, {
        anyOf: [
          catalogConditions.isEntityOwner({ claims }),
          isClaimedEntity({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}
