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
export { doraIncidentLinksApiRef } from './api/incidentLinksApiRef';
export type {
  DoraIncidentLink,
  DoraIncidentLinksApi,
} from './api/incidentLinksApiRef';
export {
  rootRouteRef as doraRouteRef,
  flowRouteRef as doraFlowRouteRef,
} from './routes';
