import { createBuiltInFactsModule } from './builtInFactsModule';
import {
  createPostmortemsFactProvider,
  createServicePostmortemsClient,
} from './postmortemsFactProvider';

/**
 * The `postmortems` fact provider as a backend module: postmortem coverage of the qualifying incidents of the last 90
 * days and open and overdue action items per entity, read from `@vitals/plugin-postmortems-backend` over HTTP with the
 * scorecards plugin's service credentials (one request per 100 entities). Off when
 * `scorecards.providers.postmortems.enabled` is false.
 *
 * @public
 */
export const scorecardsModulePostmortemsFacts = createBuiltInFactsModule({
  moduleId: 'postmortems-facts',
  key: 'postmortems',
  createProvider: ({ logger, auth, discovery }) =>
    createPostmortemsFactProvider({
      client: createServicePostmortemsClient({ discovery, auth }),
      logger,
    }),
});
