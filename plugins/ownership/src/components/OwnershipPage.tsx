import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import {
  GroupOwnershipFigures,
  OWNERSHIP_PROBLEM_LABELS,
  OwnershipProblemKind,
  OwnershipReportRow,
  ReportProblemsQuery,
} from '@vitals/plugin-ownership-common';
import {
  downloadText,
  EllipsisText,
  FilterOption,
  FilterSelect,
  formatDateTime,
  nameColumn,
  nowrapColumn,
} from '@vitals/react';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { formatPercent, shortRef } from './format';
import { ProblemCountsList } from './ProblemCountsList';

/** Filter options from facet values, labelled without the default namespace noise. */
function refOptions(values: string[]): FilterOption[] {
  return values.map(value => ({
    value,
    label: shortRef(value).replace(/^system:default\//, ''),
  }));
}

/** The org page at `/ownership`: coverage, problem lists with filters and CSV export, and the per-team table. */
export function OwnershipPage() {
  const api = useApi(ownershipApiRef);
  const facets = useAsync(() => api.getFacets(), [api]);
  const [kind, setKind] = useState('');
  const [system, setSystem] = useState('');
  const [team, setTeam] = useState('');
  const [problem, setProblem] = useState<OwnershipProblemKind | ''>('');
  const [exportError, setExportError] = useState<string>();

  const filter = useMemo(
    () => ({
      kind: kind ? [kind] : undefined,
      system: system ? [system] : undefined,
      team: team || undefined,
    }),
    [kind, system, team],
  );
  const query: ReportProblemsQuery = useMemo(
    () => ({ ...filter, problem: problem || undefined }),
    [filter, problem],
  );
  const summary = useAsync(() => api.getReportSummary(filter), [api, filter]);
  const groups = useAsync(() => api.listGroups({ limit: 1000 }), [api]);

  const exportCsv = async () => {
    setExportError(undefined);
    try {
      downloadText(
        await api.exportProblemsCsv(query),
        problem ? `ownership-${problem}.csv` : 'ownership-problems.csv',
        'text/csv',
      );
    } catch (e) {
      setExportError(describeApiError(e));
    }
  };

  const s = summary.value;
  return (
    <Page themeId="tool">
      <Header
        title="Ownership"
        subtitle="Is every entity owned by a real, reachable team that has confirmed it?"
      />
      <Content>
        {facets.error && (
          <ErrorPanel title="Could not load the filters" error={facets.error} />
        )}
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
          mb={2}
        >
          <FilterSelect
            label="Kind"
            value={kind}
            onChange={setKind}
            allLabel="All kinds"
            options={refOptions(facets.value?.kinds ?? [])}
          />
          <FilterSelect
            label="System"
            value={system}
            onChange={setSystem}
            allLabel="All systems"
            options={refOptions(facets.value?.systems ?? [])}
          />
          <FilterSelect
            label="Team"
            value={team}
            onChange={setTeam}
            allLabel="All teams"
            options={refOptions(facets.value?.teams ?? [])}
          />
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InfoCard title="Coverage">
              {summary.loading && <Progress />}
              {summary.error && (
                <ErrorPanel
                  title="Could not load the report"
                  error={summary.error}
                />
              )}
              {s && s.total === 0 && (
                <Typography>
                  {filter.kind || filter.system || filter.team
                    ? 'No entities match these filters.'
                    : 'No ownership snapshot yet. The first one is taken shortly after the backend starts; reload in a minute.'}
                </Typography>
              )}
              {s && s.total > 0 && (
                <>
                  <Box
                    display="flex"
                    alignItems="baseline"
                    style={{ gap: 16 }}
                    mb={2}
                  >
                    <Typography
                      variant="h3"
                      component="p"
                      aria-label="Coverage"
                    >
                      {formatPercent(s.coveragePercent)}
                    </Typography>
                    <Typography>
                      of {s.total} entities have a healthy owner ({s.healthy}).
                      Confirmations expire after {s.confirmationPeriodDays}{' '}
                      days.
                      {s.snapshotAt
                        ? ` Snapshot of ${formatDateTime(s.snapshotAt)}.`
                        : ''}
                    </Typography>
                  </Box>
                  <ProblemCountsList
                    counts={s.problemCounts}
                    selected={problem}
                    onSelect={setProblem}
                  />
                </>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
              <TextField
                select
                label="Problem"
                value={problem}
                onChange={e =>
                  setProblem(e.target.value as OwnershipProblemKind | '')
                }
                style={{ minWidth: 260 }}
                SelectProps={{
                  inputProps: { 'aria-label': 'Filter by problem' },
                }}
              >
                <MenuItem value="">Any problem</MenuItem>
                {(
                  Object.keys(
                    OWNERSHIP_PROBLEM_LABELS,
                  ) as OwnershipProblemKind[]
                ).map(k => (
                  <MenuItem key={k} value={k}>
                    {OWNERSHIP_PROBLEM_LABELS[k]}
                  </MenuItem>
                ))}
              </TextField>
              <Box flexGrow={1} />
              <Button variant="outlined" onClick={exportCsv}>
                Export CSV
              </Button>
            </Box>
            {exportError && (
              <Alert severity="error" style={{ marginBottom: 16 }}>
                Export failed: {exportError}
              </Alert>
            )}
            <Table<OwnershipReportRow>
              key={JSON.stringify(query)}
              title={
                problem
                  ? OWNERSHIP_PROBLEM_LABELS[problem]
                  : 'Entities with ownership problems'
              }
              columns={[
                {
                  title: 'Entity',
                  field: 'entityRef',
                  ...nameColumn(160),
                  render: r => <EntityRefLink entityRef={r.entityRef} />,
                },
                {
                  title: 'Owner',
                  field: 'ownerRef',
                  ...nameColumn(120),
                  render: r =>
                    r.ownerRef ? <EntityRefLink entityRef={r.ownerRef} /> : '—',
                },
                {
                  title: 'Problems',
                  field: 'problems',
                  // One line per problem, cut with an ellipsis (the whole sentence is its tooltip): long sentences
                  // wrapped into rows several lines tall.
                  cellStyle: { minWidth: 200 },
                  render: r =>
                    r.problems.map(p => (
                      <EllipsisText
                        key={p.kind}
                        text={p.message}
                        maxWidth="30vw"
                      />
                    )),
                },
                {
                  title: 'Last confirmed',
                  field: 'lastConfirmedAt',
                  ...nowrapColumn(),
                  render: r =>
                    r.lastConfirmedAt
                      ? formatDateTime(r.lastConfirmedAt)
                      : 'never',
                },
              ]}
              options={{
                pageSize: 20,
                pageSizeOptions: [20, 50, 100],
                search: false,
                sorting: false,
                padding: 'dense',
              }}
              data={async q => {
                const page = await api.listProblems({
                  ...query,
                  limit: q.pageSize,
                  offset: q.page * q.pageSize,
                });
                return {
                  data: page.rows,
                  page: q.page,
                  totalCount: page.totalCount,
                };
              }}
              emptyContent={
                <Box p={3}>
                  <Typography>
                    No entity has this problem. Nothing to fix here.
                  </Typography>
                </Box>
              }
            />
          </Grid>
          <Grid item xs={12}>
            {groups.error && (
              <ErrorPanel
                title="Could not load the teams"
                error={groups.error}
              />
            )}
            <Table<GroupOwnershipFigures>
              title="Teams"
              isLoading={groups.loading}
              data={groups.value?.groups ?? []}
              columns={[
                {
                  title: 'Team',
                  field: 'groupRef',
                  ...nameColumn(140),
                  render: g => (
                    <EntityRefLink entityRef={g.groupRef} defaultKind="group" />
                  ),
                },
                { title: 'Members', field: 'memberCount', type: 'numeric' },
                {
                  title: 'Owned directly',
                  field: 'ownedDirectly',
                  type: 'numeric',
                },
                {
                  title: 'Through child groups',
                  field: 'ownedThroughChildren',
                  type: 'numeric',
                },
                {
                  title: 'Healthy',
                  field: 'healthPercent',
                  ...nowrapColumn(),
                  render: g =>
                    `${formatPercent(g.healthPercent)} (${g.healthy}/${
                      g.ownedTotal
                    })`,
                },
              ]}
              options={{
                paging: (groups.value?.groups.length ?? 0) > 20,
                pageSize: 20,
                search: false,
                padding: 'dense',
              }}
              emptyContent={
                <Box p={3}>
                  <Typography>No teams in the snapshot yet.</Typography>
                </Box>
              }
            />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
