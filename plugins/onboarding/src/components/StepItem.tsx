import { MarkdownContent } from '@backstage/core-components';
import {
  Box,
  Checkbox,
  Chip,
  CircularProgress,
  Typography,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ScheduleIcon from '@material-ui/icons/Schedule';
import type { ChecklistStep, StepKind } from '@vitals/plugin-onboarding-common';
import { formatUtcDate } from '@vitals/react';
import { StepLinks } from './StepLinks';

/** What completes each kind of automatic step, when the server gives no sentence of its own. */
const AUTOMATIC_FALLBACK: Record<Exclude<StepKind, 'manual'>, string> = {
  'first-change-merged': 'Completes when a change you authored is merged.',
  'first-change-deployed':
    'Completes when a change you authored is running in production.',
  'group-membership':
    'Completes when the catalog lists you as a member of the team.',
  'docs-visit':
    'Completes when you open the docs from one of this step’s links.',
};

const AUTOMATIC_LABELS: Record<Exclude<StepKind, 'manual'>, string> = {
  'first-change-merged': 'First change merged',
  'first-change-deployed': 'First change in production',
  'group-membership': 'Team membership',
  'docs-visit': 'Docs visit',
};

function StepState({ step }: { step: ChecklistStep }) {
  if (step.kind === 'manual') {
    return step.done ? (
      <Typography variant="body2" color="textSecondary" aria-label="State">
        Done{step.completedAt ? ` on ${formatUtcDate(step.completedAt)}` : ''}
      </Typography>
    ) : null;
  }
  if (step.done) {
    return (
      <Typography variant="body2" color="textSecondary" aria-label="State">
        {step.evidence ?? 'Completed automatically'}
        {step.completedAt
          ? ` · completed ${formatUtcDate(step.completedAt)}`
          : ''}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" color="textSecondary" aria-label="State">
      Not done yet.{' '}
      {step.howItCompletes ??
        AUTOMATIC_FALLBACK[step.kind] ??
        'Completes automatically.'}
    </Typography>
  );
}

/**
 * One step of a checklist: manual steps have a checkbox; automatic ones show their state (not clickable), what
 * completes them, and once done the evidence.
 */
export function StepItem(props: {
  step: ChecklistStep;
  /** The checklist's entity, for docs links of steps that name none. */
  checklistEntityRef?: string;
  saving: boolean;
  onToggle: (done: boolean) => void;
  onVisited?: () => void;
}) {
  const { step } = props;
  const automatic = step.kind !== 'manual';
  return (
    <Box
      component="li"
      display="flex"
      alignItems="flex-start"
      py={1}
      style={{ listStyle: 'none' }}
      aria-label={step.title}
    >
      <Box width={48} flexShrink={0} display="flex" justifyContent="center">
        {automatic ? (
          <Box
            p="9px"
            display="flex"
            role="img"
            aria-label={
              step.done
                ? 'Done automatically'
                : 'Not done yet, completes automatically'
            }
          >
            {step.done ? (
              <CheckCircleIcon style={{ color: '#2e7d32' }} />
            ) : (
              <ScheduleIcon color="disabled" />
            )}
          </Box>
        ) : (
          <Checkbox
            checked={step.done}
            disabled={props.saving}
            color="primary"
            onChange={e => props.onToggle(e.target.checked)}
            inputProps={{ 'aria-label': step.title }}
          />
        )}
      </Box>
      <Box flexGrow={1} minWidth={0} pt={1}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography
            variant="subtitle1"
            component="span"
            style={{ fontWeight: 500 }}
          >
            {step.title}
          </Typography>
          {step.kind !== 'manual' && (
            <Chip
              size="small"
              variant="outlined"
              label={`Automatic · ${AUTOMATIC_LABELS[step.kind] ?? step.kind}`}
            />
          )}
          {props.saving && <CircularProgress size={14} aria-label="Saving" />}
        </Box>
        <StepState step={step} />
        {step.description && (
          <Box mt={0.5}>
            <MarkdownContent content={step.description} dialect="gfm" />
          </Box>
        )}
        <StepLinks
          links={step.links}
          entityRef={step.entityRef ?? props.checklistEntityRef}
          onVisited={props.onVisited}
        />
      </Box>
    </Box>
  );
}
