import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import AssignmentIcon from '@material-ui/icons/Assignment';
import { PostmortemsClient } from '@vitals/plugin-postmortems-common';
import { postmortemsApiRef } from './api/postmortemsApiRef';
import { POSTMORTEMS_TAB_PATH } from './routes';

const orgRouteRef = createRouteRef();

const postmortemsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: postmortemsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PostmortemsClient({ discoveryApi, fetchApi }),
    }),
});

const postmortemsPage = PageBlueprint.make({
  params: {
    path: '/postmortems',
    title: 'Postmortems',
    icon: <AssignmentIcon />,
    routeRef: orgRouteRef,
    loader: () =>
      import('./components/PostmortemsPage').then(m => <m.PostmortemsPage />),
  },
});

const entityPostmortemsContent = EntityContentBlueprint.make({
  params: {
    path: POSTMORTEMS_TAB_PATH,
    title: 'Postmortems',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityPostmortemsContent').then(m => (
        <m.EntityPostmortemsContent />
      )),
  },
});

/**
 * The postmortems plugin for apps on the new frontend system: the API, the `/postmortems` page ("Postmortems" in the
 * nav) and the Postmortems tab of components.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'postmortems',
  info: { packageJson: () => import('../package.json') },
  extensions: [postmortemsApi, postmortemsPage, entityPostmortemsContent],
  routes: { root: orgRouteRef },
});
