import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Chip,
  Link,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, normalizeEntityRef } from '@vitals/common';
import {
  ContactChannel,
  EntityOwnership,
  OWNERSHIP_PROBLEM_LABELS,
  ownershipConfirmPermission,
  safeContactUrl,
} from '@vitals/plugin-ownership-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { formatDate, formatDateTime } from '@vitals/react';
import { describeHistoryEvent, shortRef } from './format';

/** A contact as a link when its URL is http(s), mailto or a chat app's; anything else as plain text. */
function ChannelLabel({ channel }: { channel: ContactChannel }) {
  // The backend already drops other schemes; checked again here so that no `javascript:` URL ever becomes an href.
  const href = safeContactUrl(channel.url);
  return href ? <Link href={href}>{channel.label}</Link> : <>{channel.label}</>;
}

function ChannelList({
  label,
  channels,
}: {
  label: string;
  channels: ContactChannel[];
}) {
  if (channels.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        None
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label={label}>
      {channels.map((c, i) => (
        <ListItem key={`${c.type}-${c.label}-${i}`} disableGutters>
          <ListItemText
            primary={<ChannelLabel channel={c} />}
            secondary={c.source === 'owner' ? 'team' : undefined}
          />
        </ListItem>
      ))}
    </List>
  );
}

function ConfirmationLine({ ownership }: { ownership: EntityOwnership }) {
  const c = ownership.confirmation;
  if (c.status === 'not-applicable') {
    return (
      <Typography variant="body2" aria-label="Confirmation">
        No confirmation applies.
      </Typography>
    );
  }
  const last = c.lastConfirmedAt
    ? `Last confirmed ${formatDateTime(c.lastConfirmedAt)} by ${shortRef(
        c.lastConfirmedBy,
      )}`
    : 'Ownership has never been confirmed';
  let due = ' · confirmation due';
  if (c.status === 'current') due = ` · next due ${formatDate(c.dueAt!)}`;
  else if (c.status === 'due')
    due = ` · confirmation due since ${formatDate(c.dueAt!)}`;
  return (
    <Typography variant="body2" aria-label="Confirmation">
      {last}
      {due}
    </Typography>
  );
}

/** Overview card: owning team, members, parent, contacts, on-call, the health verdict, confirmation and history. */
export function EntityOwnershipCard() {
  const { entity } = useEntity();
  const entityRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(ownershipApiRef);
  const ownership = useAsyncRetry(
    () => api.getEntityOwnership(entityRef),
    [api, entityRef],
  );
  const history = useAsyncRetry(
    () => api.getHistory(entityRef),
    [api, entityRef],
  );
  const permission = usePermission({
    permission: ownershipConfirmPermission,
    resourceRef: entityRef,
  });
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string>();

  const confirm = async () => {
    setConfirming(true);
    setConfirmError(undefined);
    try {
      await api.confirmOwnership(entityRef);
      ownership.retry();
      history.retry();
    } catch (e) {
      setConfirmError(describeApiError(e));
    } finally {
      setConfirming(false);
    }
  };

  const o = ownership.value;
  const canConfirm =
    !!o?.owner?.exists && o.confirmation.status !== 'not-applicable';
  const ownerLabel = o?.owner
    ? `${o.owner.title ? `${o.owner.title} ` : ''}(${o.owner.ref})`
    : '';

  return (
    <InfoCard title="Ownership">
      {ownership.loading && !o && <Progress />}
      {ownership.error && (
        <ErrorPanel title="Could not load ownership" error={ownership.error} />
      )}
      {o && (
        <>
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <Chip
              size="small"
              aria-label="Ownership verdict"
              label={
                o.healthy
                  ? 'Healthy'
                  : `${o.problems.length} ${
                      o.problems.length === 1 ? 'problem' : 'problems'
                    }`
              }
              style={{
                backgroundColor: o.healthy ? '#2e7d32' : '#c62828',
                color: '#fff',
              }}
            />
            {o.owner ? (
              <Typography variant="body1">
                Owned by{' '}
                <EntityRefLink entityRef={o.owner.ref} defaultKind="group" />
                {o.owner.parent && (
                  <>
                    {' '}
                    · part of{' '}
                    <EntityRefLink
                      entityRef={o.owner.parent.ref}
                      defaultKind="group"
                    />
                  </>
                )}
              </Typography>
            ) : (
              <Typography>
                No owner. Set spec.owner in the entity's catalog-info.yaml to
                the team that runs it.
              </Typography>
            )}
          </Box>

          {o.problems.length > 0 && (
            <List dense aria-label="Ownership problems">
              {o.problems.map(p => (
                <ListItem key={p.kind} disableGutters>
                  <ListItemText
                    primary={OWNERSHIP_PROBLEM_LABELS[p.kind]}
                    secondary={p.message}
                  />
                </ListItem>
              ))}
            </List>
          )}

          {o.owner?.exists && (
            <Box mb={1}>
              <Typography variant="subtitle2">
                Members ({o.owner.memberCount})
              </Typography>
              {o.owner.members.length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  Nobody. The team needs members before it can own anything.
                </Typography>
              ) : (
                <Typography variant="body2" aria-label="Members">
                  {o.owner.members.map(m => m.displayName).join(', ')}
                  {o.owner.memberCount > o.owner.members.length ? ', …' : ''}
                </Typography>
              )}
            </Box>
          )}

          <Box display="flex" flexWrap="wrap" style={{ gap: 32 }} mb={1}>
            <Box>
              <Typography variant="subtitle2">Contacts</Typography>
              <ChannelList label="Contacts" channels={o.contacts} />
            </Box>
            <Box>
              <Typography variant="subtitle2">On-call</Typography>
              <ChannelList label="On-call" channels={o.onCall} />
            </Box>
          </Box>

          <ConfirmationLine ownership={o} />
          <Box mt={1} mb={1}>
            {canConfirm && permission.allowed && (
              <Button
                variant="contained"
                color="primary"
                size="small"
                onClick={confirm}
                disabled={confirming}
              >
                {confirming ? 'Confirming…' : 'Confirm ownership'}
              </Button>
            )}
            {canConfirm && !permission.loading && !permission.allowed && (
              <Typography variant="caption" color="textSecondary" component="p">
                Read only: only members of {ownerLabel} can confirm ownership of{' '}
                {o.entityRef}.
              </Typography>
            )}
            {o.ownerRef && !o.owner?.exists && (
              <Typography variant="caption" color="textSecondary" component="p">
                Nobody can confirm ownership until spec.owner names a team in
                the catalog.
              </Typography>
            )}
            {confirmError && (
              <Alert severity="error">Could not confirm: {confirmError}</Alert>
            )}
          </Box>

          <Typography variant="subtitle2">History</Typography>
          {history.error && (
            <ErrorPanel
              title="Could not load the history"
              error={history.error}
            />
          )}
          {history.value && history.value.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              No history yet: it starts with the next ownership snapshot.
            </Typography>
          )}
          {history.value && history.value.length > 0 && (
            <List dense disablePadding aria-label="Ownership history">
              {history.value.slice(0, 10).map(event => (
                <ListItem key={event.id} disableGutters>
                  <ListItemText
                    primary={describeHistoryEvent(event)}
                    secondary={formatDateTime(event.at)}
                  />
                </ListItem>
              ))}
            </List>
          )}
        </>
      )}
    </InfoCard>
  );
}
