import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { CampaignDetail } from '@vitals/plugin-goals-common';
import { entityRefLabel, formatDateTime } from '@vitals/react';
import { useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';
import { checkLabel } from './format';
import { useCampaignPromotePermission } from './permissions';

/** What an ended campaign made permanent, for everyone; nothing before it is promoted. */
export function PromotedNotice(props: { campaign: CampaignDetail }) {
  const { campaign: c } = props;
  if (!c.promotedAt) return null;
  return (
    <Alert severity="success" style={{ marginBottom: 16 }}>
      <Typography variant="body2">
        Made permanent on {formatDateTime(c.promotedAt)}
        {c.promotedBy ? ` by ${entityRefLabel(c.promotedBy)}` : ''}: these
        checks are now required by their scorecards.
      </Typography>
      <List dense aria-label="Checks made permanent">
        {c.promotedChecks.map(p => (
          <ListItem key={p.promotionId} disableGutters>
            <ListItemText
              primary={checkLabel(p)}
              secondary={`required from level ${p.levelId}`}
            />
          </ListItem>
        ))}
      </List>
    </Alert>
  );
}

/**
 * "Make permanent": on an ended campaign not promoted yet, for those allowed both to change campaigns and the scorecard
 * definitions; asks for confirmation, saying what will change, then promotes the campaign's checks.
 */
export function PromoteCampaignButton(props: {
  campaign: CampaignDetail;
  onPromoted: (campaign: CampaignDetail) => void;
}) {
  const { campaign: c, onPromoted } = props;
  const api = useApi(goalsApiRef);
  const permission = useCampaignPromotePermission();
  const [open, setOpen] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  if (c.status !== 'ended' || c.promotedAt || !permission.allowed) return null;

  const close = () => {
    if (working) return;
    setOpen(false);
    setError(undefined);
  };
  const promote = async () => {
    setWorking(true);
    setError(undefined);
    try {
      const promoted = await api.promoteCampaign(c.id, { version: c.version });
      setOpen(false);
      onPromoted(promoted);
    } catch (e) {
      setError(e as Error);
    } finally {
      setWorking(false);
    }
  };

  return (
    <>
      <Button variant="contained" color="primary" onClick={() => setOpen(true)}>
        Make permanent
      </Button>
      <Dialog open={open} onClose={close} aria-labelledby="promote-title">
        <DialogTitle id="promote-title">
          Make the campaign's checks permanent?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Each check becomes a permanent requirement of its scorecard at the
            scorecard's lowest level: every entity the scorecard applies to must
            pass it to reach any level, not only the entities of this campaign.
          </DialogContentText>
          <List dense aria-label="Checks to make permanent">
            {c.checks.map(check => (
              <ListItem key={checkLabel(check)} disableGutters>
                <ListItemText primary={checkLabel(check)} />
              </ListItem>
            ))}
          </List>
          <DialogContentText>
            Entities that fail a check now lose their level at the next
            evaluation, and their owners are notified. An admin can withdraw a
            promotion in the scorecards later.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert">
              Could not make the checks permanent: {error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={working}>
            Cancel
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={promote}
            disabled={working}
          >
            {working ? (
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <CircularProgress size={16} aria-label="Making permanent" />
                Making permanent…
              </Box>
            ) : (
              'Make permanent'
            )}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
