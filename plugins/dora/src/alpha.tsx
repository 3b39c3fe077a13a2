import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TimelineIcon from '@material-ui/icons/Timeline';
import { DoraClient } from '@vitals/plugin-dora-common';
import { doraApiRef } from './api/doraApiRef';

const orgRouteRef = createRouteRef();

const doraApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: doraApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DoraClient({ discoveryApi, fetchApi }),
    }),
});

const doraPage = PageBlueprint.make({
  params: {
    path: '/dora',
    title: 'DORA',
    icon: <TimelineIcon />,
    routeRef: orgRouteRef,
    loader: () => import('./components/DoraPage').then(m => <m.DoraPage />),
  },
});

const entityDoraContent = EntityContentBlueprint.make({
  params: {
    path: 'dora',
    title: 'DORA',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityDoraContent').then(m => (
        <m.EntityDoraContent />
      )),
  },
});

const entityDoraCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityDoraCard').then(m => <m.EntityDoraCard />),
  },
});

const groupDoraCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupDoraCard').then(m => <m.GroupDoraCard />),
  },
});

/**
 * The DORA plugin for apps on the new frontend system: the API, the `/dora` org page, the entity tab and card, and the
 * group card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dora',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    doraApi,
    doraPage,
    entityDoraContent,
    entityDoraCard,
    groupDoraCard,
  ],
  routes: { root: orgRouteRef },
});
