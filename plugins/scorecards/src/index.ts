/**
 * Vitals DX scorecards for Backstage: entity card and tab, the org page, the team roll-up card.
 *
 * @packageDocumentation
 */
export {
  scorecardsPlugin,
  ScorecardsPage,
  EntityScorecardsCard,
  EntityScorecardsContent,
  GroupScorecardsCard,
  GroupNextActionsCard,
} from './plugin';
export { scorecardsApiRef } from './api/scorecardsApiRef';
export { rootRouteRef as scorecardsRouteRef } from './routes';
