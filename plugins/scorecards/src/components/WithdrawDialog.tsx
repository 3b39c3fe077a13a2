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
import { ReactNode, useState } from 'react';

/**
 * Asks for confirmation before something is withdrawn (a waiver, a promotion); `onConfirm` withdraws it. A refusal
 * stays in the dialog with the reason, prefixed by `failure` ("Could not withdraw the waiver").
 */
export function WithdrawDialog(props: {
  id: string;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  failure: string;
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
      aria-labelledby={props.id}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={props.id}>{props.title}</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error">
            {props.failure}: {error}
          </Alert>
        )}
        <DialogContentText>{props.children}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={confirm}
          disabled={withdrawing}
        >
          {withdrawing ? 'Withdrawing…' : props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
