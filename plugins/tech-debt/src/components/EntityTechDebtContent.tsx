import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';
import {
  Box,
  Button,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  DebtItem,
  techDebtItemCreatePermission,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { DebtItemDetailsDialog } from './DebtItemDetailsDialog';
import { DebtItemFormDialog } from './DebtItemFormDialog';
import { DebtItemsTable } from './DebtItemsTable';
import { formatDays } from '@vitals/react';
import { CATEGORY_LABELS, statusLabel } from './format';
import { ImpactEffortMatrix } from './ImpactEffortMatrix';
import { SortChoice, SortSelect } from './incidents';
import { useEditPermission } from './useEditPermission';

const ACTIVE = 'active';

/** The "Tech debt" tab of an entity: its register, filters, the impact/effort matrix and each item's history. */
export function EntityTechDebtContent() {
  const { entity } = useEntity();
  const entityRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(techDebtApiRef);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const permission = useEditPermission(
    techDebtItemCreatePermission,
    entityRef,
    owner,
  );
  const [status, setStatus] = useState<string>(ACTIVE);
  const [category, setCategory] = useState<string>('');
  const [orderBy, setOrderBy] = useState<SortChoice>('priority');
  const [selected, setSelected] = useState<DebtItem>();
  const [editing, setEditing] = useState<DebtItem | 'new'>();

  const statusFilter = (): DebtItem['status'][] | undefined => {
    if (status === ACTIVE) return [...UNRESOLVED_STATUSES];
    return status ? [status as DebtItem['status']] : undefined;
  };
  const items = useAsyncRetry(
    () =>
      api.listItems({
        entityRef: [entityRef],
        status: statusFilter(),
        category: category ? [category as any] : undefined,
        orderBy,
        limit: 1000,
      }),
    [api, entityRef, status, category, orderBy],
  );

  const openItems =
    items.value?.items.filter(i => UNRESOLVED_STATUSES.includes(i.status)) ??
    [];

  const addButton = permission.allowed ? (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setEditing('new')}
    >
      Add debt item
    </Button>
  ) : null;

  return (
    <Grid container spacing={3}>
      {!permission.loading && !permission.allowed && (
        <Grid item xs={12}>
          <Alert severity="info">{permission.reason}</Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <TextField
            select
            label="Status"
            value={status}
            onChange={e => setStatus(String(e.target.value))}
            style={{ minWidth: 180 }}
            SelectProps={{ inputProps: { 'aria-label': 'Filter by status' } }}
          >
            <MenuItem value={ACTIVE}>Open, planned, in progress</MenuItem>
            <MenuItem value="">All statuses</MenuItem>
            {DEBT_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {statusLabel(s)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label="Category"
            value={category}
            onChange={e => setCategory(String(e.target.value))}
            style={{ minWidth: 180 }}
            SelectProps={{ inputProps: { 'aria-label': 'Filter by category' } }}
          >
            <MenuItem value="">All categories</MenuItem>
            {DEBT_CATEGORIES.map(c => (
              <MenuItem key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </MenuItem>
            ))}
          </TextField>
          <SortSelect value={orderBy} onChange={setOrderBy} />
          <Box flexGrow={1} />
          {addButton}
        </Box>
      </Grid>
      <Grid item xs={12} lg={7}>
        {items.loading && !items.value && <Progress />}
        {items.error && (
          <ErrorPanel
            title="Could not load the debt register"
            error={items.error}
          />
        )}
        {items.value && items.value.totalCount === 0 && (
          <InfoCard title="Debt items">
            <Typography>
              {status !== ACTIVE || category
                ? 'No items match these filters.'
                : 'No debt recorded for this entity yet.'}{' '}
              {permission.allowed
                ? 'Use “Add debt item” to record something that slows the team down.'
                : ''}
            </Typography>
          </InfoCard>
        )}
        {items.value && items.value.totalCount > 0 && (
          <DebtItemsTable
            title={`Debt items (${items.value.totalCount})`}
            items={items.value.items}
            onSelect={setSelected}
            emptyContent={
              <Box p={3}>
                <Typography>No items match these filters.</Typography>
              </Box>
            }
          />
        )}
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard
          title="Impact / effort"
          subheader={`${openItems.length} unresolved items · ${formatDays(
            openItems.reduce((s, i) => s + i.effortDays, 0),
          )} of effort`}
        >
          {openItems.length ? (
            <ImpactEffortMatrix items={openItems} onSelect={setSelected} />
          ) : (
            <EmptyState
              missing="data"
              title="Nothing to plot"
              description="Unresolved items appear here by impact and effort; quick wins sit top-left."
            />
          )}
        </InfoCard>
      </Grid>
      {selected && (
        <DebtItemDetailsDialog
          key={`${selected.id}-${selected.version}`}
          item={selected}
          canEdit={permission.allowed}
          readOnlyReason={permission.reason}
          onClose={() => setSelected(undefined)}
          onEdit={() => {
            setEditing(selected);
            setSelected(undefined);
          }}
          onChanged={changed => {
            setSelected(changed);
            items.retry();
          }}
        />
      )}
      {editing && (
        <DebtItemFormDialog
          open
          entityRef={entityRef}
          item={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            items.retry();
          }}
        />
      )}
    </Grid>
  );
}
