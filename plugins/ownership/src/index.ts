/**
 * Vitals ownership health for Backstage: entity card, org page, group card.
 *
 * @packageDocumentation
 */
export {
  ownershipPlugin,
  OwnershipPage,
  EntityOwnershipCard,
  GroupOwnershipCard,
} from './plugin';
export { ownershipApiRef } from './api/ownershipApiRef';
export { rootRouteRef as ownershipRouteRef } from './routes';
