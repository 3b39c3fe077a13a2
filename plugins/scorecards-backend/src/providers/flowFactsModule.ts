import { createBuiltInFactsModule } from './builtInFactsModule';
import { createServiceDoraClient } from './doraFactProvider';
import { createFlowFactProvider } from './flowFactProvider';

/**
 * The `flow` fact provider as a backend module: pull-request cycle time in four parts (median hours of coding, pickup,
 * review and deploy), the shares merged without review and too large over the last 90 days, and the pull requests
 * waiting for a first review now, read from `@vitals/plugin-dora-backend` over HTTP with the scorecards plugin's service
 * credentials. Off when `scorecards.providers.flow.enabled` is false, or when it is not set and
 * `scorecards.providers.dora.enabled` is false (the same backend).
 *
 * @public
 */
export const scorecardsModuleFlowFacts = createBuiltInFactsModule({
  moduleId: 'flow-facts',
  key: 'flow',
  defaultSwitch: 'dora',
  createProvider: ({ logger, auth, discovery }) =>
    createFlowFactProvider({
      client: createServiceDoraClient({ discovery, auth }),
      logger,
    }),
});
