import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Card,
  CardContent,
  Collapse,
  LinearProgress,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import type { Goal, GoalDetail } from '@vitals/plugin-goals-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { DeleteDialog } from './DeleteDialog';
import { formatPercent, ownerLabel } from './format';
import { GoalHistory } from './GoalHistory';
import { KeyResultTrendChart } from './KeyResultTrendChart';
import { KeyResultView } from './KeyResultView';
import { ManualValueForm } from './ManualValueForm';
import { useGoalEditPermission } from './permissions';
import { StatusChip } from './StatusChip';

/** The trend of each key result and the goal's history, loaded when the card is opened. */
function GoalDetails(props: {
  goal: Goal;
  canEdit: boolean;
  onChanged: (goal: GoalDetail) => void;
}) {
  const api = useApi(goalsApiRef);
  const detail = useAsyncRetry(
    () => api.getGoal(props.goal.id),
    [api, props.goal.id, props.goal.version],
  );
  const events = useAsyncRetry(
    () => api.getGoalEvents(props.goal.id),
    [api, props.goal.id, props.goal.version],
  );
  return (
    <Box mt={2}>
      <Typography variant="h6" component="h4">
        Trends
      </Typography>
      {detail.loading && <LinearProgress aria-label="Loading the trends" />}
      {detail.error && (
        <Alert severity="error">
          Could not load the trends: {describeApiError(detail.error)}{' '}
          <Button size="small" onClick={detail.retry}>
            Try again
          </Button>
        </Alert>
      )}
      {detail.value?.keyResults.map(kr => (
        <Box key={kr.id} mt={1}>
          <Typography variant="subtitle2">{kr.title}</Typography>
          <KeyResultTrendChart
            keyResult={kr}
            period={{
              start: detail.value!.periodStart,
              end: detail.value!.periodEnd,
            }}
          />
          {kr.manual && props.canEdit && (
            <ManualValueForm
              goalId={props.goal.id}
              version={props.goal.version}
              keyResult={kr}
              onSaved={props.onChanged}
            />
          )}
        </Box>
      ))}
      <Typography variant="h6" component="h4" style={{ marginTop: 16 }}>
        History
      </Typography>
      <GoalHistory
        loading={events.loading}
        error={events.error}
        events={events.value}
      />
    </Box>
  );
}

/**
 * One goal: its objective, owner and period, its progress against the expected progress and its status, and each key
 * result. Editors see an Edit button; anyone can open the trends and the history.
 */
export function GoalCard(props: {
  goal: Goal;
  onEdit: (goal: Goal) => void;
  onChanged: (goal: GoalDetail) => void;
  /** After the goal was deleted, or when a delete found it changed by someone else: the list is read again. */
  onReload: () => void;
}) {
  const { goal } = props;
  const api = useApi(goalsApiRef);
  const permission = useGoalEditPermission(goal.ownerRef);
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <Card
      component="article"
      aria-label={`Goal: ${goal.objective}`}
      style={{ marginBottom: 16 }}
    >
      <CardContent>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="h6" component="h3" style={{ flexGrow: 1 }}>
            {goal.objective}
          </Typography>
          <StatusChip status={goal.status} />
          {permission.allowed && (
            <Button
              size="small"
              variant="outlined"
              onClick={() => props.onEdit(goal)}
              aria-label={`Edit ${goal.objective}`}
            >
              Edit
            </Button>
          )}
          {permission.allowed && (
            <Button
              size="small"
              variant="outlined"
              onClick={() => setDeleting(true)}
              aria-label={`Delete ${goal.objective}`}
            >
              Delete
            </Button>
          )}
        </Box>
        <Typography variant="body2" color="textSecondary">
          {ownerLabel(goal.ownerRef)} · {goal.period} · progress{' '}
          {formatPercent(goal.progress)}, expected{' '}
          {formatPercent(goal.expectedProgress)} by today
        </Typography>
        {goal.description && (
          <Typography
            variant="body2"
            style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}
          >
            {goal.description}
          </Typography>
        )}
        <Box mt={1}>
          {goal.keyResults.map(kr => (
            <KeyResultView key={kr.id} keyResult={kr} />
          ))}
        </Box>
        <Button
          size="small"
          onClick={() => setOpen(o => !o)}
          aria-expanded={open}
        >
          {open ? 'Hide trends and history' : 'Show trends and history'}
        </Button>
        <Collapse in={open} unmountOnExit>
          <GoalDetails
            goal={goal}
            canEdit={permission.allowed}
            onChanged={props.onChanged}
          />
        </Collapse>
      </CardContent>
      {deleting && (
        <DeleteDialog
          what="goal"
          name={goal.objective}
          consequences="Its key results, their trends and its history go with it."
          onDelete={() => api.deleteGoal(goal.id, goal.version)}
          onDeleted={() => {
            setDeleting(false);
            props.onReload();
          }}
          onReload={() => {
            setDeleting(false);
            props.onReload();
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </Card>
  );
}
