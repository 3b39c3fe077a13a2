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
import BuildIcon from '@material-ui/icons/Build';
import { TechDebtClient } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from './api/techDebtApiRef';

const registerRouteRef = createRouteRef();

const techDebtApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: techDebtApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TechDebtClient({ discoveryApi, fetchApi }),
    }),
});

const techDebtPage = PageBlueprint.make({
  params: {
    path: '/tech-debt',
    title: 'Tech debt',
    icon: <BuildIcon />,
    routeRef: registerRouteRef,
    loader: () =>
      import('./components/TechDebtPage').then(m => <m.TechDebtPage />),
  },
});

const entityTechDebtContent = EntityContentBlueprint.make({
  params: {
    path: 'tech-debt',
    title: 'Tech debt',
    filter: 'kind:component,system,resource,api',
    loader: () =>
      import('./components/EntityTechDebtContent').then(m => (
        <m.EntityTechDebtContent />
      )),
  },
});

const entityTechDebtCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component,system,resource,api',
    loader: () =>
      import('./components/EntityTechDebtCard').then(m => (
        <m.EntityTechDebtCard />
      )),
  },
});

const groupTechDebtBudgetCard = EntityCardBlueprint.make({
  name: 'group-budget',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupTechDebtBudgetCard').then(m => (
        <m.GroupTechDebtBudgetCard />
      )),
  },
});

/**
 * The tech-debt plugin for apps on the new frontend system: the API, the `/tech-debt` page, the entity tab and card,
 * and the group budget card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'tech-debt',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    techDebtApi,
    techDebtPage,
    entityTechDebtContent,
    entityTechDebtCard,
    groupTechDebtBudgetCard,
  ],
  routes: { root: registerRouteRef },
});
