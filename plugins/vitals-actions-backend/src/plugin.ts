import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerConfirmOwnership } from './actions/confirmOwnership';
import { registerCreateDebtItem } from './actions/createDebtItem';
import { registerGetEntityHealth } from './actions/getEntityHealth';
import { registerGetFigureItems } from './actions/getFigureItems';
import { registerGetTeamHealth } from './actions/getTeamHealth';
import { registerGetTeamNextActions } from './actions/getTeamNextActions';
import { registerListWorstEntitiesForCheck } from './actions/listWorstEntitiesForCheck';
import { registerRequestWaiver } from './actions/requestWaiver';
import { createVitalsClientsFactory } from './clients';

/**
 * Vitals for AI agents: registers the Vitals actions (`vitals-actions:get-entity-health`, ...) with the actions
 * registry, which `@backstage/plugin-mcp-actions-backend` serves to MCP clients. Every action calls the Vitals areas'
 * HTTP APIs with the caller's own credentials, so it may do exactly what the caller may do in the portal.
 *
 * @public
 */
export const vitalsActionsPlugin = createBackendPlugin({
  pluginId: 'vitals-actions',
  register(env) {
    env.registerInit({
      deps: {
        registry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ registry, auth, discovery }) {
        const deps = {
          registry,
          clientsFor: createVitalsClientsFactory({ auth, discovery }),
        };
        registerGetEntityHealth(deps);
        registerGetTeamHealth(deps);
        registerGetTeamNextActions(deps);
        registerListWorstEntitiesForCheck(deps);
        registerGetFigureItems(deps);
        registerCreateDebtItem(deps);
        registerConfirmOwnership(deps);
        registerRequestWaiver(deps);
      },
    });
  },
});
