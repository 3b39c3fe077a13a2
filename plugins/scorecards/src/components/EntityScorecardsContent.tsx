import {
  ErrorPanel,
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  CheckResult,
  EntityHistoryPoint,
  EntityScorecardResult,
  ScorecardCheck,
  ScorecardDefinition,
  scorecardsWaiverCreatePermission,
  scorecardsWaiverDeletePermission,
  scorecardsWaiverUpdatePermission,
  Waiver,
} from '@vitals/plugin-scorecards-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { formatDate, formatDateTime } from '@vitals/react';
import {
  failureMessage,
  formatFactValue,
  formatScore,
  joinChecks,
  levelLabel,
  staleLabel,
  staleReasons,
} from './format';
import { LevelBadge } from './LevelBadge';
import { RefreshButton } from './RefreshButton';
import { ScorecardsEmptyState } from './ScorecardsEmptyState';
import { ScoreTrendChart } from './ScoreTrendChart';
import { useEntityScorecards } from './useEntityScorecards';
import { WaiverDialog } from './WaiverDialog';
import { WithdrawWaiverDialog } from './WithdrawWaiverDialog';

type Row = { id: string; check: ScorecardCheck; outcome: CheckResult };

function resultLabel(outcome: CheckResult): string {
  if (outcome.waiver) return 'Waived';
  return outcome.passed ? 'Passed' : 'Failed';
}

function ScorecardChecks(props: {
  definition: ScorecardDefinition | undefined;
  result: EntityScorecardResult;
  history: EntityHistoryPoint[];
  canWaive: { loading: boolean; allowed: boolean; reason?: string };
  /** Editing and withdrawing are separate permissions (`scorecards.waiver.update`, `scorecards.waiver.delete`). */
  canEditWaiver: boolean;
  canWithdrawWaiver: boolean;
  onWaive: (row: Row) => void;
  onEditWaiver: (row: Row) => void;
  onWithdrawWaiver: (row: Row) => void;
}) {
  const { definition, result, history } = props;
  const title = definition?.title ?? result.scorecardId;
  const columns: TableColumn<Row>[] = [
    {
      title: 'Check',
      render: row => (
        <>
          <Typography variant="body2">{row.check.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {levelLabel(definition, row.check.level)} · {row.check.fact}{' '}
            {row.check.operator}
            {row.check.threshold !== undefined
              ? ` ${formatFactValue(row.check.threshold, row.check.fact)}`
              : ''}
          </Typography>
        </>
      ),
    },
    {
      title: 'Value',
      render: row => formatFactValue(row.outcome.value, row.check.fact),
    },
    {
      title: 'Result',
      render: row => (
        <>
          <Typography variant="body2">{resultLabel(row.outcome)}</Typography>
          {!row.outcome.passed && row.outcome.message && (
            <Typography variant="caption" color="textSecondary" component="div">
              {failureMessage(row.check, row.outcome)}
            </Typography>
          )}
          {row.outcome.stale && (
            <Typography variant="caption" color="error" component="div">
              Last known outcome, {staleLabel(row.outcome.stale)}
            </Typography>
          )}
        </>
      ),
    },
    { title: 'Score', render: row => formatScore(row.outcome.score) },
    {
      title: 'Waiver',
      render: row => {
        const waiver = row.outcome.waiver;
        if (waiver) {
          return (
            <>
              <Typography variant="body2">
                Until {formatDate(waiver.expiresAt)}: {waiver.reason}
              </Typography>
              {(props.canEditWaiver || props.canWithdrawWaiver) && (
                <Box display="flex" mt={0.5} style={{ gap: 8 }}>
                  {props.canEditWaiver && (
                    <Button
                      size="small"
                      variant="outlined"
                      onClick={() => props.onEditWaiver(row)}
                      aria-label={`Edit the waiver of ${row.check.title}`}
                    >
                      Edit
                    </Button>
                  )}
                  {props.canWithdrawWaiver && (
                    <Button
                      size="small"
                      onClick={() => props.onWithdrawWaiver(row)}
                      aria-label={`Withdraw the waiver of ${row.check.title}`}
                    >
                      Withdraw
                    </Button>
                  )}
                </Box>
              )}
            </>
          );
        }
        if (row.outcome.passed || !props.canWaive.allowed) return null;
        return (
          <Button
            size="small"
            variant="outlined"
            onClick={() => props.onWaive(row)}
            aria-label={`Waive ${row.check.title}`}
          >
            Waive
          </Button>
        );
      },
    },
  ];
  const rows = joinChecks(definition, result).map(r => ({
    id: r.check.id,
    ...r,
  }));
  const points = history.filter(p => p.scorecardId === result.scorecardId);
  const stale = staleReasons(result);
  return (
    <InfoCard
      title={title}
      subheader={`Score ${formatScore(
        result.score,
      )} / 100 · last evaluated ${formatDateTime(result.evaluatedAt)}`}
      action={
        <Box pt={2} pr={1}>
          <LevelBadge definition={definition} levelId={result.levelId} />
        </Box>
      }
    >
      {stale.length > 0 && (
        <Alert severity="warning" style={{ marginBottom: 8 }}>
          Some checks show their last known outcome: {stale.join('; ')}. Level
          and score change only when the provider answers again.
        </Alert>
      )}
      <Table<Row>
        title="Checks"
        columns={columns}
        data={rows}
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          toolbar: false,
        }}
      />
      <Box mt={2}>
        <Typography variant="subtitle2" component="h4">
          History
        </Typography>
        {points.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No history yet.
          </Typography>
        ) : (
          <ScoreTrendChart
            label={`${title} score over time`}
            height={180}
            rows={points.map(p => ({ day: p.day, score: p.score }))}
            series={[{ key: 'score', title: 'Score' }]}
          />
        )}
      </Box>
    </InfoCard>
  );
}

/** The "Scorecards" tab: every check with its value and outcome, waivers, and the entity's history. */
export function EntityScorecardsContent() {
  const { api, entity, entityRef, state, applicable } = useEntityScorecards();
  const [refreshError, setRefreshError] = useState<string>();
  const [waiving, setWaiving] = useState<{ scorecardId: string; row: Row }>();
  const [editing, setEditing] = useState<{ row: Row; waiver: Waiver }>();
  const [withdrawing, setWithdrawing] = useState<{
    row: Row;
    waiver: Waiver;
  }>();
  const permission = usePermission({
    permission: scorecardsWaiverCreatePermission,
    resourceRef: entityRef,
  });
  const updatePermission = usePermission({
    permission: scorecardsWaiverUpdatePermission,
    resourceRef: entityRef,
  });
  const deletePermission = usePermission({
    permission: scorecardsWaiverDeletePermission,
    resourceRef: entityRef,
  });
  const history = useAsync(async () => {
    const response = await api.getHistory({ entityRef });
    return response.points as EntityHistoryPoint[];
  }, [api, entityRef, state.value]);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const canWaive = {
    loading: permission.loading,
    allowed: permission.allowed,
    reason: permission.allowed
      ? undefined
      : `Only the owners of ${entityRef}${
          owner ? ` (${owner})` : ''
        } can waive its checks.`,
  };
  const definitions = new Map(
    (state.value?.definitions ?? []).map(d => [d.id, d]),
  );
  // The waivers in force with their versions, for editing; the rows carry their ids.
  const waiverOf = (row: Row) =>
    state.value?.waivers.find(w => w.id === row.outcome.waiver?.id);
  const hasFailing = (state.value?.results ?? []).some(r =>
    r.checks.some(c => !c.passed && !c.waiver),
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <RefreshButton
            api={api}
            entityRef={entityRef}
            onRefreshed={state.retry}
            onError={setRefreshError}
          />
          {hasFailing && !canWaive.loading && canWaive.reason && (
            <Typography variant="body2" color="textSecondary">
              {canWaive.reason}
            </Typography>
          )}
        </Box>
        {refreshError && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            {refreshError}
          </Alert>
        )}
      </Grid>
      {state.loading && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      {state.error && (
        <Grid item xs={12}>
          <ErrorPanel title="Could not load scorecards" error={state.error} />
        </Grid>
      )}
      {history.error && (
        <Grid item xs={12}>
          <ErrorPanel
            title="Could not load the history"
            error={history.error}
          />
        </Grid>
      )}
      {state.value && state.value.results.length === 0 && (
        <Grid item xs={12}>
          <InfoCard title="Scorecards">
            <ScorecardsEmptyState applies={applicable.length > 0} />
          </InfoCard>
        </Grid>
      )}
      {state.value?.results.map(result => (
        <Grid item xs={12} key={result.scorecardId}>
          <ScorecardChecks
            definition={definitions.get(result.scorecardId)}
            result={result}
            history={history.value ?? []}
            canWaive={canWaive}
            canEditWaiver={
              !updatePermission.loading && updatePermission.allowed
            }
            canWithdrawWaiver={
              !deletePermission.loading && deletePermission.allowed
            }
            onWaive={row =>
              setWaiving({ scorecardId: result.scorecardId, row })
            }
            onEditWaiver={row => {
              const waiver = waiverOf(row);
              if (waiver) setEditing({ row, waiver });
            }}
            onWithdrawWaiver={row => {
              const waiver = waiverOf(row);
              if (waiver) setWithdrawing({ row, waiver });
            }}
          />
        </Grid>
      ))}
      {waiving && (
        <WaiverDialog
          checkTitle={waiving.row.check.title}
          onClose={() => setWaiving(undefined)}
          onSubmit={async ({ reason, expiresAt }) => {
            await api.createWaiver({
              entityRef,
              scorecardId: waiving.scorecardId,
              checkId: waiving.row.check.id,
              reason,
              expiresAt,
            });
            setWaiving(undefined);
            state.retry();
          }}
        />
      )}
      {editing && (
        <WaiverDialog
          checkTitle={editing.row.check.title}
          waiver={editing.waiver}
          onClose={() => setEditing(undefined)}
          onSubmit={async changes => {
            await api.updateWaiver(editing.waiver.id, {
              ...changes,
              version: editing.waiver.version,
            });
            setEditing(undefined);
            state.retry();
          }}
        />
      )}
      {withdrawing && (
        <WithdrawWaiverDialog
          checkTitle={withdrawing.row.check.title}
          waiver={withdrawing.waiver}
          onClose={() => setWithdrawing(undefined)}
          onConfirm={async () => {
            await api.deleteWaiver(
              withdrawing.waiver.id,
              withdrawing.waiver.version,
            );
            setWithdrawing(undefined);
            state.retry();
          }}
        />
      )}
    </Grid>
  );
}
