import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ScorecardsClient } from '@vitals/plugin-scorecards-common';
import { scorecardsApiRef } from './api/scorecardsApiRef';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The scorecards plugin for apps on the legacy frontend system. @public */
export const scorecardsPlugin = createPlugin({
  id: 'scorecards',
  apis: [
    createApiFactory({
      api: scorecardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The org page: level distribution, teams × checks heatmap, trend and CSV export; mount it at `/scorecards`. @public */
export const ScorecardsPage: () => JSX.Element = scorecardsPlugin.provide(
  createRoutableExtension({
    name: 'ScorecardsPage',
    component: () =>
      import('./components/ScorecardsPage').then(m => m.ScorecardsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The "Scorecards" tab of an entity page: every check, waivers and history. @public */
export const EntityScorecardsContent: () => JSX.Element =
  scorecardsPlugin.provide(
    createRoutableExtension({
      name: 'EntityScorecardsContent',
      component: () =>
        import('./components/EntityScorecardsContent').then(
          m => m.EntityScorecardsContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );

/** An entity's level per scorecard and what to do to reach the next one. @public */
export const EntityScorecardsCard: () => JSX.Element = scorecardsPlugin.provide(
  createComponentExtension({
    name: 'EntityScorecardsCard',
    component: {
      lazy: () =>
        import('./components/EntityScorecardsCard').then(
          m => m.EntityScorecardsCard,
        ),
    },
  }),
);

/** A team's roll-up: levels of its entities and the checks failing most, for Group entity pages. @public */
export const GroupScorecardsCard: () => JSX.Element = scorecardsPlugin.provide(
  createComponentExtension({
    name: 'GroupScorecardsCard',
    component: {
      lazy: () =>
        import('./components/GroupScorecardsCard').then(
          m => m.GroupScorecardsCard,
        ),
    },
  }),
);

/**
 * A team's next best actions, ranked by cost of delay: failing checks, debt, ownership problems, stalled onboarding
 * and waivers ending soon, for Group entity pages. @public
 */
export const GroupNextActionsCard: () => JSX.Element = scorecardsPlugin.provide(
  createComponentExtension({
    name: 'GroupNextActionsCard',
    component: {
      lazy: () =>
        import('./components/GroupNextActionsCard').then(
          m => m.GroupNextActionsCard,
        ),
    },
  }),
);
