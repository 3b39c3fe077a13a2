/**
 * Vitals goals and campaigns for Backstage: OKRs whose key results are bound to live Vitals figures, and time-boxed
 * campaigns that ask entities to pass scorecard checks by a deadline.
 *
 * @packageDocumentation
 */
export {
  goalsPlugin,
  GoalsPage,
  CampaignsPage,
  EntityGoalsCard,
  EntityCampaignsCard,
} from './plugin';
export { goalsApiRef } from './api/goalsApiRef';
export {
  rootRouteRef as goalsRouteRef,
  campaignsRouteRef as goalsCampaignsRouteRef,
} from './routes';
