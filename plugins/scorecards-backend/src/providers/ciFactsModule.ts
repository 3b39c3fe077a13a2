import { createBuiltInFactsModule } from './builtInFactsModule';
import { createCiFactProvider } from './ciFactProvider';
import { createServiceDoraClient } from './doraFactProvider';

/**
 * The `ci` fact provider as a backend module: CI/CD friction of the pipeline runs of the last 90 days (duration median
 * and p90, queue time, default-branch success rate, flaky rate, time to green), read from `@vitals/plugin-dora-backend`
 * over HTTP with the scorecards plugin's service credentials. Off when `scorecards.providers.ci.enabled` is false, or
 * when it is not set and `scorecards.providers.dora.enabled` is false (the same backend).
 *
 * @public
 */
export const scorecardsModuleCiFacts = createBuiltInFactsModule({
  moduleId: 'ci-facts',
  key: 'ci',
  defaultSwitch: 'dora',
  createProvider: ({ logger, auth, discovery }) =>
    createCiFactProvider({
      client: createServiceDoraClient({ discovery, auth }),
      logger,
    }),
});
