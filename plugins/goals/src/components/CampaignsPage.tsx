import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, LinearProgress, Typography } from '@material-ui/core';
import type { Campaign, CampaignStatus } from '@vitals/plugin-goals-common';
import { FilterSelect, RetryableError } from '@vitals/react';
import { useState } from 'react';
import { Route, Routes, useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { CampaignDetailPage } from './CampaignDetailPage';
import { CampaignFormDialog } from './CampaignFormDialog';
import { checkLabel, dueLabel, selectionLabel } from './format';
import { useCampaignPermissions } from './permissions';

const columns: TableColumn<Campaign>[] = [
  {
    title: 'Campaign',
    field: 'name',
    render: c => (
      <>
        <Link to={encodeURIComponent(c.id)}>{c.name}</Link>
        <Typography variant="body2" color="textSecondary">
          {selectionLabel(c.selection)}
        </Typography>
      </>
    ),
  },
  {
    title: 'Checks',
    render: c => c.checks.map(checkLabel).join(', '),
  },
  {
    title: 'Deadline',
    field: 'deadline',
    render: c => (
      <>
        {c.deadline}
        <Typography variant="body2" color="textSecondary">
          {c.status === 'ended' ? 'ended' : dueLabel(c.deadline)}
        </Typography>
      </>
    ),
  },
  {
    title: 'Done',
    render: c => (
      <Box minWidth={140}>
        {c.snapshotAt === null ? (
          'Not counted yet'
        ) : (
          <>
            {c.done} of {c.entities}
            {c.waived > 0 && ` (${c.waived} waived)`}
            <LinearProgress
              variant="determinate"
              value={c.entities ? (100 * c.done) / c.entities : 0}
              aria-label={`${c.name}: ${c.done} of ${c.entities} done`}
            />
          </>
        )}
      </Box>
    ),
  },
];

function CampaignList() {
  const api = useApi(goalsApiRef);
  const navigate = useNavigate();
  const permissions = useCampaignPermissions();
  const [status, setStatus] = useState<'' | CampaignStatus>('running');
  const [creating, setCreating] = useState(false);
  const campaigns = useAsyncRetry(
    () => api.listCampaigns(status ? { status: [status] } : {}),
    [api, status],
  );
  const newButton = permissions.canCreate && (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setCreating(true)}
    >
      New campaign
    </Button>
  );
  return (
    <>
      <ContentHeader title="Campaigns">{newButton}</ContentHeader>
      <Box mb={2}>
        <FilterSelect
          label="Status"
          value={status}
          onChange={v => setStatus(v as '' | CampaignStatus)}
          options={[
            { value: 'running', label: 'Running' },
            { value: 'ended', label: 'Ended' },
          ]}
          allLabel="All campaigns"
        />
      </Box>
      {campaigns.loading && !campaigns.value && <Progress />}
      {campaigns.error && (
        <RetryableError
          title="Could not load the campaigns"
          error={campaigns.error}
          onRetry={campaigns.retry}
        />
      )}
      {campaigns.value && campaigns.value.campaigns.length === 0 && (
        <EmptyState
          missing="data"
          title={status ? `No ${status} campaigns` : 'No campaigns yet'}
          description={
            permissions.canCreate
              ? 'Ask a set of entities to pass scorecard checks by a deadline: choose New campaign, preview who it asks and whether the teams have the capacity, then launch it.'
              : 'The admins launch campaigns that ask entities to pass scorecard checks by a deadline. Look at ended campaigns with the Status filter.'
          }
          action={newButton || undefined}
        />
      )}
      {campaigns.value && campaigns.value.campaigns.length > 0 && (
        <Table<Campaign>
          title={`${campaigns.value.totalCount} ${
            campaigns.value.totalCount === 1 ? 'campaign' : 'campaigns'
          }`}
          columns={columns}
          data={campaigns.value.campaigns}
          options={{
            paging: campaigns.value.campaigns.length > 20,
            pageSize: 20,
            search: false,
          }}
        />
      )}
      {creating && (
        <CampaignFormDialog
          open
          onClose={() => setCreating(false)}
          onSaved={saved => {
            setCreating(false);
            navigate(encodeURIComponent(saved.id));
          }}
        />
      )}
    </>
  );
}

/** `/campaigns`: the campaigns, and each campaign's page at `/campaigns/<id>`. */
export function CampaignsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Campaigns"
        subtitle="Time-boxed asks to pass scorecard checks, with burn-up and capacity per team"
      />
      <Content>
        <Routes>
          <Route path="/" element={<CampaignList />} />
          <Route path="/:campaignId" element={<CampaignDetailPage />} />
        </Routes>
      </Content>
    </Page>
  );
}
