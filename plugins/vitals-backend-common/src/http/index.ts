export { actorOf, createRouteGuards } from './routeGuards';
export type { AnyRequest, RouteGuards } from './routeGuards';
export { keepRawQuery, rawQueryOf } from './rawQuery';
