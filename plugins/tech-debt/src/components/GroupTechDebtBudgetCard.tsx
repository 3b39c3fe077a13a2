import {
  describeApiError,
  normalizeEntityRef,
  statusOfApiError,
} from '@vitals/common';
import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Button,
  LinearProgress,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  quarterOf,
  TECH_DEBT_LIMITS,
  techDebtBudgetUpdatePermission,
} from '@vitals/plugin-tech-debt-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { formatDays } from '@vitals/react';
import { useEditPermission } from './useEditPermission';

function nearbyQuarters(now: Date): string[] {
  const quarters: string[] = [];
  for (let offset = -3; offset <= 1; offset++) {
    quarters.push(
      quarterOf(
        new Date(
          Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset * 3, 1),
        ),
      ),
    );
  }
  return quarters.reverse();
}

/** A team's debt budget for a quarter: reserved capacity against the effort of the items it resolved. */
export function GroupTechDebtBudgetCard() {
  const { entity } = useEntity();
  const groupRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(techDebtApiRef);
  const [quarter, setQuarter] = useState(() => quarterOf(new Date()));
  const permission = useEditPermission(
    techDebtBudgetUpdatePermission,
    groupRef,
    undefined,
  );
  const budget = useAsyncRetry(
    () => api.getBudget(groupRef, quarter),
    [api, groupRef, quarter],
  );
  const [editing, setEditing] = useState(false);
  const [capacity, setCapacity] = useState('');
  const [share, setShare] = useState('');
  const [error, setError] = useState<string>();

  const startEdit = () => {
    setCapacity(budget.value?.capacityDays?.toString() ?? '');
    setShare(budget.value?.sharePercent?.toString() ?? '20');
    setError(undefined);
    setEditing(true);
  };

  const save = async () => {
    const capacityDays = Number(capacity);
    const sharePercent = Number(share);
    if (
      !(
        capacityDays >= TECH_DEBT_LIMITS.minCapacityDays &&
        capacityDays <= TECH_DEBT_LIMITS.maxCapacityDays
      )
    ) {
      setError(
        `Capacity must be a number of engineer-days from ${
          TECH_DEBT_LIMITS.minCapacityDays
        } to ${TECH_DEBT_LIMITS.maxCapacityDays.toLocaleString('en-US')}`,
      );
      return;
    }
    if (!(sharePercent >= 0 && sharePercent <= 100)) {
      setError('The share must be between 0 and 100 percent');
      return;
    }
    try {
      await api.putBudget(groupRef, quarter, {
        capacityDays,
        sharePercent,
        version: budget.value?.version ?? undefined,
      });
      setEditing(false);
      budget.retry();
    } catch (e) {
      const err = e;
      setError(
        statusOfApiError(err) === 409
          ? 'Someone else changed this budget meanwhile; reload the page and try again.'
          : describeApiError(err),
      );
    }
  };

  const b = budget.value;
  const used =
    b && b.reservedDays
      ? Math.min(100, (b.paidDownDays / b.reservedDays) * 100)
      : 0;

  return (
    <InfoCard title="Tech-debt budget">
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={2}>
        <TextField
          select
          label="Quarter"
          value={quarter}
          onChange={e => setQuarter(String(e.target.value))}
          SelectProps={{ inputProps: { 'aria-label': 'Quarter' } }}
        >
          {nearbyQuarters(new Date()).map(q => (
            <MenuItem key={q} value={q}>
              {q}
            </MenuItem>
          ))}
        </TextField>
        {permission.allowed && !editing && (
          <Button variant="outlined" size="small" onClick={startEdit}>
            {b?.capacityDays ? 'Change budget' : 'Set budget'}
          </Button>
        )}
      </Box>
      {!permission.loading && !permission.allowed && (
        <Typography variant="caption" color="textSecondary" component="p">
          Read only: only members of this team can set its budget.
        </Typography>
      )}
      {budget.loading && <Progress />}
      {budget.error && (
        <ErrorPanel title="Could not load the budget" error={budget.error} />
      )}
      {editing && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <TextField
            label="Capacity (engineer-days)"
            value={capacity}
            onChange={e => setCapacity(e.target.value)}
          />
          <TextField
            label="Share for debt (%)"
            value={share}
            onChange={e => setShare(e.target.value)}
          />
          <Button color="primary" variant="contained" onClick={save}>
            Save
          </Button>
          <Button onClick={() => setEditing(false)}>Cancel</Button>
          {error && (
            <Alert severity="error" style={{ width: '100%' }}>
              {error}
            </Alert>
          )}
        </Box>
      )}
      {b &&
        !editing &&
        (b.reservedDays === null ? (
          <Typography>
            No budget set for {quarter}.{' '}
            {b.paidDownDays > 0
              ? `The team resolved ${formatDays(
                  b.paidDownDays,
                )} of debt anyway.`
              : ''}
            {permission.allowed
              ? ' Set the share of capacity the team reserves for debt work.'
              : ''}
          </Typography>
        ) : (
          <>
            <Typography aria-label="Budget summary">
              Reserved {formatDays(b.reservedDays)} ({b.sharePercent}% of{' '}
              {formatDays(b.capacityDays ?? 0)}) · paid down{' '}
              {formatDays(b.paidDownDays)} in {b.resolvedCount} resolved{' '}
              {b.resolvedCount === 1 ? 'item' : 'items'}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={used}
              style={{ height: 10, marginTop: 8 }}
              aria-label="Share of reserved capacity used"
            />
          </>
        ))}
    </InfoCard>
  );
}
