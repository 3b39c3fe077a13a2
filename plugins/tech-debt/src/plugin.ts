import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { TechDebtClient } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from './api/techDebtApiRef';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The tech-debt plugin for apps on the legacy frontend system. @public */
export const techDebtPlugin = createPlugin({
  id: 'tech-debt',
  apis: [
    createApiFactory({
      api: techDebtApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TechDebtClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The org-wide register page; mount it at `/tech-debt`. @public */
export const TechDebtPage: () => JSX.Element = techDebtPlugin.provide(
  createRoutableExtension({
    name: 'TechDebtPage',
    component: () =>
      import('./components/TechDebtPage').then(m => m.TechDebtPage),
    mountPoint: rootRouteRef,
  }),
);

/** The "Tech debt" tab of an entity page. @public */
export const EntityTechDebtContent: () => JSX.Element = techDebtPlugin.provide(
  createRoutableExtension({
    name: 'EntityTechDebtContent',
    component: () =>
      import('./components/EntityTechDebtContent').then(
        m => m.EntityTechDebtContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/** Overview card of an entity's debt: open items, effort and the top three. @public */
export const EntityTechDebtCard: () => JSX.Element = techDebtPlugin.provide(
  createComponentExtension({
    name: 'EntityTechDebtCard',
    component: {
      lazy: () =>
        import('./components/EntityTechDebtCard').then(
          m => m.EntityTechDebtCard,
        ),
    },
  }),
);

/** A team's quarterly debt budget, for Group entity pages. @public */
export const GroupTechDebtBudgetCard: () => JSX.Element =
  techDebtPlugin.provide(
    createComponentExtension({
      name: 'GroupTechDebtBudgetCard',
      component: {
        lazy: () =>
          import('./components/GroupTechDebtBudgetCard').then(
            m => m.GroupTechDebtBudgetCard,
          ),
      },
    }),
  );
