import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  LinearProgress,
  List,
  ListItem,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import { quarterOf } from '@vitals/plugin-goals-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { formatPercent } from './format';
import { GOALS_PATH } from './paths';
import { StatusChip } from './StatusChip';

/** A team's goals this quarter with their progress and status, for its Group page. */
export function EntityGoalsCard() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity);
  const api = useApi(goalsApiRef);
  const quarter = quarterOf(new Date());
  const goals = useAsyncRetry(
    () => api.listGoals({ owner: [groupRef], period: [quarter] }),
    [api, groupRef, quarter],
  );
  const link = `${GOALS_PATH}`;
  const report = `${GOALS_PATH}/report?${new URLSearchParams({
    team: groupRef,
    quarter,
  })}`;
  return (
    <InfoCard
      title={`Goals for ${quarter}`}
      deepLink={{ title: 'All goals', link }}
    >
      {goals.loading && <Progress />}
      {goals.error && (
        <Alert
          severity="error"
          action={
            <Button size="small" onClick={goals.retry}>
              Try again
            </Button>
          }
        >
          Could not load the goals: {describeApiError(goals.error)}
        </Alert>
      )}
      {goals.value && goals.value.goals.length === 0 && (
        <EmptyState
          missing="data"
          title="No goals this quarter"
          description="The team's members can set goals with key results bound to live figures on the Goals page."
          action={
            <LinkButton variant="outlined" to={link}>
              Open Goals
            </LinkButton>
          }
        />
      )}
      {goals.value && goals.value.goals.length > 0 && (
        <List dense aria-label="Goals this quarter">
          {goals.value.goals.map(goal => (
            <ListItem key={goal.id} disableGutters style={{ display: 'block' }}>
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <Typography variant="body1" style={{ flexGrow: 1 }}>
                  {goal.objective}
                </Typography>
                <StatusChip status={goal.status} />
              </Box>
              <LinearProgress
                variant="determinate"
                value={goal.progress ?? 0}
                aria-label={`Progress of ${goal.objective}`}
                style={{ marginTop: 4 }}
              />
              <Typography variant="caption" color="textSecondary">
                {formatPercent(goal.progress)} done,{' '}
                {formatPercent(goal.expectedProgress)} expected by today ·{' '}
                {goal.keyResults.length}{' '}
                {goal.keyResults.length === 1 ? 'key result' : 'key results'}
              </Typography>
            </ListItem>
          ))}
        </List>
      )}
      {goals.value && (
        <Box mt={1}>
          <Link to={report}>
            The team's stakeholder report for {quarter} (goals, campaigns,
            delivery, debt)
          </Link>
        </Box>
      )}
    </InfoCard>
  );
}
