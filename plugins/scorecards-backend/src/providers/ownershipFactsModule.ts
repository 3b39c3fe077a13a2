import { createBuiltInFactsModule } from './builtInFactsModule';
import {
  createOwnershipFactProvider,
  createServiceOwnershipClient,
} from './ownershipFactProvider';

/**
 * The `ownership` fact provider as a backend module: ownership health, problems, confirmation and owner size, read
 * from `@vitals/plugin-ownership-backend` over HTTP with the scorecards plugin's service credentials. Off when
 * `scorecards.providers.ownership.enabled` is false.
 *
 * @public
 */
export const scorecardsModuleOwnershipFacts = createBuiltInFactsModule({
  moduleId: 'ownership-facts',
  key: 'ownership',
  createProvider: ({ logger, auth, discovery }) =>
    createOwnershipFactProvider({
      client: createServiceOwnershipClient({ discovery, auth }),
      logger,
    }),
});
