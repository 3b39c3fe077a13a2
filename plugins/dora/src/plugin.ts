import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DoraClient } from '@vitals/plugin-dora-common';
import { doraApiRef } from './api/doraApiRef';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The DORA plugin for apps on the legacy frontend system. @public */
export const doraPlugin = createPlugin({
  id: 'dora',
  apis: [
    createApiFactory({
      api: doraApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DoraClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The org page, every team's DORA metrics side by side; mount it at `/dora`. @public */
export const DoraPage: () => JSX.Element = doraPlugin.provide(
  createRoutableExtension({
    name: 'DoraPage',
    component: () => import('./components/DoraPage').then(m => m.DoraPage),
    mountPoint: rootRouteRef,
  }),
);

/** The "DORA" tab of an entity page: metrics, charts, drill-down tables and data health. @public */
export const EntityDoraContent: () => JSX.Element = doraPlugin.provide(
  createRoutableExtension({
    name: 'EntityDoraContent',
    component: () =>
      import('./components/EntityDoraContent').then(m => m.EntityDoraContent),
    mountPoint: entityContentRouteRef,
  }),
);

/** Overview card of an entity: the four DORA metrics with tiers and sparklines. @public */
export const EntityDoraCard: () => JSX.Element = doraPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraCard',
    component: {
      lazy: () =>
        import('./components/EntityDoraCard').then(m => m.EntityDoraCard),
    },
  }),
);

/** A team's DORA metrics, pooled over what it owns, for Group entity pages. @public */
export const GroupDoraCard: () => JSX.Element = doraPlugin.provide(
  createComponentExtension({
    name: 'GroupDoraCard',
    component: {
      lazy: () =>
        import('./components/GroupDoraCard').then(m => m.GroupDoraCard),
    },
  }),
);
