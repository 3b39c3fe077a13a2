import { createApiRef } from '@backstage/core-plugin-api';
import type { TechDebtApi } from '@vitals/plugin-tech-debt-common';

/** The tech-debt register API, implemented by `TechDebtClient` from `@vitals/plugin-tech-debt-common`. @public */
export const techDebtApiRef = createApiRef<TechDebtApi>({
  id: 'plugin.tech-debt.service',
});
