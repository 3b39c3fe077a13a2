import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { normalizeEntityRef, statusOfApiError } from '@vitals/common';
import type { OnboardingMember } from '@vitals/plugin-onboarding-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { CohortTable } from './CohortTrend';
import { entityRefLabel, formatDays, formatUtcDate } from '@vitals/react';
import { percentDone } from './format';
import { ResetProgressButton } from './ResetProgressButton';

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
} as const;

function Figure(props: {
  label: string;
  value: string | number;
  caption: string;
}) {
  return (
    <Box>
      <Typography variant="h4" component="p" aria-label={props.label}>
        {props.value}
      </Typography>
      <Typography variant="caption">{props.caption}</Typography>
    </Box>
  );
}

function MemberRow({
  member,
  onReset,
}: {
  member: OnboardingMember;
  onReset: () => void;
}) {
  const name = member.displayName ?? entityRefLabel(member.userRef);
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        <EntityRefLink
          entityRef={member.userRef}
          defaultKind="user"
          title={name}
        />
        {member.stalled && !member.completedAt && (
          <Chip
            size="small"
            label="Stalled"
            style={{ marginLeft: 8, backgroundColor: '#ed6c02', color: '#fff' }}
          />
        )}
        {member.completedAt && (
          <Chip size="small" label="Done" style={{ marginLeft: 8 }} />
        )}
      </TableCell>
      <TableCell>
        <Box
          display="flex"
          alignItems="center"
          style={{ gap: 8 }}
          minWidth={140}
        >
          <Box flexGrow={1}>
            <LinearProgress
              variant="determinate"
              value={percentDone(member.done, member.total)}
              aria-label={`${name} progress`}
            />
          </Box>
          <Typography variant="body2" component="span">
            {member.done}/{member.total}
          </Typography>
        </Box>
      </TableCell>
      <TableCell>{formatUtcDate(member.startedAt)}</TableCell>
      <TableCell align="right">
        {formatDays(member.daysToFirstChange)}
      </TableCell>
      <TableCell align="right">
        {formatDays(member.daysToFirstDeploy)}
      </TableCell>
      <TableCell align="right" padding="none">
        <ResetProgressButton
          userRef={member.userRef}
          name={name}
          onReset={onReset}
        />
      </TableCell>
    </TableRow>
  );
}

/**
 * A team's onboarding, for Group pages: who is onboarding and how far they are, stalled checklists, the team's median
 * time to first change and first deployment, and the figures per start month.
 */
export function GroupOnboardingCard() {
  const { entity } = useEntity();
  const groupRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(onboardingApiRef);
  const report = useAsyncRetry(
    () => api.getTeamReport({ groupRef }),
    [api, groupRef],
  );
  const unknown = report.error && statusOfApiError(report.error) === 404;
  const r = report.value;
  // People still onboarding first, then the most recent starters.
  const members = [...(r?.members ?? [])].sort(
    (a, b) =>
      Number(!!a.completedAt) - Number(!!b.completedAt) ||
      b.startedAt.localeCompare(a.startedAt),
  );

  return (
    <InfoCard
      title="Onboarding"
      subheader="Who is onboarding, and how long it takes to ship a first change"
    >
      {report.loading && !report.value && <Progress />}
      {unknown && (
        <Typography>
          The onboarding service does not know {groupRef} yet. It reads teams
          from the catalog; check back after the next catalog refresh.
        </Typography>
      )}
      {report.error && !unknown && (
        <ErrorPanel
          title="Could not load the team's onboarding"
          error={report.error}
        />
      )}
      {r && r.members.length === 0 && (
        <Typography>
          Nobody in {r.title ?? groupRef} has an onboarding checklist. People
          get one from a template that targets this team or the services it
          owns; see the Templates tab of the onboarding page.
        </Typography>
      )}
      {r && r.members.length > 0 && (
        <>
          <Box display="flex" flexWrap="wrap" style={{ gap: 32 }} mb={2}>
            <Figure
              label="Onboarding"
              value={r.onboarding}
              caption="onboarding"
            />
            <Figure label="Completed" value={r.completed} caption="completed" />
            <Figure label="Stalled" value={r.stalled} caption="stalled" />
            <Figure
              label="Median time to first change"
              value={formatDays(r.medianDaysToFirstChange)}
              caption="median to first change"
            />
            <Figure
              label="Median time to first deploy"
              value={formatDays(r.medianDaysToFirstDeploy)}
              caption="median to first deploy"
            />
          </Box>
          <Table size="small" aria-label="People onboarding">
            <TableHead>
              <TableRow>
                <TableCell>Person</TableCell>
                <TableCell>Progress</TableCell>
                <TableCell>Started</TableCell>
                <TableCell align="right">To first change</TableCell>
                <TableCell align="right">To first deploy</TableCell>
                <TableCell padding="none">
                  <span style={visuallyHidden}>Actions</span>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {members.map(m => (
                <MemberRow key={m.userRef} member={m} onReset={report.retry} />
              ))}
            </TableBody>
          </Table>
          {r.cohorts.length > 0 && (
            <Box mt={2}>
              <Typography variant="subtitle2">By start month</Typography>
              <CohortTable cohorts={r.cohorts} />
            </Box>
          )}
        </>
      )}
    </InfoCard>
  );
}
