import { ErrorPanel, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  NextActionKind,
  NextActionsResponse,
} from '@vitals/plugin-scorecards-common';
import { entityRefLabel, nameColumn, nowrapColumn } from '@vitals/react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardsApiRef } from '../api/scorecardsApiRef';

/** What each kind of action is, as a column value. */
const KIND_LABELS: Record<NextActionKind, string> = {
  'scorecard-check': 'Failing check',
  'tech-debt': 'Tech debt',
  ownership: 'Ownership',
  onboarding: 'Onboarding',
  'waiver-expiring': 'Waiver ending',
};

/** Cells that keep words whole (the theme breaks table cells anywhere inside a word) and short values on one line. */
const NAME = nameColumn(160).cellStyle;
const SENTENCE = nameColumn(220).cellStyle;
const NOWRAP = nowrapColumn().cellStyle;

const SOURCE_LABELS: Record<
  NextActionsResponse['sources'][number]['source'],
  string
> = {
  scorecards: 'scorecards',
  'tech-debt': 'tech debt',
  ownership: 'ownership',
  onboarding: 'onboarding',
};

/**
 * A team's next best actions, ranked by cost of delay (the score the scorecards backend computes; see `costOfDelay`
 * in scorecards-common): rank, what, entity, why, score and a link to where it is fixed.
 */
export function NextActionsList(props: { team: string; limit?: number }) {
  const { team, limit = 10 } = props;
  const api = useApi(scorecardsApiRef);
  const state = useAsync(
    () => api.getNextActions({ team, limit }),
    [api, team, limit],
  );

  if (state.loading) return <Progress />;
  if (state.error)
    return (
      <ErrorPanel
        title="Could not load the next best actions"
        error={state.error}
      />
    );
  const value = state.value;
  if (!value) return null;
  const missing = value.sources.filter(s => !s.available);

  return (
    <>
      {missing.length > 0 && (
        <Alert severity="warning" style={{ marginBottom: 8 }}>
          Not included, because the area did not answer:{' '}
          {missing.map(s => SOURCE_LABELS[s.source]).join(', ')}. The list ranks
          the rest.
        </Alert>
      )}
      {value.actions.length === 0 ? (
        <Typography>
          Nothing to do: no failing scorecard checks, open debt items, ownership
          problems, stalled onboarding or waivers ending within 30 days for{' '}
          {entityRefLabel(value.team)} and its teams
          {missing.length > 0 ? ' in the areas that answered' : ''}.
        </Typography>
      ) : (
        <>
          <Table
            size="small"
            aria-label={`Next best actions of ${entityRefLabel(value.team)}`}
          >
            <TableHead>
              <TableRow>
                <TableCell style={NOWRAP}>#</TableCell>
                <TableCell style={NAME}>What</TableCell>
                <TableCell style={NOWRAP}>Entity</TableCell>
                <TableCell style={SENTENCE}>Why</TableCell>
                <TableCell align="right" style={NOWRAP}>
                  Score
                </TableCell>
                <TableCell style={NOWRAP}>Fix it</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.actions.map(action => (
                <TableRow key={action.id}>
                  <TableCell style={NOWRAP}>{action.rank}</TableCell>
                  <TableCell style={NAME}>
                    <Typography variant="body2">{action.title}</Typography>
                    <Typography variant="caption" color="textSecondary">
                      {KIND_LABELS[action.kind]}
                    </Typography>
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {entityRefLabel(action.entityRef)}
                  </TableCell>
                  <TableCell style={SENTENCE}>{action.reason}</TableCell>
                  <TableCell align="right" style={NOWRAP}>
                    {action.score}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    <Link to={action.link} aria-label={`Fix: ${action.title}`}>
                      Open
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {value.totalCount > value.actions.length && (
            <Typography variant="body2" color="textSecondary">
              The first {value.actions.length} of {value.totalCount}.
            </Typography>
          )}
        </>
      )}
    </>
  );
}
