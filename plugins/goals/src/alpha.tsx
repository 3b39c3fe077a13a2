import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import FlagIcon from '@material-ui/icons/Flag';
import EventIcon from '@material-ui/icons/Event';
import { GoalsClient } from '@vitals/plugin-goals-common';
import { goalsApiRef } from './api/goalsApiRef';

const goalsRouteRef = createRouteRef();
const campaignsRouteRef = createRouteRef();

const goalsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: goalsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoalsClient({ discoveryApi, fetchApi }),
    }),
});

const goalsPage = PageBlueprint.make({
  params: {
    path: '/goals',
    title: 'Goals',
    icon: <FlagIcon />,
    routeRef: goalsRouteRef,
    loader: () => import('./components/GoalsPage').then(m => <m.GoalsPage />),
  },
});

const campaignsPage = PageBlueprint.make({
  name: 'campaigns',
  params: {
    path: '/campaigns',
    title: 'Campaigns',
    icon: <EventIcon />,
    routeRef: campaignsRouteRef,
    loader: () =>
      import('./components/CampaignsPage').then(m => <m.CampaignsPage />),
  },
});

const entityGoalsCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/EntityGoalsCard').then(m => <m.EntityGoalsCard />),
  },
});

const entityCampaignsCard = EntityCardBlueprint.make({
  name: 'campaigns',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityCampaignsCard').then(m => (
        <m.EntityCampaignsCard />
      )),
  },
});

/**
 * The goals plugin for apps on the new frontend system: the API, the `/goals` and `/campaigns` pages (with their nav
 * items), the goals card of group pages and the campaigns card of component pages.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'goals',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    goalsApi,
    goalsPage,
    campaignsPage,
    entityGoalsCard,
    entityCampaignsCard,
  ],
  routes: { root: goalsRouteRef, campaigns: campaignsRouteRef },
});
