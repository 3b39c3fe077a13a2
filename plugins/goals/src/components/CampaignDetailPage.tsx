import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Chip,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { statusOfApiError } from '@vitals/common';
import type {
  CampaignEntity,
  CampaignEventAction,
} from '@vitals/plugin-goals-common';
import {
  entityRefLabel,
  formatDateTime,
  formatDays,
  RetryableError,
} from '@vitals/react';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { BurnUpChart } from './BurnUpChart';
import { CampaignEntitiesTable } from './CampaignEntitiesTable';
import { CampaignFormDialog } from './CampaignFormDialog';
import { DeleteDialog } from './DeleteDialog';
import {
  checkLabel,
  daysUntil,
  dueLabel,
  ownerLabel,
  selectionLabel,
} from './format';
import { useCampaignPermissions } from './permissions';
import { PromoteCampaignButton, PromotedNotice } from './PromoteCampaign';
import { TeamsTable } from './TeamsTable';

const owner = (e: CampaignEntity) =>
  e.ownerRef ? (
    <EntityRefLink entityRef={e.ownerRef} defaultKind="group" />
  ) : (
    'No owner'
  );

const openColumns: TableColumn<CampaignEntity>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: e => <EntityRefLink entityRef={e.entityRef} />,
  },
  { title: 'Owner', field: 'ownerRef', render: owner },
  {
    title: 'Failing checks',
    render: e => e.failingChecks.join(', '),
  },
];

const waivedColumns: TableColumn<CampaignEntity>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: e => <EntityRefLink entityRef={e.entityRef} />,
  },
  { title: 'Owner', field: 'ownerRef', render: owner },
  { title: 'Waived checks', render: e => e.waivedChecks.join(', ') },
];

const EVENT_LABELS: Record<CampaignEventAction, string> = {
  created: 'Launched',
  updated: 'Changed',
  deleted: 'Deleted',
  reminded: 'Reminded the owners',
  promoted: 'Promoted to a permanent check',
};

/** One campaign: what it asks of whom by when, its burn-up (overall and per team), the capacity check, and who is not done. */
export function CampaignDetailPage() {
  const { campaignId = '' } = useParams();
  const api = useApi(goalsApiRef);
  const permissions = useCampaignPermissions();
  const [team, setTeam] = useState<string>('');
  const [editing, setEditing] = useState(false);
  // The entity states come a page at a time with their tables, not with the campaign (which may ask 10,000).
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  const campaign = useAsyncRetry(
    () => api.getCampaign(campaignId, { entityLimit: 0 }),
    [api, campaignId],
  );
  // Read once the campaign is here, and again when its version changes (an edit): not also before, while the version
  // is still unknown, which fetched the same history twice on every visit.
  const version = campaign.value?.version;
  const events = useAsyncRetry(
    async () =>
      version === undefined ? undefined : api.getCampaignEvents(campaignId),
    [api, campaignId, version],
  );

  if (campaign.loading && !campaign.value) return <Progress />;
  if (campaign.error) {
    if (statusOfApiError(campaign.error) === 404) {
      return (
        <EmptyState
          missing="data"
          title="No such campaign"
          description="It may have been deleted. Go back to the campaigns to pick another one."
          action={
            <LinkButton variant="outlined" to="..">
              All campaigns
            </LinkButton>
          }
        />
      );
    }
    return (
      <RetryableError
        title="Could not load the campaign"
        error={campaign.error}
        onRetry={campaign.retry}
      />
    );
  }
  const c = campaign.value!;
  const open = c.entities - c.done;
  const entitiesKey = `${c.version} ${c.snapshotAt}`;
  const days = daysUntil(c.deadline);
  const teamRefs = c.teams.map(t => t.ownerRef).filter((r): r is string => !!r);

  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 8 }}
      >
        <Link to="..">← All campaigns</Link>
      </Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 8 }}
      >
        <Typography variant="h4" component="h2" style={{ flexGrow: 1 }}>
          {c.name}
        </Typography>
        <Chip
          label={c.status === 'running' ? 'Running' : 'Ended'}
          color={c.status === 'running' ? 'primary' : 'default'}
        />
        {c.promotedAt && <Chip label="Permanent" color="secondary" />}
        {permissions.canUpdate && (
          <Button variant="outlined" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
        <PromoteCampaignButton campaign={c} onPromoted={campaign.retry} />
        {permissions.canUpdate && (
          <Button variant="outlined" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        )}
      </Box>
      <PromotedNotice campaign={c} />
      {c.description && (
        <Typography
          variant="body1"
          paragraph
          style={{ whiteSpace: 'pre-wrap' }}
        >
          {c.description}
        </Typography>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} md={4}>
          <InfoCard title="The ask">
            <Typography variant="subtitle2">Checks to pass</Typography>
            <List dense aria-label="Checks asked">
              {c.checks.map(check => (
                <ListItem key={checkLabel(check)} disableGutters>
                  <ListItemText primary={checkLabel(check)} />
                </ListItem>
              ))}
            </List>
            <Typography variant="subtitle2">Entities</Typography>
            <Typography variant="body2" paragraph>
              {selectionLabel(c.selection)}
            </Typography>
            <Typography variant="subtitle2">Deadline</Typography>
            <Typography variant="body2" paragraph>
              {c.deadline} (
              {days >= 0
                ? `${days} ${days === 1 ? 'day' : 'days'} left`
                : dueLabel(c.deadline)}
              )
            </Typography>
            <Typography variant="subtitle2">Effort per entity</Typography>
            <Typography variant="body2" paragraph>
              {c.effortDaysPerEntity === null
                ? 'Not estimated'
                : formatDays(c.effortDaysPerEntity)}
            </Typography>
            <Typography variant="subtitle2">Reminders</Typography>
            <Typography variant="body2">
              {c.reminderDaysBefore.length
                ? `${[...c.reminderDaysBefore]
                    .sort((a, b) => b - a)
                    .join(', ')} days before the deadline`
                : 'None'}
            </Typography>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard
            title="Burn-up"
            subheader={
              c.snapshotAt
                ? `${c.done} of ${c.entities} done (${
                    c.waived
                  } waived), counted ${formatDateTime(c.snapshotAt)}`
                : 'Not counted yet: the first snapshot follows the launch.'
            }
          >
            {c.entities > 0 && (
              <LinearProgress
                variant="determinate"
                value={(100 * c.done) / c.entities}
                aria-label={`${c.done} of ${c.entities} done`}
                style={{ marginBottom: 16 }}
              />
            )}
            <TextField
              select
              label="Burn-up of"
              value={team}
              onChange={e => setTeam(String(e.target.value))}
              style={{ minWidth: 220, marginBottom: 8 }}
              SelectProps={{ inputProps: { 'aria-label': 'Burn-up of' } }}
            >
              <MenuItem value="">The whole campaign</MenuItem>
              {teamRefs.map(ref => (
                <MenuItem key={ref} value={ref}>
                  {ownerLabel(ref)}
                </MenuItem>
              ))}
            </TextField>
            <BurnUpChart
              points={c.burnUp}
              ownerRef={team || null}
              deadline={c.deadline}
              label={`Burn-up of ${
                team ? ownerLabel(team) : 'the whole campaign'
              }`}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="Teams and capacity"
            subheader="Remaining effort (entities not done × effort per entity) against each team's debt budget for the deadline's quarter"
          >
            {c.teams.length === 0 ? (
              <Typography color="textSecondary">
                No team has an entity in this campaign.
              </Typography>
            ) : (
              <TeamsTable teams={c.teams} label="Teams" />
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          {open === 0 ? (
            <InfoCard title="Not done">
              <Typography color="textSecondary">
                {c.entities === 0
                  ? 'The selection has no entities yet.'
                  : 'Every entity is done. 🎉'}
              </Typography>
            </InfoCard>
          ) : (
            <CampaignEntitiesTable
              campaignId={c.id}
              state="open"
              title={`Not done (${open})`}
              columns={openColumns}
              search
              reloadKey={entitiesKey}
            />
          )}
        </Grid>
        <Grid item xs={12}>
          {c.waived === 0 ? (
            <InfoCard title="Waived">
              <Typography color="textSecondary">
                No entity is done by a waiver.
              </Typography>
            </InfoCard>
          ) : (
            <CampaignEntitiesTable
              campaignId={c.id}
              state="waived"
              title={`Waived (${c.waived}), counted as done`}
              columns={waivedColumns}
              reloadKey={entitiesKey}
            />
          )}
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="History">
            {events.loading && <Progress />}
            {events.error && (
              <Typography color="error">
                Could not load the history: {events.error.message}
              </Typography>
            )}
            {events.value && (
              <List dense aria-label="Campaign history">
                {[...events.value]
                  .sort((a, b) => b.at.localeCompare(a.at))
                  .map((e, i) => (
                    <ListItem key={`${e.at}-${i}`} disableGutters>
                      <ListItemText
                        primary={EVENT_LABELS[e.action] ?? e.action}
                        secondary={`${formatDateTime(e.at)} · ${entityRefLabel(
                          e.actor,
                        )}`}
                      />
                    </ListItem>
                  ))}
              </List>
            )}
          </InfoCard>
        </Grid>
      </Grid>
      {deleting && (
        <DeleteDialog
          what="campaign"
          name={c.name}
          consequences="Its burn-up, its teams' figures and its history go with it; the entities and their scorecards stay as they are."
          onDelete={() => api.deleteCampaign(c.id, c.version)}
          onDeleted={() => navigate('..')}
          onReload={() => {
            setDeleting(false);
            campaign.retry();
          }}
          onClose={() => setDeleting(false)}
        />
      )}
      {editing && (
        <CampaignFormDialog
          open
          campaign={c}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            campaign.retry();
          }}
        />
      )}
    </>
  );
}
