import { createBuiltInFactsModule } from './builtInFactsModule';
import {
  createOnboardingFactProvider,
  createServiceOnboardingClient,
} from './onboardingFactProvider';

/**
 * The `onboarding` fact provider as a backend module: the owning team's onboarding figures, read from
 * `@vitals/plugin-onboarding-backend` over HTTP with the scorecards plugin's service credentials. Off when
 * `scorecards.providers.onboarding.enabled` is false.
 *
 * @public
 */
export const scorecardsModuleOnboardingFacts = createBuiltInFactsModule({
  moduleId: 'onboarding-facts',
  key: 'onboarding',
  createProvider: ({ logger, auth, discovery }) =>
    createOnboardingFactProvider({
      client: createServiceOnboardingClient({ discovery, auth }),
      logger,
    }),
});
