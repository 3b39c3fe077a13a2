import { createApiRef } from '@backstage/core-plugin-api';
import type { OwnershipApi } from '@vitals/plugin-ownership-common';

/** The ownership health API, implemented by `OwnershipClient` from `@vitals/plugin-ownership-common`. @public */
export const ownershipApiRef = createApiRef<OwnershipApi>({
  id: 'plugin.ownership.service',
});
