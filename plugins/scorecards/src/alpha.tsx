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
import AssessmentIcon from '@material-ui/icons/Assessment';
import { ScorecardsClient } from '@vitals/plugin-scorecards-common';
import { scorecardsApiRef } from './api/scorecardsApiRef';

const pageRouteRef = createRouteRef();

// The kinds the example scorecards apply to; a scorecard that applies to none of an entity's kind shows the empty state.
const entityFilter = 'kind:component,system,resource,api';

const scorecardsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardsClient({ discoveryApi, fetchApi }),
    }),
});

const scorecardsPage = PageBlueprint.make({
  params: {
    path: '/scorecards',
    title: 'Scorecards',
    icon: <AssessmentIcon />,
    routeRef: pageRouteRef,
    loader: () =>
      import('./components/ScorecardsPage').then(m => <m.ScorecardsPage />),
  },
});

const entityScorecardsContent = EntityContentBlueprint.make({
  params: {
    path: 'scorecards',
    title: 'Scorecards',
    filter: entityFilter,
    loader: () =>
      import('./components/EntityScorecardsContent').then(m => (
        <m.EntityScorecardsContent />
      )),
  },
});

const entityScorecardsCard = EntityCardBlueprint.make({
  params: {
    filter: entityFilter,
    loader: () =>
      import('./components/EntityScorecardsCard').then(m => (
        <m.EntityScorecardsCard />
      )),
  },
});

const groupScorecardsCard = EntityCardBlueprint.make({
  name: 'group-rollup',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupScorecardsCard').then(m => (
        <m.GroupScorecardsCard />
      )),
  },
});

const groupNextActionsCard = EntityCardBlueprint.make({
  name: 'group-next-actions',
  params: {
    filter: 'kind:group',
    loader: () =>
      import('./components/GroupNextActionsCard').then(m => (
        <m.GroupNextActionsCard />
      )),
  },
});

/**
 * The scorecards plugin for apps on the new frontend system: the API, the `/scorecards` page, the entity tab and
 * card, the group roll-up card and the group's next best actions.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'scorecards',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    scorecardsApi,
    scorecardsPage,
    entityScorecardsContent,
    entityScorecardsCard,
    groupScorecardsCard,
    groupNextActionsCard,
  ],
  routes: { root: pageRouteRef },
});
