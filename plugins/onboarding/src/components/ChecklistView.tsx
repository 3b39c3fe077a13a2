import { InfoCard, MarkdownContent } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Button, LinearProgress, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { Checklist } from '@vitals/plugin-onboarding-common';
import { ReactNode, useState } from 'react';
import { formatUtcDate } from '@vitals/react';
import { isChecklistDone } from './checklistOrder';
import { percentDone } from './format';
import { StepItem } from './StepItem';
import { StepToggling } from './useStepToggling';

/** Progress bar with "n of m steps done", and the checklist's dates. */
export function ChecklistProgress({ checklist }: { checklist: Checklist }) {
  const percent = percentDone(checklist.done, checklist.total);
  return (
    <Box mb={1}>
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Box flexGrow={1}>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={`${checklist.title} progress`}
            style={{ height: 8, borderRadius: 4 }}
          />
        </Box>
        <Typography variant="body2" aria-label="Steps done">
          {checklist.done} of {checklist.total} steps done
        </Typography>
      </Box>
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        aria-label="Dates"
      >
        {checklist.startedAt
          ? `Started ${formatUtcDate(checklist.startedAt)}`
          : 'Not started yet: ticking a step starts this checklist'}
        {checklist.completedAt
          ? ` · completed ${formatUtcDate(checklist.completedAt)}`
          : ''}
        {!checklist.completedAt && checklist.lastProgressAt
          ? ` · last progress ${formatUtcDate(checklist.lastProgressAt)}`
          : ''}
      </Typography>
    </Box>
  );
}

/** A checklist's description, progress, stalled warning, save errors and steps (without a card around it). */
export function ChecklistBody(props: {
  checklist: Checklist;
  toggling: StepToggling;
  onVisited?: () => void;
}) {
  const { checklist, toggling } = props;
  const error = toggling.errors[checklist.id];
  return (
    <>
      {checklist.description && (
        <MarkdownContent content={checklist.description} dialect="gfm" />
      )}
      <ChecklistProgress checklist={checklist} />
      {checklist.stalled && !checklist.completedAt && (
        <Box mb={1}>
          <Alert severity="warning">
            Stalled: no progress since{' '}
            {formatUtcDate(checklist.lastProgressAt ?? checklist.startedAt)}.
            Pick the next step below, or ask your team for help with it.
          </Alert>
        </Box>
      )}
      {checklist.completedAt && (
        <Box mb={1}>
          <Alert severity="success">All done. Welcome aboard!</Alert>
        </Box>
      )}
      {error && (
        <Box mb={1}>
          <Alert
            severity="error"
            onClose={() => toggling.dismissError(checklist.id)}
          >
            {error}
          </Alert>
        </Box>
      )}
      <Box
        component="ul"
        p={0}
        m={0}
        aria-label={`Steps of ${checklist.title}`}
      >
        {checklist.steps.map(step => (
          <StepItem
            key={step.id}
            step={step}
            checklistEntityRef={checklist.entityRef}
            saving={toggling.isSaving(checklist.id, step.id)}
            onToggle={done => toggling.toggle(checklist.id, step.id, done)}
            onVisited={props.onVisited}
          />
        ))}
      </Box>
    </>
  );
}

/**
 * A checklist as a card of its own, for the My onboarding page. A checklist that was already done when the page opened
 * is collapsed to one line (its title, "All n steps done" and when) with a button that shows its steps; one finished
 * while the page is open stays open, with its "All done".
 */
export function ChecklistCard(props: {
  checklist: Checklist;
  toggling: StepToggling;
  onVisited?: () => void;
}) {
  const { checklist } = props;
  const [expanded, setExpanded] = useState(() => !isChecklistDone(checklist));
  const stepsId = `checklist-steps-${checklist.id.replace(/[^\w-]/g, '-')}`;
  let subheader: ReactNode;
  if (checklist.entityRef) {
    subheader = (
      <>
        For <EntityRefLink entityRef={checklist.entityRef} />
      </>
    );
  } else if (checklist.groupRef) {
    subheader = (
      <>
        For the team{' '}
        <EntityRefLink entityRef={checklist.groupRef} defaultKind="group" />
      </>
    );
  }
  const done = isChecklistDone(checklist);
  return (
    <section aria-label={checklist.title}>
      <InfoCard title={checklist.title} subheader={subheader}>
        {done && (
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 16 }}
            mb={expanded ? 2 : 0}
          >
            <Typography variant="body2" aria-label="Done">
              All {checklist.total} steps done
              {checklist.completedAt
                ? ` · completed ${formatUtcDate(checklist.completedAt)}`
                : ''}
            </Typography>
            <Button
              size="small"
              variant="outlined"
              aria-expanded={expanded}
              aria-controls={stepsId}
              onClick={() => setExpanded(e => !e)}
            >
              {expanded ? 'Hide steps' : 'Show steps'}
            </Button>
          </Box>
        )}
        {expanded && (
          <div id={stepsId}>
            <ChecklistBody {...props} />
          </div>
        )}
      </InfoCard>
    </section>
  );
}
