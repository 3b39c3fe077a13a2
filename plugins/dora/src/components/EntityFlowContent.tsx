import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid } from '@material-ui/core';
import { useState } from 'react';
import { useDoraSettings, WindowSelect } from './DoraControls';
import { FlowChart } from './FlowChart';
import { FlowFilter, noPullRequestsText } from './flowFigures';
import { FlowPullRequestsTable } from './FlowPullRequestsTable';
import { FlowTiles } from './FlowTiles';
import { plural } from './format';
import { PipelineFriction } from './PipelineFriction';
import { useFlow } from './useFlowData';
import { WaitingPullRequests } from './WaitingPullRequests';

/**
 * The "Flow" tab of an entity: where a pull request's time goes (coding, pickup, review, deploy), the pull requests
 * merged without review and their size, week by week, with the pull requests behind each figure; the pull requests
 * waiting for a review now; and the CI/CD friction of its pipelines.
 */
export function EntityFlowContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const settings = useDoraSettings();
  const { from, to, days } = settings;
  const flow = useFlow(entityRef, settings);
  const [filter, setFilter] = useState<FlowFilter>('all');
  const f = flow.value;
  const empty = f && f.pullRequests === 0;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
          <WindowSelect settings={settings} />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Pull request cycle time"
          subheader={
            f
              ? `Last ${days} days · ${plural(
                  f.pullRequests,
                  'pull request',
                )} merged · click a figure to list the pull requests behind it`
              : `Last ${days} days`
          }
        >
          {flow.loading && <Progress />}
          {flow.error && (
            <ErrorPanel
              title="Could not load the pull request figures"
              error={flow.error}
            />
          )}
          {f && empty && (
            <EmptyState
              missing="data"
              title="No pull requests in this window"
              description={noPullRequestsText(days)}
            />
          )}
          {f && !empty && (
            <FlowTiles flow={f} selected={filter} onSelect={setFilter} />
          )}
        </InfoCard>
      </Grid>
      {f && !empty && (
        <>
          <Grid item xs={12}>
            <InfoCard
              title="Cycle time per week"
              subheader="Each part's median over the pull requests merged that week, stacked: where the time went"
            >
              <FlowChart weeks={f.weeks} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            {filter !== 'all' && (
              <Chip
                label="Show every pull request of the window"
                onDelete={() => setFilter('all')}
                onClick={() => setFilter('all')}
                style={{ marginBottom: 8 }}
              />
            )}
            <FlowPullRequestsTable
              entityRef={entityRef}
              from={from}
              to={to}
              filter={filter}
            />
          </Grid>
        </>
      )}
      <Grid item xs={12}>
        <WaitingPullRequests entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="CI/CD friction"
          subheader={`Pipeline runs queued in the last ${days} days`}
        >
          <PipelineFriction
            entityRef={entityRef}
            from={from}
            to={to}
            days={days}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
