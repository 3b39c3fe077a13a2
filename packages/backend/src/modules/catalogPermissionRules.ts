import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { isClaimedEntityRule } from './isClaimedEntityRule';

/** Adds the Vitals permission rules to the catalog, which evaluates conditions on `catalog-entity` resources. */
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
