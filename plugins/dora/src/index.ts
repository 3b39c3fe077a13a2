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
} from './plugin';
export { doraApiRef } from './api/doraApiRef';
export { rootRouteRef as doraRouteRef } from './routes';
