import { createApiRef } from '@backstage/core-plugin-api';
import type { OnboardingApi } from '@vitals/plugin-onboarding-common';

/** The onboarding API, implemented by `OnboardingClient` from `@vitals/plugin-onboarding-common`. @public */
export const onboardingApiRef = createApiRef<OnboardingApi>({
  id: 'plugin.onboarding.service',
});
