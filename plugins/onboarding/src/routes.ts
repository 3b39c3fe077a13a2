import { createRouteRef } from '@backstage/core-plugin-api';

/** The onboarding page (My onboarding, Teams, Templates tabs); `/onboarding` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'onboarding' });
