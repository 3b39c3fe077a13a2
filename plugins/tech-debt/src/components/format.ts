import {
  DebtCategory,
  DebtStatus,
  STATUS_LABELS,
} from '@vitals/plugin-tech-debt-common';

export const CATEGORY_LABELS: Record<DebtCategory, string> = {
  code: 'Code',
  architecture: 'Architecture',
  testing: 'Testing',
  infrastructure: 'Infrastructure',
  dependency: 'Dependency',
  documentation: 'Documentation',
  security: 'Security',
  process: 'Process',
};

export const IMPACT_LABELS: Record<number, string> = {
  1: '1 · minor',
  2: '2 · noticeable',
  3: '3 · significant',
  4: '4 · serious',
  5: '5 · severe',
};

export function statusLabel(status: DebtStatus): string {
  return STATUS_LABELS[status];
}
