import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
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
import { onboardingProgressResetPermission } from '@vitals/plugin-onboarding-common';
import { useState } from 'react';
import { onboardingApiRef } from '../api/onboardingApiRef';

/**
 * "Reset" for people allowed `onboarding.progress.reset` (the portal's policy: admins); nothing for everyone else.
 * Asks first, since it clears every step the person ticked.
 */
export function ResetProgressButton(props: {
  userRef: string;
  name: string;
  onReset: () => void;
}) {
  const api = useApi(onboardingApiRef);
  const permission = usePermission({
    permission: onboardingProgressResetPermission,
  });
  const [open, setOpen] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [error, setError] = useState<string>();

  if (!permission.allowed) return null;

  const reset = async () => {
    setResetting(true);
    setError(undefined);
    try {
      await api.resetProgress({ userRef: props.userRef });
      setOpen(false);
      props.onReset();
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setResetting(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        onClick={() => setOpen(true)}
        aria-label={`Reset progress of ${props.name}`}
      >
        Reset
      </Button>
      <Dialog
        open={open}
        onClose={() => !resetting && setOpen(false)}
        aria-labelledby="onboarding-reset-title"
      >
        <DialogTitle id="onboarding-reset-title">
          Reset the onboarding progress of {props.name}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            This clears the steps {props.name} ticked in every checklist of
            theirs, not only this team&apos;s. Steps that complete automatically
            complete again from their evidence. The reset is recorded in the
            history.
          </DialogContentText>
          {error && <Alert severity="error">Could not reset: {error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={resetting}>
            Cancel
          </Button>
          <Button
            color="secondary"
            variant="contained"
            onClick={reset}
            disabled={resetting}
          >
            {resetting ? 'Resetting…' : 'Reset progress'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
