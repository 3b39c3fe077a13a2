import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import { useState } from 'react';
import { formatDate } from '@vitals/react';

/** Asks for confirmation before a waiver is withdrawn; `onConfirm` withdraws it. */
export function WithdrawWaiverDialog(props: {
  checkTitle: string;
  waiver: { reason: string; expiresAt: string };
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [withdrawing, setWithdrawing] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setWithdrawing(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (e) {
      setError(describeApiError(e));
      setWithdrawing(false);
    }
  };

  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby="withdraw-waiver-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="withdraw-waiver-title">
        Withdraw the waiver of “{props.checkTitle}”?
      </DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error">Could not withdraw the waiver: {error}</Alert>
        )}
        <DialogContentText>
          The waiver (until {formatDate(props.waiver.expiresAt)}:{' '}
          {props.waiver.reason}) stops applying now, and the check counts
          towards the level and score again. The waiver stays on record as
          withdrawn.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={confirm}
          disabled={withdrawing}
        >
          {withdrawing ? 'Withdrawing…' : 'Withdraw waiver'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
