/**
 * The Vitals tech-debt register for Backstage: entity tab and card, org register page, team budgets.
 *
 * @packageDocumentation
 */
export {
  techDebtPlugin,
  TechDebtPage,
  EntityTechDebtContent,
  EntityTechDebtCard,
  GroupTechDebtBudgetCard,
} from './plugin';
export { techDebtApiRef } from './api/techDebtApiRef';
export { rootRouteRef as techDebtRouteRef } from './routes';
