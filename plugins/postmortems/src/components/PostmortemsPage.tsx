import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  CoverageResponse,
  MissingPostmortem,
  OverdueActionItem,
  RepeatIncidentItem,
  TeamCoverage,
} from '@vitals/plugin-postmortems-common';
import {
  entityRefLabel,
  FilterSelect,
  formatMinutes,
  formatRate,
  formatUtcDate,
  nameColumn,
  nowrapColumn,
} from '@vitals/react';
import { useEffect, useState } from 'react';
import { Route, Routes, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { daysText, debtStatusLabel, PostmortemStatusChip } from './format';
import { PostmortemRedirect } from './PostmortemRedirect';
import { EntityPaths, useEntityPaths } from './useEntityPaths';

const WINDOWS = [30, 90, 180, 365];
const DAY_MS = 24 * 60 * 60 * 1000;

/** The first day of a window of `days` days ending today (UTC). */
function windowStart(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
}

function Tile(props: { label: string; value: string; detail: string }) {
  return (
    <Grid item xs={12} sm={6} md={3}>
      <Box
        component="section"
        aria-label={props.label}
        p={2}
        border={1}
        borderColor="divider"
        borderRadius={4}
        height="100%"
      >
        <Typography variant="caption" color="textSecondary">
          {props.label}
        </Typography>
        <Typography variant="h4">{props.value}</Typography>
        <Typography variant="body2" color="textSecondary">
          {props.detail}
        </Typography>
      </Box>
    </Grid>
  );
}

function coverageColumns(): TableColumn<TeamCoverage>[] {
  return [
    {
      title: 'Team',
      render: t => entityRefLabel(t.teamRef),
      ...nameColumn(140),
    },
    {
      title: 'Qualifying incidents',
      render: t => t.incidents,
      type: 'numeric',
    },
    { title: 'Postmortem due', render: t => t.due, type: 'numeric' },
    { title: 'Published', render: t => t.published, type: 'numeric' },
    {
      title: 'Coverage',
      render: t => <strong>{formatRate(t.coverage)}</strong>,
      type: 'numeric',
    },
    { title: 'Missing', render: t => t.missing, type: 'numeric' },
    {
      title: 'Open action items',
      render: t => t.openActionItems,
      type: 'numeric',
    },
    {
      title: 'Overdue action items',
      render: t => t.overdueActionItems,
      type: 'numeric',
    },
  ];
}

function missingColumns(paths: EntityPaths): TableColumn<MissingPostmortem>[] {
  return [
    {
      title: 'Incident',
      render: m =>
        m.incident.url ? (
          <Link to={m.incident.url}>{m.incident.id}</Link>
        ) : (
          m.incident.id
        ),
    },
    {
      title: 'Service',
      render: m => entityRefLabel(m.incident.entityRef),
      ...nameColumn(),
    },
    {
      title: 'Team',
      render: m =>
        m.incident.ownerRef ? entityRefLabel(m.incident.ownerRef) : '—',
      ...nameColumn(),
    },
    {
      title: 'Severity',
      render: m => m.incident.severity ?? '—',
      ...nowrapColumn(),
    },
    {
      title: 'Overdue by',
      render: m => daysText(m.daysOverdue),
      ...nowrapColumn(),
    },
    {
      title: 'Postmortem',
      render: m => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <PostmortemStatusChip status={m.postmortem?.status ?? null} />
          <Link
            to={paths.postmortems(
              m.incident.entityRef,
              m.postmortem
                ? { postmortem: m.postmortem.id }
                : { incident: m.incident.id },
            )}
          >
            {m.postmortem ? 'Open' : 'Start a postmortem'}
          </Link>
        </Box>
      ),
      ...nowrapColumn(),
    },
  ];
}

function overdueItemColumns(
  paths: EntityPaths,
): TableColumn<OverdueActionItem>[] {
  return [
    {
      title: 'Action item',
      render: a =>
        a.debt ? (
          <Link to={paths.techDebt(a.debt.entityRef)}>{a.debt.title}</Link>
        ) : (
          `Debt item ${a.debtItemId} (no longer in the register)`
        ),
    },
    {
      title: 'Status',
      render: a => (a.debt ? debtStatusLabel(a.debt.status) : '—'),
      ...nowrapColumn(),
    },
    {
      title: 'Assignee',
      render: a =>
        a.debt?.assignee ? entityRefLabel(a.debt.assignee) : 'Unassigned',
    },
    {
      title: 'Due',
      render: a =>
        `${formatUtcDate(a.dueDate)} (${daysText(a.daysOverdue)} ago)`,
      ...nowrapColumn(),
    },
    {
      title: 'Postmortem',
      render: a => (
        <Link
          to={paths.postmortems(a.entityRef, { postmortem: a.postmortemId })}
        >
          {a.postmortemTitle}
        </Link>
      ),
    },
  ];
}

type RepeatRow = RepeatIncidentItem & { ownerRef: string };

function repeatColumns(paths: EntityPaths): TableColumn<RepeatRow>[] {
  return [
    { title: 'Team', render: r => entityRefLabel(r.ownerRef), ...nameColumn() },
    {
      title: 'Debt item',
      render: r => <Link to={paths.techDebt(r.entityRef)}>{r.title}</Link>,
    },
    { title: 'Service', render: r => entityRefLabel(r.entityRef) },
    {
      title: 'Status',
      render: r => debtStatusLabel(r.status),
      ...nowrapColumn(),
    },
    { title: 'Linked incidents', render: r => r.incidents, type: 'numeric' },
    {
      title: 'Restore time',
      render: r => formatMinutes(r.restoreMinutes),
      type: 'numeric',
    },
  ];
}

function Definitions(props: { data: CoverageResponse }) {
  const d = props.data.definitions;
  return (
    <Typography variant="body2" color="textSecondary">
      Qualifying incidents have a severity of {d.minimumSeverity} or higher (
      {d.qualifyingSeverities.join(', ')}); their postmortem is due{' '}
      {daysText(d.postmortemDueDays)} after the incident and counts once it is
      published. Action items without a date of their own are due{' '}
      {daysText(d.actionItemDueDays)} after they were added. Window:{' '}
      {formatUtcDate(props.data.from)} to {formatUtcDate(props.data.to)}.
    </Typography>
  );
}

/** The tech-debt register's repeat-incidents report, or why it is missing. */
function RepeatIncidents(props: {
  data: CoverageResponse;
  rows: RepeatRow[];
  paths: EntityPaths;
}) {
  const { data, rows, paths } = props;
  if (data.repeatIncidents === null) {
    return (
      <InfoCard title="Repeat incidents">
        <Alert severity="warning">
          The tech-debt register&apos;s repeat-incidents report could not be
          read
          {data.repeatIncidentsError ? `: ${data.repeatIncidentsError}` : ''}.
          The other figures on this page are complete.
        </Alert>
      </InfoCard>
    );
  }
  if (rows.length === 0) {
    return (
      <InfoCard title="Repeat incidents">
        <Typography>
          No open debt item has incidents that keep happening. Link action items
          to debt from each postmortem so that repeats show up here.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Table<RepeatRow>
      title="Repeat incidents: debt whose linked incidents keep happening"
      columns={repeatColumns(paths)}
      data={rows}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
    />
  );
}

/**
 * The `/postmortems` org page, and `/postmortems/<id>`, which opens a postmortem on its service's tab (the tech-debt
 * register and notifications link there).
 */
export function PostmortemsPage() {
  return (
    <Routes>
      <Route path="/" element={<PostmortemsOrgPage />} />
      <Route path="/:postmortemId" element={<PostmortemRedirect />} />
    </Routes>
  );
}

/**
 * The org page: postmortem coverage per team over a window, the overdue postmortems and action items, and the debt
 * whose linked incidents keep happening. `?team=<group ref>` (the follow-through notifications link so) picks a team.
 */
function PostmortemsOrgPage() {
  const api = useApi(postmortemsApiRef);
  const paths = useEntityPaths();
  const [params, setParams] = useSearchParams();
  const [days, setDays] = useState(90);
  const team = params.get('team') ?? '';
  const setTeam = (value: string) =>
    setParams(value ? { team: value } : {}, { replace: true });
  const [teams, setTeams] = useState<string[]>([]);
  const coverage = useAsyncRetry(
    () =>
      api.getCoverage({
        from: windowStart(days),
        ...(team ? { team } : {}),
      }),
    [api, days, team],
  );
  const data = coverage.value;
  // The team picker offers every team seen in an unfiltered answer.
  useEffect(() => {
    if (data && !team) {
      setTeams(known => [
        ...new Set([...known, ...data.teams.map(t => t.teamRef)]),
      ]);
    }
  }, [data, team]);

  const repeatRows: RepeatRow[] =
    data?.repeatIncidents?.flatMap(t =>
      t.items.map(item => ({ ...item, ownerRef: t.ownerRef })),
    ) ?? [];

  return (
    <Page themeId="tool">
      <Header
        title="Postmortems"
        subtitle="Do incidents get a published postmortem, and do their action items get done?"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" mb={3} style={{ gap: 16 }}>
          <TextField
            id="postmortems-window"
            select
            label="Window"
            value={days}
            onChange={e => setDays(Number(e.target.value))}
            style={{ minWidth: 160 }}
          >
            {WINDOWS.map(d => (
              <MenuItem key={d} value={d}>
                Last {d} days
              </MenuItem>
            ))}
          </TextField>
          <FilterSelect
            label="Team"
            value={team}
            onChange={setTeam}
            allLabel="All teams"
            options={(team && !teams.includes(team)
              ? [...teams, team]
              : teams
            ).map(t => ({ value: t, label: entityRefLabel(t) }))}
          />
        </Box>
        {coverage.loading && !data && <Progress />}
        {coverage.error && (
          <ErrorPanel
            title="Could not load the postmortem figures"
            error={coverage.error}
          />
        )}
        {data && (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <Definitions data={data} />
            </Grid>
            <Tile
              label="Coverage"
              value={formatRate(data.total.coverage)}
              detail={
                data.total.due
                  ? `${data.total.published} of ${data.total.due} due postmortems published`
                  : 'No postmortem was due in this window'
              }
            />
            <Tile
              label="Missing postmortems"
              value={String(data.total.missing)}
              detail={`of ${data.total.incidents} qualifying incidents`}
            />
            <Tile
              label="Open action items"
              value={String(data.total.openActionItems)}
              detail="debt items from postmortems, still open"
            />
            <Tile
              label="Overdue action items"
              value={String(data.total.overdueActionItems)}
              detail="open past their due date"
            />
            <Grid item xs={12}>
              {data.teams.length === 0 ? (
                <InfoCard title="Coverage by team">
                  <Typography>
                    No qualifying incidents in this window
                    {team ? ` for ${entityRefLabel(team)}` : ''}. Incidents of
                    severity {data.definitions.minimumSeverity} or higher reach
                    this page from DORA; try a longer window.
                  </Typography>
                </InfoCard>
              ) : (
                <Table<TeamCoverage>
                  title="Coverage by team (lowest first)"
                  columns={coverageColumns()}
                  data={data.teams}
                  options={{
                    paging: data.teams.length > 20,
                    pageSize: 20,
                    search: false,
                    padding: 'dense',
                  }}
                />
              )}
            </Grid>
            <Grid item xs={12}>
              {data.overdue.postmortemCount === 0 ? (
                <InfoCard title="Overdue postmortems">
                  <Typography>
                    No incident is waiting for its postmortem past the due date.
                  </Typography>
                </InfoCard>
              ) : (
                <Table<MissingPostmortem>
                  title={`Overdue postmortems (${data.overdue.postmortemCount}${
                    data.overdue.postmortemCount >
                    data.overdue.postmortems.length
                      ? `, the ${data.overdue.postmortems.length} most overdue shown`
                      : ''
                  })`}
                  columns={missingColumns(paths)}
                  data={data.overdue.postmortems}
                  options={{
                    paging: data.overdue.postmortems.length > 20,
                    pageSize: 20,
                    search: false,
                    padding: 'dense',
                  }}
                />
              )}
            </Grid>
            <Grid item xs={12}>
              {data.overdue.actionItemCount === 0 ? (
                <InfoCard title="Overdue action items">
                  <Typography>
                    No action item is open past its due date.
                  </Typography>
                </InfoCard>
              ) : (
                <Table<OverdueActionItem>
                  title={`Overdue action items (${
                    data.overdue.actionItemCount
                  }${
                    data.overdue.actionItemCount >
                    data.overdue.actionItems.length
                      ? `, the ${data.overdue.actionItems.length} most overdue shown`
                      : ''
                  })`}
                  columns={overdueItemColumns(paths)}
                  data={data.overdue.actionItems}
                  options={{
                    paging: data.overdue.actionItems.length > 20,
                    pageSize: 20,
                    search: false,
                    padding: 'dense',
                  }}
                />
              )}
            </Grid>
            <Grid item xs={12}>
              <RepeatIncidents data={data} rows={repeatRows} paths={paths} />
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
