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
  return new Date(Date.now() + offsetDays * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Asks an owner why a check does not apply and until when; `onSubmit` creates the waiver. */
export function WaiverDialog(props: {
  checkTitle: string;
  onClose: () => void;
  onSubmit: (waiver: { reason: string; expiresAt: string }) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(day(90));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    setSaving(true);
    setError(undefined);
    try {
      // End of the chosen day in UTC, so that "until 2027-03-01" includes that day.
      await props.onSubmit({ reason, expiresAt: `${expires}T23:59:59.000Z` });
    } catch (e) {
      setError(describeApiError(e));
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={props.onClose} aria-labelledby="waiver-dialog-title" fullWidth maxWidth="sm">
      <DialogTitle id="waiver-dialog-title">Waive “{props.checkTitle}”</DialogTitle>
      <DialogContent>
        {error && <Alert severity="error">Could not add the waiver: {error}</Alert>}
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
        <Button color="primary" variant="contained" onClick={submit}
          disabled={saving || reason.trim().length < 3 || !expires}>
          {saving ? 'Adding…' : 'Add waiver'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
