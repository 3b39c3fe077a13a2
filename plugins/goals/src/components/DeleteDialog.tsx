import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import { useState } from 'react';

/**
 * Asks before deleting a goal or a campaign, then deletes it with the version the user saw. A stale version (409:
 * someone changed it since) is said in words, with a button to reload what they changed; nothing is deleted then.
 */
export function DeleteDialog(props: {
  /** `goal` or `campaign`, as the messages name it. */
  what: string;
  name: string;
  /** What goes with it, e.g. "Its key results, trends and history go with it." */
  consequences: string;
  onDelete: () => Promise<void>;
  onDeleted: () => void;
  onReload: () => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ conflict: boolean; message: string }>();

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onDelete();
      props.onDeleted();
    } catch (e) {
      const conflict = statusOfApiError(e) === 409;
      setError({
        conflict,
        message: conflict
          ? `Someone changed this ${props.what} after you opened it, so it was not deleted. Reload to see their change, then delete it again if you still want to.`
          : `Could not delete the ${props.what}: ${describeApiError(e)}`,
      });
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      aria-labelledby="goals-delete-title"
    >
      <DialogTitle id="goals-delete-title">
        Delete the {props.what} “{props.name}”?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {props.consequences} This cannot be undone.
        </DialogContentText>
        {error && (
          <Alert
            severity={error.conflict ? 'warning' : 'error'}
            action={
              error.conflict ? (
                <Button size="small" onClick={props.onReload}>
                  Reload
                </Button>
              ) : undefined
            }
          >
            {error.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={remove}
          disabled={busy || error?.conflict}
        >
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
