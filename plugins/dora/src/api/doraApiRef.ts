import { createApiRef } from '@backstage/core-plugin-api';
import type { DoraApi } from '@vitals/plugin-dora-common';

/** The DORA metrics API, implemented by `DoraClient` from `@vitals/plugin-dora-common`. @public */
export const doraApiRef = createApiRef<DoraApi>({
  id: 'plugin.dora.service',
});
