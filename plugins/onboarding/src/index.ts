/**
 * Vitals onboarding for Backstage: My onboarding page with the Teams report and Templates, the "Get started with this
 * service" entity card and the team card.
 *
 * @packageDocumentation
 */
export {
  onboardingPlugin,
  OnboardingPage,
  EntityOnboardingCard,
  GroupOnboardingCard,
} from './plugin';
export { onboardingApiRef } from './api/onboardingApiRef';
export { rootRouteRef as onboardingRouteRef } from './routes';
