import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { Box, Divider, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  EntityScorecardResult,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { Fragment, useState } from 'react';
import { CheckFix } from './CheckFix';
import { formatDate, formatDateTime } from '@vitals/react';
import { formatScore, joinChecks, nextLevelGap, staleReasons } from './format';
import { LevelBadge } from './LevelBadge';
import { RefreshButton } from './RefreshButton';
import { useEntityScorecards } from './useEntityScorecards';
import { ScorecardsEmptyState } from './ScorecardsEmptyState';

function ScorecardSummary(props: {
  definition: ScorecardDefinition | undefined;
  result: EntityScorecardResult;
}) {
  const { definition, result } = props;
  const title = definition?.title ?? result.scorecardId;
  const gap = nextLevelGap(definition, result);
  const waived = joinChecks(definition, result).filter(
    ({ outcome }) => outcome.waiver,
  );
  const stale = staleReasons(result);
  return (
    <section aria-label={title}>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3">
          {title}
        </Typography>
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <Typography variant="body2" aria-label={`${title} score`}>
            <strong>{formatScore(result.score)}</strong> / 100
          </Typography>
          <LevelBadge definition={definition} levelId={result.levelId} />
        </Box>
      </Box>
      {stale.length > 0 && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          Some checks show their last known outcome: {stale.join('; ')}.
        </Alert>
      )}
      {gap && gap.failing.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2">
            To reach {gap.level.title}:
          </Typography>
          {gap.failing.map(({ check, outcome }) => (
            <CheckFix key={check.id} check={check} outcome={outcome} />
          ))}
        </Box>
      )}
      {!gap && definition && (
        <Typography variant="body2" color="textSecondary">
          Highest level reached.
        </Typography>
      )}
      {waived.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2">Waived</Typography>
          {waived.map(({ check, outcome }) => (
            <Typography key={check.id} variant="body2">
              {check.title}: waived until{' '}
              {formatDate(outcome.waiver!.expiresAt)} — {outcome.waiver!.reason}
            </Typography>
          ))}
        </Box>
      )}
      <Typography variant="caption" color="textSecondary">
        Last evaluated {formatDateTime(result.evaluatedAt)}
      </Typography>
    </section>
  );
}

/** An entity's level and score per scorecard, and the failing checks that stand between it and the next level. */
export function EntityScorecardsCard() {
  const { api, entityRef, state, applicable } = useEntityScorecards();
  const [refreshError, setRefreshError] = useState<string>();
  const definitions = new Map(
    (state.value?.definitions ?? []).map(d => [d.id, d]),
  );

  return (
    <InfoCard
      title="Scorecards"
      action={
        <RefreshButton
          api={api}
          entityRef={entityRef}
          onRefreshed={state.retry}
          onError={setRefreshError}
        />
      }
    >
      {refreshError && (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          {refreshError}
        </Alert>
      )}
      {state.loading && <Progress />}
      {state.error && (
        <ErrorPanel title="Could not load scorecards" error={state.error} />
      )}
      {state.value && state.value.results.length === 0 && (
        <ScorecardsEmptyState applies={applicable.length > 0} />
      )}
      {state.value?.results.map((result, i) => (
        <Fragment key={result.scorecardId}>
          {i > 0 && (
            <Box my={2}>
              <Divider />
            </Box>
          )}
          <ScorecardSummary
            definition={definitions.get(result.scorecardId)}
            result={result}
          />
        </Fragment>
      ))}
    </InfoCard>
  );
}
