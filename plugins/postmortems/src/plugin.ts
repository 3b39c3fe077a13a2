import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PostmortemsClient } from '@vitals/plugin-postmortems-common';
import { postmortemsApiRef } from './api/postmortemsApiRef';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The postmortems plugin for apps on the legacy frontend system. @public */
export const postmortemsPlugin = createPlugin({
  id: 'postmortems',
  apis: [
    createApiFactory({
      api: postmortemsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PostmortemsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The org page: coverage per team, overdue postmortems and action items, repeat incidents; mount it at `/postmortems`. @public */
export const PostmortemsPage: () => JSX.Element = postmortemsPlugin.provide(
  createRoutableExtension({
    name: 'PostmortemsPage',
    component: () =>
      import('./components/PostmortemsPage').then(m => m.PostmortemsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Postmortems" tab of a service: its incidents with their postmortem status, its postmortems, the editor and the
 * read view with the action items. Mount it at `<entity page>/postmortems`.
 *
 * @public
 */
export const EntityPostmortemsContent: () => JSX.Element =
  postmortemsPlugin.provide(
    createRoutableExtension({
      name: 'EntityPostmortemsContent',
      component: () =>
        import('./components/EntityPostmortemsContent').then(
          m => m.EntityPostmortemsContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );
