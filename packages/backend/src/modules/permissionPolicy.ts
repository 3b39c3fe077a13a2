import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
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
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { isClaimedEntity } from './isClaimedEntityRule';

/** Permission names of the Vitals plugins start with their plugin id. */
const VITALS_PLUGIN_IDS = ['tech-debt', 'dora', 'ownership', 'onboarding', 'scorecards'];

export function isVitalsPermission(name: string): boolean {
  return VITALS_PLUGIN_IDS.some(id => name.startsWith(`${id}.`));
}

/**
 * The portal's policy. Everyone signed in may read everything. Changes to an entity's Vitals data (its debt register,
 * a team's budget, ...) are allowed to the entity's owners: the user, or a group the user is a member of, as recorded
 * in the catalog. For a Group entity, being a member of the group counts as owning it.
 */
export class VitalsPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: string[];

  /** @param options.adminGroups - members of these groups (config `vitals.adminGroups`) are Vitals admins */
  constructor(options: { adminGroups?: string[] } = {}) {
    this.adminGroups = (options.adminGroups ?? []).map(g => g.toLocaleLowerCase('en-US'));
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const { permission } = request;
    if (permission.name === 'onboarding.progress.reset') {
      // Resetting someone's onboarding progress is for admins only.
      const claims = (user?.info.ownershipEntityRefs ?? []).map(c => c.toLocaleLowerCase('en-US'));
      return { result: claims.some(c => this.adminGroups.includes(c)) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (!isVitalsPermission(permission.name) || permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, 'catalog-entity')) {
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

export const permissionModuleVitalsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'vitals-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new VitalsPermissionPolicy({ adminGroups: config.getOptionalStringArray('vitals.adminGroups') ?? [] }),
        );
      },
    });
  },
});
