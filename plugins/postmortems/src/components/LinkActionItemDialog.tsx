import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  MenuItem,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import {
  daySchema,
  debtItemIdSchema,
  Postmortem,
} from '@vitals/plugin-postmortems-common';
import {
  TechDebtClient,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { entityRefLabel } from '@vitals/react';
import { FormEvent, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { debtStatusLabel } from './format';

/** The tech-debt register, read directly through its public API (the typed client of its -common package). */
function useTechDebtClient() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new TechDebtClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
}

/**
 * Links a debt item that is already in the register as an action item: one of the affected entity's unresolved items,
 * or any item by its id.
 */
export function LinkActionItemDialog(props: {
  postmortem: Postmortem;
  linkedIds: string[];
  onClose: () => void;
  onLinked: () => void;
}) {
  const { postmortem, linkedIds, onClose, onLinked } = props;
  const api = useApi(postmortemsApiRef);
  const techDebt = useTechDebtClient();
  const candidates = useAsync(
    () =>
      techDebt.listItems({
        entityRef: [postmortem.entityRef],
        status: [...UNRESOLVED_STATUSES],
        limit: 200,
      }),
    [techDebt, postmortem.entityRef],
  );
  const [selected, setSelected] = useState('');
  const [typedId, setTypedId] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const options = (candidates.value?.items ?? []).filter(
    item => !linkedIds.includes(item.id),
  );
  const debtItemId = typedId.trim() || selected;
  const errors: { item?: string; dueDate?: string } = {};
  if (!debtItemId) errors.item = 'Choose a debt item, or paste its id';
  else if (!debtItemIdSchema.safeParse(debtItemId).success) {
    errors.item = 'A debt item id is a UUID, as the register shows it';
  } else if (linkedIds.includes(debtItemId)) {
    errors.item = 'This debt item is already an action item';
  }
  if (dueDate && !daySchema.safeParse(dueDate).success) {
    errors.dueDate = 'A day like 2026-12-31';
  }
  const shown = touched ? errors : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    setSaving(true);
    setServerError(undefined);
    try {
      await api.linkActionItem(
        postmortem.id,
        debtItemId,
        dueDate ? { dueDate } : {},
      );
      onLinked();
    } catch (err) {
      setServerError(describeApiError(err));
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>Link an existing debt item</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The debt item stays where it is in the register and gets incident{' '}
            {postmortem.incidentId} linked to it.
          </DialogContentText>
          {serverError && <Alert severity="error">{serverError}</Alert>}
          {candidates.loading && <LinearProgress />}
          {candidates.error && (
            <Alert severity="warning">
              The register&apos;s items could not be listed (
              {candidates.error.message}); paste the debt item&apos;s id
              instead.
            </Alert>
          )}
          {candidates.value && (
            <TextField
              id="link-debt-item-select"
              select
              label={`Unresolved debt of ${entityRefLabel(
                postmortem.entityRef,
              )}`}
              value={selected}
              onChange={e => setSelected(String(e.target.value))}
              fullWidth
              margin="normal"
              disabled={options.length === 0}
              helperText={
                options.length === 0
                  ? 'No other unresolved debt on this entity; paste an id below.'
                  : undefined
              }
            >
              {options.map(item => (
                <MenuItem key={item.id} value={item.id}>
                  {item.title} · {debtStatusLabel(item.status)}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            id="link-debt-item-id"
            label="Or the debt item's id"
            value={typedId}
            onChange={e => setTypedId(e.target.value)}
            fullWidth
            margin="normal"
            error={!!shown.item}
            helperText={
              shown.item ?? 'For a debt item of another entity (a UUID).'
            }
          />
          <TextField
            id="link-debt-item-due-date"
            label="Due date"
            type="date"
            value={dueDate}
            onChange={e => setDueDate(e.target.value)}
            fullWidth
            margin="normal"
            InputLabelProps={{ shrink: true }}
            error={!!shown.dueDate}
            helperText={
              shown.dueDate ?? 'Empty: the configured number of days from today'
            }
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            Link debt item
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
