import { createRouteRef } from '@backstage/core-plugin-api';

/** The goals page, `/goals` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'goals' });

/** The campaigns page and each campaign's page below it, `/campaigns` by default. @public */
export const campaignsRouteRef = createRouteRef({ id: 'goals:campaigns' });
