import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
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
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { describeApiError } from '@vitals/common';
import type { CampaignDetail } from '@vitals/plugin-goals-common';
import {
  ScorecardsClient,
  type ScorecardDefinition,
  type ScorecardLevel,
} from '@vitals/plugin-scorecards-common';
import { entityRefLabel, formatDateTime } from '@vitals/react';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
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
 * The definition of the one scorecard all of the campaign's checks belong to (its levels, and the level each check is
 * required from now), read from the scorecards backend while the dialog is open; undefined when the checks span several
 * scorecards (then each goes to its scorecard's lowest level).
 */
function useScorecardDefinition(campaign: CampaignDetail, open: boolean) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const client = useMemo(
    () => new ScorecardsClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
  const scorecardIds = Array.from(
    new Set(campaign.checks.map(check => check.scorecardId)),
  );
  const scorecardId = scorecardIds.length === 1 ? scorecardIds[0] : undefined;
  const definition = useAsync(async (): Promise<
    ScorecardDefinition | undefined
  > => {
    if (!open || !scorecardId) return undefined;
    return client.getDefinition(scorecardId);
  }, [client, open, scorecardId]);
  return { scorecardId, ...definition };
}

/** What checks required from `levelId` mean for the entities, in a sentence. */
function levelMeaning(levels: ScorecardLevel[], levelId: string): string {
  const index = levels.findIndex(level => level.id === levelId);
  const reach =
    index <= 0 ? 'any level' : `${levels[index].title} or a level above it`;
  return `Every entity the scorecard applies to must pass these checks to reach ${reach}, not only the entities of this campaign.`;
}

/**
 * The campaign's checks that the scorecard requires from a lower level than `levelId` today: moving them there would
 * require them later, not sooner. Each as "Has an owner (now from Bronze)".
 */
function requiredLater(
  definition: ScorecardDefinition,
  campaign: CampaignDetail,
  levelId: string,
): string[] {
  const indexOf = (id: string) =>
    definition.levels.findIndex(level => level.id === id);
  const chosen = indexOf(levelId);
  return campaign.checks.flatMap(({ checkId }) => {
    const check = definition.checks.find(c => c.id === checkId);
    if (!check || indexOf(check.level) < 0 || indexOf(check.level) >= chosen)
      return [];
    const now = definition.levels[indexOf(check.level)].title;
    return [`${check.title} (now from ${now})`];
  });
}

/**
 * "Make permanent": on an ended campaign not promoted yet, for those allowed both to change campaigns and the scorecard
 * definitions; asks for confirmation, saying what will change and, when the checks come from one scorecard, from which
 * of its levels they are required (the lowest unless chosen), then promotes the campaign's checks.
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
  const [chosenLevelId, setChosenLevelId] = useState<string | undefined>();
  const scorecard = useScorecardDefinition(c, open);

  if (c.status !== 'ended' || c.promotedAt || !permission.allowed) return null;

  const definition = scorecard.value;
  const levels =
    definition && definition.levels.length > 0 ? definition.levels : undefined;
  const levelId = levels ? chosenLevelId ?? levels[0].id : undefined;
  const later =
    definition && levelId ? requiredLater(definition, c, levelId) : [];

  const close = () => {
    if (working) return;
    setOpen(false);
    setError(undefined);
    setChosenLevelId(undefined);
  };
  const promote = async () => {
    setWorking(true);
    setError(undefined);
    try {
      const promoted = await api.promoteCampaign(c.id, {
        version: c.version,
        ...(levelId ? { levelId } : {}),
      });
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
          {levels && levelId ? (
            <>
              <DialogContentText>
                Each check becomes a permanent requirement of the{' '}
                {definition?.title ?? scorecard.scorecardId} scorecard, from the
                level chosen here.
              </DialogContentText>
              <TextField
                select
                fullWidth
                label="Required from level"
                value={levelId}
                onChange={e => setChosenLevelId(String(e.target.value))}
                helperText={levelMeaning(levels, levelId)}
                disabled={working}
                SelectProps={{
                  inputProps: { 'aria-label': 'Required from level' },
                }}
              >
                {levels.map((level, i) => (
                  <MenuItem key={level.id} value={level.id}>
                    {i === 0 ? `${level.title} (the lowest)` : level.title}
                  </MenuItem>
                ))}
              </TextField>
              {later.length > 0 && (
                <Alert severity="warning" style={{ marginTop: 8 }}>
                  The scorecard requires these from a lower level today, so at{' '}
                  {levels.find(l => l.id === levelId)?.title} they would be
                  required later, not sooner: {later.join(', ')}.
                </Alert>
              )}
            </>
          ) : (
            <DialogContentText>
              Each check becomes a permanent requirement of its scorecard at the
              scorecard's lowest level: every entity the scorecard applies to
              must pass it to reach any level, not only the entities of this
              campaign.
              {scorecard.loading && ' Reading the scorecard’s levels…'}
              {scorecard.error &&
                ` (The scorecard's levels could not be read, so no other level can be chosen: ${describeApiError(
                  scorecard.error,
                )})`}
            </DialogContentText>
          )}
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
            promotion later on the scorecards page.
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
            disabled={working || scorecard.loading}
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
