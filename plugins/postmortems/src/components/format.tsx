import { Chip, Tooltip } from '@material-ui/core';
import {
  POSTMORTEM_STATUS_LABELS,
  PostmortemIncident,
  PostmortemStatus,
} from '@vitals/plugin-postmortems-common';
import {
  DebtCategory,
  DebtStatus,
  STATUS_LABELS,
} from '@vitals/plugin-tech-debt-common';
import { formatUtcDate } from '@vitals/react';

const STATUS_COLOURS: Record<PostmortemStatus | 'none', string> = {
  none: '#757575',
  draft: '#8d6e63',
  in_review: '#1565c0',
  published: '#2e7d32',
};

/** A postmortem's status as a small coloured label; `none` when the incident has no postmortem. */
export function PostmortemStatusChip(props: {
  status: PostmortemStatus | null;
}) {
  const status = props.status ?? 'none';
  const label =
    status === 'none' ? 'No postmortem' : POSTMORTEM_STATUS_LABELS[status];
  return (
    <Chip
      size="small"
      label={label}
      variant={status === 'none' ? 'outlined' : 'default'}
      style={
        status === 'none'
          ? { color: STATUS_COLOURS.none, borderColor: STATUS_COLOURS.none }
          : { backgroundColor: STATUS_COLOURS[status], color: '#fff' }
      }
    />
  );
}

/** A red "Overdue" label, with what it is overdue for as its tooltip. */
export function OverdueChip(props: { title: string }) {
  return (
    <Tooltip title={props.title}>
      <Chip
        size="small"
        label="Overdue"
        style={{ backgroundColor: '#b71c1c', color: '#fff', marginLeft: 4 }}
      />
    </Tooltip>
  );
}

/**
 * Whether an incident's postmortem is overdue: the incident needs one (its severity qualifies), it was due, and no
 * postmortem of it is published.
 */
export function isPostmortemOverdue(
  incident: PostmortemIncident,
  status: PostmortemStatus | null,
  now = Date.now(),
): boolean {
  return (
    incident.qualifying &&
    incident.postmortemDueAt !== null &&
    Date.parse(incident.postmortemDueAt) < now &&
    status !== 'published'
  );
}

/** "Postmortem due 30 Nov 2026". */
export function dueText(incident: PostmortemIncident): string {
  return `A published postmortem was due on ${formatUtcDate(
    incident.postmortemDueAt,
  )}`;
}

/** A debt item's status as the register names it ("In progress"); an unknown one as it is. */
export function debtStatusLabel(status: DebtStatus | string): string {
  return STATUS_LABELS[status as DebtStatus] ?? status;
}

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

/** "3 days", "1 day". */
export function daysText(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}
