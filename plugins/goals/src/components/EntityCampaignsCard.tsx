import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Button,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import type { Campaign } from '@vitals/plugin-goals-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { checkLabel, daysUntil, dueLabel } from './format';
import { CAMPAIGNS_PATH } from './paths';

function thisKind(kind: string, type: string | undefined): string {
  if (kind.toLowerCase() === 'component' && type) return `this ${type}`;
  return `this ${kind.toLowerCase()}`;
}

/** "2 campaigns ask this service to pass 3 checks, the first due in 12 days." */
export function campaignsSentence(campaigns: Campaign[], what: string): string {
  const checks = new Set(campaigns.flatMap(c => c.checks.map(checkLabel)));
  const soonest = [...campaigns].sort((a, b) =>
    a.deadline.localeCompare(b.deadline),
  )[0];
  const n = campaigns.length;
  const ask = `${n} ${n === 1 ? 'campaign asks' : 'campaigns ask'} ${what}`;
  const pass =
    checks.size === 1
      ? `to pass ${[...checks][0]}`
      : `to pass ${checks.size} checks`;
  const due = dueLabel(soonest.deadline);
  return `${ask} ${pass}, ${n === 1 ? due : `the first ${due}`}.`;
}

/**
 * The running campaigns that ask something of an entity, for its page: what they ask and by when. Nothing but a short
 * line when none does.
 */
export function EntityCampaignsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(goalsApiRef);
  const campaigns = useAsyncRetry(
    () => api.listCampaigns({ entityRef, status: ['running'] }),
    [api, entityRef],
  );
  const what = thisKind(
    entity.kind,
    (entity.spec as { type?: string } | undefined)?.type,
  );
  return (
    <InfoCard title="Campaigns">
      {campaigns.loading && <Progress />}
      {campaigns.error && (
        <Alert
          severity="error"
          action={
            <Button size="small" onClick={campaigns.retry}>
              Try again
            </Button>
          }
        >
          Could not load the campaigns: {describeApiError(campaigns.error)}
        </Alert>
      )}
      {campaigns.value && campaigns.value.campaigns.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No running campaign asks anything of {what}. Campaigns are launched by
          the admins on the <Link to={CAMPAIGNS_PATH}>Campaigns page</Link>.
        </Typography>
      )}
      {campaigns.value && campaigns.value.campaigns.length > 0 && (
        <>
          <Typography variant="body1">
            {campaignsSentence(campaigns.value.campaigns, what)}
          </Typography>
          <List dense aria-label="Campaigns asking this entity">
            {campaigns.value.campaigns.map(c => (
              <ListItem key={c.id} disableGutters>
                <ListItemText
                  primary={
                    <Link to={`${CAMPAIGNS_PATH}/${encodeURIComponent(c.id)}`}>
                      {c.name}
                    </Link>
                  }
                  secondary={`${c.checks
                    .map(checkLabel)
                    .join(', ')} · ${dueLabel(c.deadline)}${
                    daysUntil(c.deadline) < 0 ? '' : ` (${c.deadline})`
                  }`}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
