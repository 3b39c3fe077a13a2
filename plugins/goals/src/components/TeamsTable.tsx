import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
} from '@material-ui/core';
import type { CampaignTeam } from '@vitals/plugin-goals-common';
import { formatDays } from '@vitals/react';
import { ownerLabel } from './format';

function Capacity({ team }: { team: CampaignTeam }) {
  const c = team.capacity;
  if (!c.available) {
    return (
      <Tooltip title={c.reason ?? ''}>
        <span>
          Unavailable: {c.reason ?? 'the tech-debt area did not answer'}
        </span>
      </Tooltip>
    );
  }
  if (c.reservedDays === null)
    return <span>No debt budget for {c.quarter}</span>;
  if (c.feasible === null) return <span>No effort estimate</span>;
  return c.feasible ? (
    <Chip
      size="small"
      label="Fits"
      style={{ backgroundColor: '#2e7d32', color: '#fff' }}
    />
  ) : (
    <Chip
      size="small"
      label="Infeasible"
      style={{ backgroundColor: '#c62828', color: '#fff' }}
    />
  );
}

/**
 * Each team's part of a campaign and the capacity check: the remaining effort against the days the team reserved for
 * debt in the deadline's quarter, and whether it fits in what is left of them.
 */
export function TeamsTable(props: { teams: CampaignTeam[]; label: string }) {
  const teams = [...props.teams].sort(
    (a, b) => b.entities - b.done - (a.entities - a.done),
  );
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>Team</TableCell>
          <TableCell align="right">Entities</TableCell>
          <TableCell align="right">Done</TableCell>
          <TableCell align="right">Waived</TableCell>
          <TableCell align="right">Remaining effort</TableCell>
          <TableCell align="right">Debt budget left</TableCell>
          <TableCell align="right">Share of budget</TableCell>
          <TableCell>Capacity</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {teams.map(t => (
          <TableRow key={t.ownerRef ?? 'unowned'}>
            <TableCell component="th" scope="row">
              {t.ownerRef ? ownerLabel(t.ownerRef) : 'No owner'}
            </TableCell>
            <TableCell align="right">{t.entities}</TableCell>
            <TableCell align="right">{t.done}</TableCell>
            <TableCell align="right">{t.waived}</TableCell>
            <TableCell align="right">
              {formatDays(t.remainingEffortDays)}
            </TableCell>
            <TableCell align="right">
              {t.capacity.availableDays === null
                ? '—'
                : `${formatDays(t.capacity.availableDays)} of ${formatDays(
                    t.capacity.reservedDays,
                  )}`}
            </TableCell>
            <TableCell align="right">
              {t.capacity.sharePercent === null
                ? '—'
                : `${Math.round(t.capacity.sharePercent * 10) / 10}%`}
            </TableCell>
            <TableCell>
              <Capacity team={t} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
