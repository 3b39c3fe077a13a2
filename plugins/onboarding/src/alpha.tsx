import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import SchoolIcon from '@material-ui/icons/School';
import { OnboardingClient } from '@vitals/plugin-onboarding-common';
import { onboardingApiRef } from './api/onboardingApiRef';

const pageRouteRef = createRouteRef();

const onboardingApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: onboardingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OnboardingClient({ discoveryApi, fetchApi }),
    }),
});

const onboardingPage = PageBlueprint.make({
  params: {
    path: '/onboarding',
    title: 'My onboarding',
    icon: <SchoolIcon />,
    routeRef: pageRouteRef,
    loader: () =>
      import('./components/OnboardingPage').then(m => <m.OnboardingPage />),
  },
});

// Shown on every component, like the other Vitals cards: a component without a checklist gets one line saying so.
const entityOnboardingCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityOnboardingCard').then(m => (
        <m.EntityOnboardingCard />
      )),
  },
});

const groupOnboardingCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupOnboardingCard').then(m => (
        <m.GroupOnboardingCard />
      )),
  },
});

/**
 * The onboarding plugin for apps on the new frontend system: the API, the `/onboarding` page ("My onboarding" in the
 * nav), the "Get started with this service" card on components and the team card on groups.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'onboarding',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    onboardingApi,
    onboardingPage,
    entityOnboardingCard,
    groupOnboardingCard,
  ],
  routes: { root: pageRouteRef },
});
