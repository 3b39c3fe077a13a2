import { createBuiltInFactsModule } from './builtInFactsModule';
import {
  createServiceTechDebtClient,
  createTechDebtFactProvider,
} from './techDebtFactProvider';

/**
 * The `techDebt` fact provider as a backend module: open debt items and the owner's budget use, read from
 * `@vitals/plugin-tech-debt-backend` over HTTP with the scorecards plugin's service credentials. Off when
 * `scorecards.providers.techDebt.enabled` is false.
 *
 * @public
 */
export const scorecardsModuleTechDebtFacts = createBuiltInFactsModule({
  moduleId: 'tech-debt-facts',
  key: 'techDebt',
  createProvider: ({ logger, auth, discovery }) =>
    createTechDebtFactProvider({
      client: createServiceTechDebtClient({ discovery, auth }),
      logger,
    }),
});
