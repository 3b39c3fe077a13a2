/**
 * UI pieces the Vitals frontends share.
 *
 * @packageDocumentation
 */

export {
  formatDate,
  formatDateTime,
  formatUtcDate,
  formatDays,
  formatMinutes,
  formatRate,
  entityRefLabel,
} from './format';
export { downloadText } from './downloadText';
export { FilterSelect } from './FilterSelect';
export type { FilterOption } from './FilterSelect';
export { ChartFrame } from './ChartFrame';
export { MultiFilterSelect } from './MultiFilterSelect';
export { EllipsisText, nameColumn, nowrapColumn } from './tableColumns';
export { RetryableError } from './RetryableError';
