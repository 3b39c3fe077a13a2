import { createApiRef } from '@backstage/core-plugin-api';
import type { PostmortemsApi } from '@vitals/plugin-postmortems-common';

/** The postmortems API, implemented by `PostmortemsClient` from `@vitals/plugin-postmortems-common`. @public */
export const postmortemsApiRef = createApiRef<PostmortemsApi>({
  id: 'plugin.postmortems.service',
});
