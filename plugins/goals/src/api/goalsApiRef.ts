import { createApiRef } from '@backstage/core-plugin-api';
import type { GoalsApi } from '@vitals/plugin-goals-common';

/** The goals and campaigns API, implemented by `GoalsClient` from `@vitals/plugin-goals-common`. @public */
export const goalsApiRef = createApiRef<GoalsApi>({
  id: 'plugin.goals.service',
});
