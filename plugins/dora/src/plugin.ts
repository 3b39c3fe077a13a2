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
import {
  entityContentRouteRef,
  entityFlowContentRouteRef,
  flowRouteRef,
  rootRouteRef,
} from './routes';

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
  routes: { root: rootRouteRef, flow: flowRouteRef },
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

/** Overview card of an entity: the DORA metrics with tiers and sparklines. @public */
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

/** The org page of flow, every team's pull request cycle time side by side; mount it at `/flow`. @public */
export const FlowPage: () => JSX.Element = doraPlugin.provide(
  createRoutableExtension({
    name: 'FlowPage',
    component: () => import('./components/FlowPage').then(m => m.FlowPage),
    mountPoint: flowRouteRef,
  }),
);

/** The "Flow" tab of an entity page: PR cycle time in four parts, reviews, size, waiting pull requests, CI/CD friction. @public */
export const EntityFlowContent: () => JSX.Element = doraPlugin.provide(
  createRoutableExtension({
    name: 'EntityFlowContent',
    component: () =>
      import('./components/EntityFlowContent').then(m => m.EntityFlowContent),
    mountPoint: entityFlowContentRouteRef,
  }),
);

/** Overview card of an entity: the cycle-time parts' medians, pull requests waiting for review, flaky and success rates. @public */
export const EntityFlowCard: () => JSX.Element = doraPlugin.provide(
  createComponentExtension({
    name: 'EntityFlowCard',
    component: {
      lazy: () =>
        import('./components/EntityFlowCard').then(m => m.EntityFlowCard),
    },
  }),
);

/** A team's flow, pooled over what it owns, with its pull requests waiting for review, for Group entity pages. @public */
export const GroupFlowCard: () => JSX.Element = doraPlugin.provide(
  createComponentExtension({
    name: 'GroupFlowCard',
    component: {
      lazy: () =>
        import('./components/GroupFlowCard').then(m => m.GroupFlowCard),
    },
  }),
);
