import { createRouteRef } from '@backstage/core-plugin-api';

/** The org page, `/ownership` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'ownership' });
