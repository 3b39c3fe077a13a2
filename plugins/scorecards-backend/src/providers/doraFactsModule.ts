import { createBuiltInFactsModule } from './builtInFactsModule';
import {
  createDoraFactProvider,
  createServiceDoraClient,
} from './doraFactProvider';

/**
 * The `dora` fact provider as a backend module: the four DORA metrics and their tiers over the last 90 days, read from
 * `@vitals/plugin-dora-backend` over HTTP with the scorecards plugin's service credentials, tiers from
 * `scorecards.providers.dora.benchmark` ('2023' by default, or '2021'). Off when `scorecards.providers.dora.enabled`
 * is false.
 *
 * @public
 */
export const scorecardsModuleDoraFacts = createBuiltInFactsModule({
  moduleId: 'dora-facts',
  key: 'dora',
  createProvider: ({ config, logger, auth, discovery }) => {
    const benchmark =
      config.getOptionalString('scorecards.providers.dora.benchmark') ?? '2023';
    if (benchmark !== '2023' && benchmark !== '2021') {
      throw new Error(
        `scorecards.providers.dora.benchmark must be '2023' or '2021', not '${benchmark}'`,
      );
    }
    return createDoraFactProvider({
      client: createServiceDoraClient({ discovery, auth }),
      logger,
      benchmark,
    });
  },
});
