import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { RepeatIncidentTeam } from '@vitals/plugin-tech-debt-common';
import { entityRefLabel, formatMinutes } from '@vitals/react';
import useAsync from 'react-use/esm/useAsync';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { statusLabel } from './format';
import { IncidentList } from './incidents';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function TeamRepeats({ team }: { team: RepeatIncidentTeam }) {
  const title = team.ownerRef ? entityRefLabel(team.ownerRef) : 'No owner';
  return (
    <Box mb={3} component="section" aria-label={`Repeat incidents of ${title}`}>
      <Typography variant="subtitle1">
        {team.ownerRef ? <EntityRefLink entityRef={team.ownerRef} /> : title}
        {' — '}
        {plural(team.incidents, 'incident')},{' '}
        {formatMinutes(team.restoreMinutes)} to restore
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Debt item</TableCell>
            <TableCell>Entity</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">Incidents</TableCell>
            <TableCell align="right">Restore time</TableCell>
            <TableCell>Its incidents</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {team.items.map(item => (
            <TableRow key={item.id}>
              <TableCell>{item.title}</TableCell>
              <TableCell>
                <EntityRefLink entityRef={item.entityRef} />
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {statusLabel(item.status)}
              </TableCell>
              <TableCell align="right">{item.incidents}</TableCell>
              <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                {formatMinutes(item.restoreMinutes)}
              </TableCell>
              <TableCell>
                <IncidentList incidents={item.links} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * "Repeat incidents" of the org register: open debt items with two or more linked incidents in the last 90 days, per
 * owning team, the most costly first.
 */
export function RepeatIncidentsSection(props: { owner?: string }) {
  const api = useApi(techDebtApiRef);
  const { owner } = props;
  const report = useAsync(
    () =>
      api.getRepeatIncidentsReport({
        owner: owner ? [owner] : undefined,
        days: 90,
        minIncidents: 2,
      }),
    [api, owner],
  );

  if (report.loading) {
    return (
      <InfoCard title="Repeat incidents">
        <Progress />
      </InfoCard>
    );
  }
  if (report.error) {
    return (
      <ErrorPanel
        title="Could not load the repeat incidents"
        error={report.error}
      />
    );
  }
  const teams = report.value?.teams ?? [];
  return (
    <InfoCard
      title="Repeat incidents"
      subheader="Open debt items with two or more linked incidents in the last 90 days, per team: the debt that keeps costing"
    >
      {teams.length === 0 ? (
        <EmptyState
          missing="data"
          title="No debt keeps causing incidents"
          description={`No open debt item${
            owner ? ` of ${entityRefLabel(owner)}` : ''
          } has two or more linked incidents in the last 90 days. Incidents are linked to debt items when a postmortem turns its action items into debt; link them there, and repeats show here.`}
        />
      ) : (
        teams.map(team => (
          <TeamRepeats key={team.ownerRef ?? '(none)'} team={team} />
        ))
      )}
    </InfoCard>
  );
}
