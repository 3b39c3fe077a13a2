import { createApiRef } from '@backstage/core-plugin-api';
import type { ScorecardsApi } from '@vitals/plugin-scorecards-common';

/** The scorecards API, implemented by `ScorecardsClient` from `@vitals/plugin-scorecards-common`. @public */
export const scorecardsApiRef = createApiRef<ScorecardsApi>({
  id: 'plugin.scorecards.service',
});
