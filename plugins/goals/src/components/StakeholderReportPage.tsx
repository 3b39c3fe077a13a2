import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Link,
  LinkButton,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  ProgressStatus,
  quarterOf,
  ReportTrendSection,
  StakeholderReport,
} from '@vitals/plugin-goals-common';
import { downloadText, formatDateTime, RetryableError } from '@vitals/react';
import { ReactNode, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { formatValue, nearbyQuarters, STATUS_LABELS } from './format';
import { QuarterSelect } from './QuarterSelect';
import { StatusChip } from './StatusChip';
import { useTeams } from './useTeams';

const ORG = 'org';
const QUARTER = /^\d{4}-Q[1-4]$/;

/** The order goals are counted in: the ones to look at first. */
const STATUS_ORDER: ProgressStatus[] = [
  'off_track',
  'at_risk',
  'on_track',
  'not_started',
  'no_data',
];

const FORMATS = {
  markdown: { extension: 'md', type: 'text/markdown', label: 'Markdown' },
  csv: { extension: 'csv', type: 'text/csv', label: 'CSV' },
} as const;

/** The file name the backend gives its exports: `stakeholder-report-payments-2026-Q4.md`. */
function fileName(team: string, quarter: string, extension: string) {
  const name =
    team === ORG ? ORG : team.replace(/^group:/, '').replace(/^default\//, '');
  return `stakeholder-report-${name.replace(
    /[^a-zA-Z0-9._-]+/g,
    '-',
  )}-${quarter}.${extension}`;
}

/** "2 on track, 1 at risk": the goals by status, the worst first. */
export function goalsByStatus(statuses: ProgressStatus[]): string {
  return STATUS_ORDER.map(status => {
    const count = statuses.filter(s => s === status).length;
    return count ? `${count} ${STATUS_LABELS[status].toLowerCase()}` : '';
  })
    .filter(Boolean)
    .join(', ');
}

function Unavailable(props: { what: string; reason: string | null }) {
  return (
    <Alert severity="warning">
      {props.what} unavailable: {props.reason ?? 'the area did not say why'}.
    </Alert>
  );
}

function TrendCard(props: { title: string; section: ReportTrendSection }) {
  const { title, section } = props;
  return (
    <InfoCard title={title}>
      {!section.available && (
        <Unavailable what={title} reason={section.reason} />
      )}
      {section.available && section.trends.length === 0 && (
        <Typography color="textSecondary">
          No figures for the quarter.
        </Typography>
      )}
      {section.available && section.trends.length > 0 && (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>Figure</TableCell>
              <TableCell align="right">This quarter</TableCell>
              <TableCell align="right">Previous quarter</TableCell>
              <TableCell>Trend</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {section.trends.map(t => (
              <TableRow key={t.metric}>
                <TableCell>
                  {t.label}
                  <Typography variant="body2" color="textSecondary">
                    {t.sentence}
                  </Typography>
                </TableCell>
                <TableCell align="right">
                  {formatValue(t.current, t.unit)}
                </TableCell>
                <TableCell align="right">
                  {formatValue(t.previous, t.unit)}
                </TableCell>
                <TableCell>
                  {t.verdict === null ? (
                    'Not comparable'
                  ) : (
                    <Chip
                      size="small"
                      variant="outlined"
                      label={
                        { better: 'Better', worse: 'Worse', same: 'Same' }[
                          t.verdict
                        ]
                      }
                      color={t.verdict === 'worse' ? 'secondary' : 'default'}
                    />
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

/** Nothing set and nothing measured: no goals, no campaigns, no figures, no budget, nothing paid down. */
/** Sentences wrap: the portal's theme keeps a dense list's text on one line, cut with an ellipsis. */
const WRAP = { whiteSpace: 'normal' } as const;

/** The heading of one goal or campaign of the report, with its chips beside it. */
function ItemHeading(props: { title: string; children?: ReactNode }) {
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography variant="subtitle1" component="h3" style={{ flexGrow: 1 }}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function isEmpty(report: StakeholderReport): boolean {
  return (
    report.goals.length === 0 &&
    report.campaigns.length === 0 &&
    [report.delivery, report.flow].every(
      s => s.available && s.trends.every(t => t.current === null),
    ) &&
    report.debt.available &&
    report.debt.reservedDays === null &&
    report.debt.paidDownDays === 0
  );
}

function ReportView({ report }: { report: StakeholderReport }) {
  const { debt } = report;
  if (isEmpty(report)) {
    return (
      <EmptyState
        missing="data"
        title={`Nothing to report for ${report.quarter} yet`}
        description="No goals, no campaigns, no delivery figures and no debt budget for this team and quarter. Set goals on the Goals page, send deployment events, or pick another quarter."
        action={
          <LinkButton variant="outlined" to="..">
            Open Goals
          </LinkButton>
        }
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary" paragraph>
          {report.from.slice(0, 10)} to {report.to.slice(0, 10)}, compared with{' '}
          {report.previousQuarter}. Generated{' '}
          {formatDateTime(report.generatedAt)}.
        </Typography>
        <InfoCard title="In short">
          <List dense aria-label="In short">
            {report.summary.map(line => (
              <ListItem key={line} disableGutters>
                <ListItemText style={WRAP} primary={line} />
              </ListItem>
            ))}
          </List>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Goals"
          subheader={
            report.goals.length
              ? goalsByStatus(report.goals.map(g => g.status))
              : undefined
          }
        >
          {report.goals.length === 0 ? (
            <Typography color="textSecondary">
              No goals set for the quarter. Teams set them on the{' '}
              <Link to="..">Goals page</Link>.
            </Typography>
          ) : (
            report.goals.map(goal => (
              <Box
                key={goal.id}
                component="section"
                aria-label={`Goal: ${goal.objective}`}
                mb={2}
              >
                <ItemHeading title={goal.objective}>
                  <StatusChip status={goal.status} />
                </ItemHeading>
                <Typography variant="body2">{goal.sentence}</Typography>
                <List dense disablePadding>
                  {goal.keyResults.map(kr => (
                    <ListItem key={kr.id} disableGutters>
                      <ListItemText
                        style={WRAP}
                        secondary={kr.sentence}
                        secondaryTypographyProps={{ color: 'textPrimary' }}
                      />
                    </ListItem>
                  ))}
                </List>
              </Box>
            ))
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Campaigns">
          {report.campaigns.length === 0 ? (
            <Typography color="textSecondary">
              No campaign asked anything of{' '}
              {report.team === ORG ? 'the org' : 'the team'} in the quarter.
            </Typography>
          ) : (
            report.campaigns.map(c => (
              <Box
                key={c.id}
                component="section"
                aria-label={`Campaign: ${c.name}`}
                mb={2}
              >
                <ItemHeading title={c.name}>
                  {c.atRisk && (
                    <Chip size="small" color="secondary" label="At risk" />
                  )}
                  {c.status === 'ended' && <Chip size="small" label="Ended" />}
                </ItemHeading>
                <LinearProgress
                  variant="determinate"
                  value={c.entities ? (100 * c.done) / c.entities : 0}
                  aria-label={`${c.name}: ${c.done} of ${c.entities} done`}
                  style={{ margin: '4px 0' }}
                />
                <Typography variant="body2">
                  {c.done} of {c.entities} done, due {c.deadline}. {c.sentence}
                </Typography>
                {c.riskReasons.length > 0 && (
                  <Typography variant="body2" color="textSecondary">
                    At risk because {c.riskReasons.join('; ')}.
                  </Typography>
                )}
              </Box>
            ))
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <TrendCard title="Delivery (DORA)" section={report.delivery} />
      </Grid>
      <Grid item xs={12} md={6}>
        <TrendCard title="Flow" section={report.flow} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Debt paid down">
          {!debt.available && <Unavailable what="Debt" reason={debt.reason} />}
          {debt.available && (
            <>
              <Typography variant="h6" component="p">
                {formatValue(debt.paidDownDays, 'days')} paid down
                {debt.reservedDays === null
                  ? ', no budget reserved'
                  : ` of ${formatValue(debt.reservedDays, 'days')} reserved`}
              </Typography>
              {debt.reservedDays !== null && debt.reservedDays > 0 && (
                <LinearProgress
                  variant="determinate"
                  value={Math.min(
                    100,
                    (100 * debt.paidDownDays) / debt.reservedDays,
                  )}
                  aria-label={`Debt: ${debt.paidDownDays} of ${debt.reservedDays} reserved days paid down`}
                  style={{ margin: '8px 0' }}
                />
              )}
              <Typography variant="body2">{debt.sentence}</Typography>
            </>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * `/goals/report?team=<group ref>|org&quarter=2026-Q4`: the stakeholder report of a team or the org for a quarter, in
 * plain language, with its Markdown and CSV exports.
 */
export function StakeholderReportPage() {
  const api = useApi(goalsApiRef);
  const [params, setParams] = useSearchParams();
  const quarters = useMemo(() => nearbyQuarters(new Date()), []);
  const { teams } = useTeams();
  const team = params.get('team') || ORG;
  const asked = params.get('quarter') ?? '';
  const quarter = QUARTER.test(asked) ? asked : quarterOf(new Date());
  const [download, setDownload] = useState<{
    busy?: string;
    error?: string;
  }>({});

  const report = useAsyncRetry(
    () => api.getStakeholderReport({ team, quarter }),
    [api, team, quarter],
  );

  const choose = (next: { team?: string; quarter?: string }) =>
    setParams({ team, quarter, ...next }, { replace: true });

  const exportAs = async (format: keyof typeof FORMATS) => {
    const { extension, type, label } = FORMATS[format];
    setDownload({ busy: format });
    try {
      const text = await api.exportStakeholderReport({ team, quarter }, format);
      downloadText(text, fileName(team, quarter, extension), type);
      setDownload({});
    } catch (error) {
      setDownload({
        error: `Could not download the ${label}: ${describeApiError(error)}`,
      });
    }
  };

  const teamTitle =
    team === ORG
      ? 'The org'
      : teams.find(t => t.ref === team)?.title ?? team.replace(/^group:/, '');
  const teamOptions = [
    { value: ORG, label: 'The org' },
    ...teams.map(t => ({ value: t.ref, label: t.title })),
  ];
  if (!teamOptions.some(o => o.value === team)) {
    teamOptions.push({ value: team, label: teamTitle });
  }

  return (
    <Page themeId="tool">
      <Header
        title="Stakeholder report"
        subtitle="Goals, campaigns, delivery, flow and debt of a team for a quarter, in plain words"
      />
      <Content>
        <Box mb={1}>
          <Link to="..">← Goals</Link>
        </Box>
        <ContentHeader title={`${teamTitle}: ${quarter}`}>
          {(Object.keys(FORMATS) as Array<keyof typeof FORMATS>).map(f => (
            <Button
              key={f}
              variant="outlined"
              style={{ marginLeft: 8 }}
              disabled={!!download.busy || !report.value}
              onClick={() => exportAs(f)}
            >
              Download {FORMATS[f].label}
            </Button>
          ))}
        </ContentHeader>
        <Box display="flex" flexWrap="wrap" mb={3} style={{ gap: 16 }}>
          <TextField
            select
            label="Team"
            value={team}
            onChange={e => choose({ team: String(e.target.value) })}
            style={{ minWidth: 200 }}
            SelectProps={{ inputProps: { 'aria-label': 'Team' } }}
          >
            {teamOptions.map(o => (
              <MenuItem key={o.value} value={o.value}>
                {o.label}
              </MenuItem>
            ))}
          </TextField>
          <QuarterSelect
            label="Quarter"
            value={quarter}
            quarters={quarters}
            onChange={q => choose({ quarter: q })}
          />
        </Box>
        {download.busy && (
          <LinearProgress aria-label="Preparing the download" />
        )}
        {download.error && (
          <Box mb={2}>
            <Alert severity="error">{download.error}</Alert>
          </Box>
        )}
        {report.loading && <Progress />}
        {!report.loading && report.error && (
          <>
            {statusOfApiError(report.error) === 404 ? (
              <EmptyState
                missing="data"
                title="No such team"
                description="The catalog does not have this group, or you may not see it. Pick another team or the org."
              />
            ) : (
              <RetryableError
                title="Could not load the report"
                error={report.error}
                onRetry={report.retry}
              />
            )}
          </>
        )}
        {!report.loading && report.value && (
          <ReportView report={report.value} />
        )}
      </Content>
    </Page>
  );
}
