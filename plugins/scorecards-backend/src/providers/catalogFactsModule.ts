import { createBackendModule } from '@backstage/backend-plugin-api';
import { scorecardsFactProvidersExtensionPoint } from '@vitals/plugin-scorecards-node';
import { catalogFactProvider } from './catalogFactProvider';

/**
 * The `catalog` fact provider as a backend module: facts read from the catalog entity itself (owner, description,
 * TechDocs and ADR annotations, runbook, lifecycle, system, tags, links). No calls, no config.
 *
 * @public
 */
export const scorecardsModuleCatalogFacts = createBackendModule({
  pluginId: 'scorecards',
  moduleId: 'catalog-facts',
  register(reg) {
    reg.registerInit({
      deps: { providers: scorecardsFactProvidersExtensionPoint },
      async init({ providers }) {
        providers.addFactProvider(catalogFactProvider);
      },
    });
  },
});
