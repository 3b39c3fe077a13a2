import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import {
  DORA_FLOW_PARTS,
  DoraFlow,
  DoraPipelinesResponse,
  DoraWaitingPullRequests,
} from '@vitals/plugin-dora-common';
import { useDoraSettings, WindowSelect } from './DoraControls';
import {
  FLOW_PART_TITLES,
  noPullRequestsText,
  partBasis,
  pullRequestLabel,
} from './flowFigures';
import {
  formatHours,
  formatMinutes,
  formatRate,
  formatSeconds,
  plural,
} from './format';
import { linked } from './RemoteTable';
import { useFlow, usePipelines, useWaitingPullRequests } from './useFlowData';
import { OverdueChip } from './WaitingPullRequests';

/** How many of the oldest waiting pull requests a team's card lists. */
const TEAM_WAITING_SHOWN = 5;

function Line(props: { label: string; value: string; detail?: string }) {
  return (
    <Box
      component="li"
      display="flex"
      alignItems="baseline"
      flexWrap="wrap"
      style={{ gap: 8 }}
      py={0.25}
      aria-label={props.label}
    >
      <Typography variant="body2" style={{ minWidth: 72 }}>
        {props.label}
      </Typography>
      <Typography variant="body1" component="span">
        <strong>{props.value}</strong>
      </Typography>
      {props.detail && (
        <Typography variant="caption" color="textSecondary">
          {props.detail}
        </Typography>
      )}
    </Box>
  );
}

function PartsList({ flow }: { flow: DoraFlow }) {
  return (
    <Box
      component="ul"
      aria-label="Cycle time, median per part"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
    >
      {DORA_FLOW_PARTS.map(part => (
        <Line
          key={part}
          label={FLOW_PART_TITLES[part]}
          value={formatMinutes(flow.parts[part].medianMinutes)}
          detail={partBasis(flow.parts[part])}
        />
      ))}
    </Box>
  );
}

function mergedLine(flow: DoraFlow): string {
  return `${plural(flow.pullRequests, 'pull request')} merged · ${
    flow.unreviewed
  } without review · ${formatRate(flow.size.largeShare)} large (over ${
    flow.size.largeThresholdLines
  } lines)`;
}

function WaitingLine(props: {
  waiting: DoraWaitingPullRequests;
  listOldest: boolean;
}) {
  const { waiting, listOldest } = props;
  return (
    <Box mt={2}>
      <Typography variant="body2" aria-label="Waiting for review">
        <strong>{plural(waiting.totalCount, 'pull request')}</strong> waiting
        for a first review
        {waiting.totalCount > 0 && ` (${waiting.overdueCount} overdue)`}
      </Typography>
      {listOldest && waiting.items.length > 0 && (
        <Box
          component="ul"
          aria-label="Oldest waiting pull requests"
          mt={0.5}
          mb={0}
          pl={2}
        >
          {waiting.items.slice(0, TEAM_WAITING_SHOWN).map(pr => (
            <li key={pr.id}>
              <Typography variant="body2" component="span">
                {linked(pullRequestLabel(pr), pr.url)} ·{' '}
                <EntityRefLink
                  entityRef={pr.entityRef}
                  defaultKind="component"
                />{' '}
                · waited {formatHours(pr.waitedHours)}
              </Typography>
              {pr.overdue && <OverdueChip />}
            </li>
          ))}
        </Box>
      )}
    </Box>
  );
}

function PipelinesLine({ pipelines }: { pipelines: DoraPipelinesResponse }) {
  const f = pipelines.figures;
  if (f.runs === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No pipeline runs in this window: CI can post them as pipelineRun events,
        or GitHub's workflow_run webhook sends them.
      </Typography>
    );
  }
  return (
    <Typography variant="body2" aria-label="CI/CD friction">
      Flaky rate <strong>{formatRate(f.flakiness.rate)}</strong> · success on
      the default branch{' '}
      <strong>{formatRate(f.defaultBranchSuccess.rate)}</strong> · median run{' '}
      {formatSeconds(f.duration.medianSeconds)}
    </Typography>
  );
}

/**
 * The overview of flow for an entity or a team: each cycle-time part's median on a line, how many pull requests wait
 * for a review (and how many of them are overdue), and the CI/CD flaky and success rates.
 */
export function FlowSummaryCard(props: {
  entityRef: string;
  title: string;
  scope: 'entity' | 'group';
  /** Where the whole story is: the entity's Flow tab. */
  deepLink?: { title: string; link: string };
}) {
  const { entityRef, scope } = props;
  const settings = useDoraSettings();
  const flow = useFlow(entityRef, settings);
  const waiting = useWaitingPullRequests(
    entityRef,
    scope === 'group' ? TEAM_WAITING_SHOWN : 1,
  );
  const pipelines = usePipelines(entityRef, settings);
  const f = flow.value;

  const subheader =
    scope === 'group' && f
      ? `Pooled over ${plural(
          f.entityRefs.length,
          'entity',
          'entities',
        )} the team owns`
      : undefined;

  return (
    <InfoCard
      title={props.title}
      subheader={subheader}
      deepLink={props.deepLink}
    >
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mt={-2} mb={1}>
        <WindowSelect settings={settings} dense />
      </Box>
      {flow.loading && <Progress />}
      {flow.error && (
        <ErrorPanel
          title="Could not load the pull request figures"
          error={flow.error}
        />
      )}
      {f && f.pullRequests === 0 && (
        <Typography paragraph>
          {scope === 'group' && f.entityRefs.length === 0
            ? 'This team owns no catalog entities yet, so there is nothing to measure.'
            : noPullRequestsText(settings.days)}
        </Typography>
      )}
      {f && f.pullRequests > 0 && (
        <>
          <PartsList flow={f} />
          <Typography
            variant="caption"
            color="textSecondary"
            component="p"
            style={{ marginTop: 4 }}
          >
            {mergedLine(f)}
          </Typography>
        </>
      )}
      {waiting.error && (
        <Typography variant="caption" color="error" component="p">
          Pull requests waiting for review are unavailable:{' '}
          {waiting.error.message}
        </Typography>
      )}
      {waiting.value && (
        <WaitingLine waiting={waiting.value} listOldest={scope === 'group'} />
      )}
      <Box mt={1}>
        {pipelines.error && (
          <Typography variant="caption" color="error" component="p">
            Pipeline figures are unavailable: {pipelines.error.message}
          </Typography>
        )}
        {pipelines.value && <PipelinesLine pipelines={pipelines.value} />}
      </Box>
    </InfoCard>
  );
}
