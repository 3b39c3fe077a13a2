import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { VitalsClientsFactory } from '../clients';

/** What every action needs: the registry to register with, and the areas' clients for the caller. */
export interface ActionDeps {
  registry: ActionsRegistryService;
  clientsFor: VitalsClientsFactory;
}
