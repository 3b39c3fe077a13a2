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

export function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Saves text as a file in the browser. */
export function downloadText(text: string, filename: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
