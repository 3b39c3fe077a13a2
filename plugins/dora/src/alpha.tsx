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
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { DoraClient } from '@vitals/plugin-dora-common';
import { doraApiRef } from './api/doraApiRef';

const orgRouteRef = createRouteRef();
const flowRouteRef = createRouteRef();

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

const flowPage = PageBlueprint.make({
  name: 'flow',
  params: {
    path: '/flow',
    title: 'Flow',
    icon: <CallSplitIcon />,
    routeRef: flowRouteRef,
    loader: () => import('./components/FlowPage').then(m => <m.FlowPage />),
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

const entityFlowContent = EntityContentBlueprint.make({
  name: 'flow',
  params: {
    path: 'flow',
    title: 'Flow',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityFlowContent').then(m => (
        <m.EntityFlowContent />
      )),
  },
});

const entityFlowCard = EntityCardBlueprint.make({
  name: 'flow',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityFlowCard').then(m => <m.EntityFlowCard />),
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

const groupFlowCard = EntityCardBlueprint.make({
  name: 'group-flow',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupFlowCard').then(m => <m.GroupFlowCard />),
  },
});

/**
 * The DORA plugin for apps on the new frontend system: the API, the `/dora` and `/flow` org pages, the DORA and Flow
 * entity tabs and cards, and the group cards.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dora',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    doraApi,
    doraPage,
    flowPage,
    entityDoraContent,
    entityDoraCard,
    groupDoraCard,
    entityFlowContent,
    entityFlowCard,
    groupFlowCard,
  ],
  routes: { root: orgRouteRef, flow: flowRouteRef },
});
