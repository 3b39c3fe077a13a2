import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import { MAX_WAIVER_DAYS } from '@vitals/plugin-scorecards-common';
import { useState } from 'react';

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 24 * 3600 * 1000)
    .toISOString()
    .slice(0, 10);
}

/** End of the chosen day in UTC, so that "until 2027-03-01" includes that day. */
const endOfDay = (date: string) => `${date}T23:59:59.000Z`;

/**
 * Asks an owner why a check does not apply and until when. Without `waiver` it adds one; with `waiver` it edits that
 * waiver's reason and expiry, and `onSubmit` gets only what changed.
 */
export function WaiverDialog(
  props: { checkTitle: string; onClose: () => void } & (
    | {
        waiver?: undefined;
        onSubmit: (waiver: {
          reason: string;
          expiresAt: string;
        }) => Promise<void>;
      }
    | {
        waiver: { reason: string; expiresAt: string };
        onSubmit: (changes: {
          reason?: string;
          expiresAt?: string;
        }) => Promise<void>;
      }
  ),
) {
  const editing = props.waiver !== undefined;
  const initialExpiry = props.waiver
    ? props.waiver.expiresAt.slice(0, 10)
    : day(90);
  const [reason, setReason] = useState(props.waiver?.reason ?? '');
  const [expires, setExpires] = useState(initialExpiry);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const reasonChanged = reason.trim() !== (props.waiver?.reason ?? '').trim();
  const expiryChanged = expires !== initialExpiry;
  const unchanged = editing && !reasonChanged && !expiryChanged;

  const submit = async () => {
    setSaving(true);
    setError(undefined);
    try {
      if (props.waiver !== undefined) {
        await props.onSubmit({
          ...(reasonChanged ? { reason } : {}),
          ...(expiryChanged ? { expiresAt: endOfDay(expires) } : {}),
        });
      } else {
        await props.onSubmit({ reason, expiresAt: endOfDay(expires) });
      }
    } catch (e) {
      setError(describeApiError(e));
      setSaving(false);
    }
  };

  let submitLabel = editing ? 'Save' : 'Add waiver';
  if (saving) submitLabel = editing ? 'Saving…' : 'Adding…';

  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby="waiver-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="waiver-dialog-title">
        {editing
          ? `Edit the waiver of “${props.checkTitle}”`
          : `Waive “${props.checkTitle}”`}
      </DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error">
            {editing ? 'Could not save the waiver' : 'Could not add the waiver'}
            : {error}
          </Alert>
        )}
        <TextField
          id="waiver-reason"
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText="Why the check does not apply to this entity for now"
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          required
        />
        <TextField
          id="waiver-expires"
          label="Expires on"
          type="date"
          value={expires}
          onChange={e => setExpires(e.target.value)}
          helperText={`At most ${MAX_WAIVER_DAYS} days ahead; the check counts again after this day`}
          InputLabelProps={{ shrink: true }}
          inputProps={{ min: day(1), max: day(MAX_WAIVER_DAYS - 1) }}
          margin="normal"
          required
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={saving || unchanged || reason.trim().length < 3 || !expires}
        >
          {submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
