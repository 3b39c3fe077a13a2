/**
 * Vitals DORA metrics for Backstage: entity card and tab with drill-downs, team card, org page by team.
 *
 * @packageDocumentation
 */
export {
  doraPlugin,
  DoraPage,
  EntityDoraContent,
  EntityDoraCard,
  GroupDoraCard,
  FlowPage,
  EntityFlowContent,
  EntityFlowCard,
  GroupFlowCard,
} from './plugin';
export { doraApiRef } from './api/doraApiRef';
export {
  rootRouteRef as doraRouteRef,
  flowRouteRef as doraFlowRouteRef,
} from './routes';
