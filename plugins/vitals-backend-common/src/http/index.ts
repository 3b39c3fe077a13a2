export { actorOf, createRouteGuards } from './routeGuards';
export type { AnyRequest, RouteGuards } from './routeGuards';
