import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { OnboardingClient } from '@vitals/plugin-onboarding-common';
import { onboardingApiRef } from './api/onboardingApiRef';
import { rootRouteRef } from './routes';

/** The onboarding plugin for apps on the legacy frontend system. @public */
export const onboardingPlugin = createPlugin({
  id: 'onboarding',
  apis: [
    createApiFactory({
      api: onboardingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OnboardingClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The onboarding page: My onboarding, the Teams report (`/teams`) and the Templates (`/templates`); mount it at
 * `/onboarding`. @public
 */
export const OnboardingPage: () => JSX.Element = onboardingPlugin.provide(
  createRoutableExtension({
    name: 'OnboardingPage',
    component: () =>
      import('./components/OnboardingPage').then(m => m.OnboardingPage),
    mountPoint: rootRouteRef,
  }),
);

/** "Get started with this service": the caller's checklist for the entity, for component overview pages. @public */
export const EntityOnboardingCard: () => JSX.Element = onboardingPlugin.provide(
  createComponentExtension({
    name: 'EntityOnboardingCard',
    component: {
      lazy: () =>
        import('./components/EntityOnboardingCard').then(
          m => m.EntityOnboardingCard,
        ),
    },
  }),
);

/** A team's onboarding (people, progress, stalled, time to first value), for Group entity pages. @public */
export const GroupOnboardingCard: () => JSX.Element = onboardingPlugin.provide(
  createComponentExtension({
    name: 'GroupOnboardingCard',
    component: {
      lazy: () =>
        import('./components/GroupOnboardingCard').then(
          m => m.GroupOnboardingCard,
        ),
    },
  }),
);
