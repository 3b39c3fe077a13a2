import { createBackendPlugin } from '@backstage/backend-plugin-api';

/**
 * Postmortems: REST API under `/api/postmortems/v1` (see src/schema/openapi.yaml). Being built: this first version
 * carries the API contract only.
 *
 * @public
 */
export const postmortemsPlugin = createBackendPlugin({
  pluginId: 'postmortems',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});
