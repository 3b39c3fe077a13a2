import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { OwnershipClient } from '@vitals/plugin-ownership-common';
import { ownershipApiRef } from './api/ownershipApiRef';
import { rootRouteRef } from './routes';

/** The ownership plugin for apps on the legacy frontend system. @public */
export const ownershipPlugin = createPlugin({
  id: 'ownership',
  apis: [
    createApiFactory({
      api: ownershipApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OwnershipClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The org page; mount it at `/ownership`. @public */
export const OwnershipPage: () => JSX.Element = ownershipPlugin.provide(
  createRoutableExtension({
    name: 'OwnershipPage',
    component: () =>
      import('./components/OwnershipPage').then(m => m.OwnershipPage),
    mountPoint: rootRouteRef,
  }),
);

/** The Ownership card of an entity page. @public */
export const EntityOwnershipCard: () => JSX.Element = ownershipPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnershipCard',
    component: {
      lazy: () =>
        import('./components/EntityOwnershipCard').then(
          m => m.EntityOwnershipCard,
        ),
    },
  }),
);

/** A team's ownership figures, for Group entity pages. @public */
export const GroupOwnershipCard: () => JSX.Element = ownershipPlugin.provide(
  createComponentExtension({
    name: 'GroupOwnershipCard',
    component: {
      lazy: () =>
        import('./components/GroupOwnershipCard').then(
          m => m.GroupOwnershipCard,
        ),
    },
  }),
);
