import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GoalsClient } from '@vitals/plugin-goals-common';
import { goalsApiRef } from './api/goalsApiRef';
import { campaignsRouteRef, rootRouteRef } from './routes';

/** The goals plugin for apps on the legacy frontend system. @public */
export const goalsPlugin = createPlugin({
  id: 'goals',
  apis: [
    createApiFactory({
      api: goalsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoalsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, campaigns: campaignsRouteRef },
});

/** Goals by team and period with their key results' live standing; mount it at `/goals`. @public */
export const GoalsPage: () => JSX.Element = goalsPlugin.provide(
  createRoutableExtension({
    name: 'GoalsPage',
    component: () => import('./components/GoalsPage').then(m => m.GoalsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The campaigns and, below it, each campaign's page; mount it at `/campaigns` (with `/*` so its pages resolve). @public */
export const CampaignsPage: () => JSX.Element = goalsPlugin.provide(
  createRoutableExtension({
    name: 'CampaignsPage',
    component: () =>
      import('./components/CampaignsPage').then(m => m.CampaignsPage),
    mountPoint: campaignsRouteRef,
  }),
);

/** A team's goals this quarter and their status, for Group entity pages. @public */
export const EntityGoalsCard: () => JSX.Element = goalsPlugin.provide(
  createComponentExtension({
    name: 'EntityGoalsCard',
    component: {
      lazy: () =>
        import('./components/EntityGoalsCard').then(m => m.EntityGoalsCard),
    },
  }),
);

/** The running campaigns that ask something of an entity, for Component entity pages. @public */
export const EntityCampaignsCard: () => JSX.Element = goalsPlugin.provide(
  createComponentExtension({
    name: 'EntityCampaignsCard',
    component: {
      lazy: () =>
        import('./components/EntityCampaignsCard').then(
          m => m.EntityCampaignsCard,
        ),
    },
  }),
);
