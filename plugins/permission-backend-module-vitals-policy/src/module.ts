import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { isClaimedEntityRule } from './isClaimedEntityRule';
import { VitalsPermissionPolicy } from './policy';

/**
 * Installs the Vitals policy in the permission backend, with the admin groups of `vitals.adminGroups`.
 *
 * @public
 */
export const permissionModuleVitalsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'vitals-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new VitalsPermissionPolicy({
            adminGroups:
              config.getOptionalStringArray('vitals.adminGroups') ?? [],
          }),
        );
      },
    });
  },
});

/**
 * Adds the `IS_CLAIMED_ENTITY` rule to the catalog, which evaluates the policy's conditions on `catalog-entity`
 * resources.
 *
 * @public
 */
export const catalogModuleVitalsPermissionRules = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'vitals-permission-rules',
  register(reg) {
    reg.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([isClaimedEntityRule]);
      },
    });
  },
});

/**
 * Both halves: the policy in the permission backend and its rule in the catalog. `backend.add(import(...))` of this
 * package installs them together.
 *
 * @public
 */
export const vitalsPermissionPolicyFeatures = createBackendFeatureLoader({
  *loader() {
    yield permissionModuleVitalsPolicy;
    yield catalogModuleVitalsPermissionRules;
  },
});
