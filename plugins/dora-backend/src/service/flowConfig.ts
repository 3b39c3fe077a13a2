import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  DEFAULT_LARGE_PR_LINES,
  DEFAULT_REVIEW_OVERDUE_HOURS,
} from '@vitals/plugin-dora-common';
import { FlowSettings } from './flow';

/**
 * `dora.flow.largePrLines` (a whole number from 0, default 400) and `dora.flow.reviewOverdueHours` (a number above 0,
 * default 24). A value outside those stops the backend at start-up, naming the key, rather than serving figures no one
 * asked for.
 */
export function readFlowSettings(config: RootConfigService): FlowSettings {
  const largePrLines =
    config.getOptionalNumber('dora.flow.largePrLines') ??
    DEFAULT_LARGE_PR_LINES;
  const reviewOverdueHours =
    config.getOptionalNumber('dora.flow.reviewOverdueHours') ??
    DEFAULT_REVIEW_OVERDUE_HOURS;
  if (!Number.isInteger(largePrLines) || largePrLines < 0) {
    throw new Error(
      `Invalid dora.flow.largePrLines: ${largePrLines}; it must be a whole number of lines, 0 or more`,
    );
  }
  if (!(reviewOverdueHours > 0) || !Number.isFinite(reviewOverdueHours)) {
    throw new Error(
      `Invalid dora.flow.reviewOverdueHours: ${reviewOverdueHours}; it must be a number of hours above 0`,
    );
  }
  return { largePrLines, reviewOverdueHours };
}
