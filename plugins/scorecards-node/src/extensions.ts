import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ScorecardsFactProvidersExtensionPoint } from './types';

/**
 * Adds fact providers to the scorecards backend from a backend module:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'scorecards',
 *   moduleId: 'my-facts',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { providers: scorecardsFactProvidersExtensionPoint },
 *       async init({ providers }) {
 *         providers.addFactProvider(myFactProvider);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const scorecardsFactProvidersExtensionPoint =
  createExtensionPoint<ScorecardsFactProvidersExtensionPoint>({
    id: 'scorecards.fact-providers',
  });
