import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import PeopleIcon from '@material-ui/icons/People';
import { OwnershipClient } from '@vitals/plugin-ownership-common';
import { ownershipApiRef } from './api/ownershipApiRef';

const pageRouteRef = createRouteRef();

const ownershipApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ownershipApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OwnershipClient({ discoveryApi, fetchApi }),
    }),
});

const ownershipPage = PageBlueprint.make({
  params: {
    path: '/ownership',
    title: 'Ownership',
    icon: <PeopleIcon />,
    routeRef: pageRouteRef,
    loader: () =>
      import('./components/OwnershipPage').then(m => <m.OwnershipPage />),
  },
});

const entityOwnershipCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component,system,resource,api,domain',
    loader: () =>
      import('./components/EntityOwnershipCard').then(m => (
        <m.EntityOwnershipCard />
      )),
  },
});

const groupOwnershipCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupOwnershipCard').then(m => (
        <m.GroupOwnershipCard />
      )),
  },
});

/**
 * The ownership plugin for apps on the new frontend system: the API, the `/ownership` page, the entity card and the
 * group card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ownership',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    ownershipApi,
    ownershipPage,
    entityOwnershipCard,
    groupOwnershipCard,
  ],
  routes: { root: pageRouteRef },
});
