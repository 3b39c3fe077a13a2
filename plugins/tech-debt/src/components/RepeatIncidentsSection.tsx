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
import {
  entityRefLabel,
  formatMinutes,
  nameColumn,
  nowrapColumn,
} from '@vitals/react';
import useAsync from 'react-use/esm/useAsync';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { statusLabel } from './format';
import { IncidentList } from './incidents';

// Names keep their words whole and numbers stay on one line; a narrow window scrolls the table sideways instead.
const NAME = nameColumn(200).cellStyle;
const ENTITY = nameColumn(140).cellStyle;
const NOWRAP = nowrapColumn().cellStyle;
const INCIDENTS = nameColumn(280).cellStyle;

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
      <Box style={{ overflowX: 'auto' }}>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell style={NOWRAP}>Debt item</TableCell>
              <TableCell style={NOWRAP}>Entity</TableCell>
              <TableCell style={NOWRAP}>Status</TableCell>
              <TableCell style={NOWRAP} align="right">
                Incidents
              </TableCell>
              <TableCell style={NOWRAP} align="right">
                Restore time
              </TableCell>
              <TableCell style={{ ...INCIDENTS, ...NOWRAP }}>
                Its incidents
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {team.items.map(item => (
              <TableRow key={item.id}>
                <TableCell style={NAME}>{item.title}</TableCell>
                <TableCell style={ENTITY}>
                  <EntityRefLink entityRef={item.entityRef} />
                </TableCell>
                <TableCell style={NOWRAP}>{statusLabel(item.status)}</TableCell>
                <TableCell align="right" style={NOWRAP}>
                  {item.incidents}
                </TableCell>
                <TableCell align="right" style={NOWRAP}>
                  {formatMinutes(item.restoreMinutes)}
                </TableCell>
                <TableCell style={INCIDENTS}>
                  <IncidentList incidents={item.links} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
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
