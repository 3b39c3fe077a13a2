import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import type {
  SummaryQuery,
  TrendPoint,
} from '@vitals/plugin-scorecards-common';
import { downloadText, FilterSelect, formatDateTime } from '@vitals/react';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardsApiRef } from '../api/scorecardsApiRef';
import { formatScore, refLabel } from './format';
import { Heatmap } from './Heatmap';
import { LevelDistribution } from './LevelDistribution';
import { NextActionsSection } from './NextActionsSection';
import { PromotionsCard } from './PromotionsCard';
import { ScoreTrendChart } from './ScoreTrendChart';
import { entityRefKey } from './entityRefKey';

/** Teams and systems from the catalog, for the filters. */
function useFilterOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['Group', 'System'] },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    const option = (e: (typeof items)[number]) => ({
      value: entityRefKey(e),
      label: e.metadata.title ?? e.metadata.name,
    });
    const byLabel = (a: { label: string }, b: { label: string }) =>
      a.label.localeCompare(b.label);
    return {
      teams: items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'group')
        .map(option)
        .sort(byLabel),
      systems: items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
        .map(option)
        .sort(byLabel),
    };
  }, [catalogApi]);
}

function trendRows(points: TrendPoint[]) {
  const days = new Map<string, Record<string, string | number | null>>();
  for (const p of points) {
    const row = days.get(p.day) ?? { day: p.day };
    row[p.scorecardId] = p.averageScore;
    days.set(p.day, row);
  }
  return [...days.values()].sort((a, b) =>
    String(a.day).localeCompare(String(b.day)),
  );
}

/** The org page at `/scorecards`: levels per scorecard, teams × checks, the trend, filters and CSV export. */
export function ScorecardsPage() {
  const api = useApi(scorecardsApiRef);
  const options = useFilterOptions();
  const [owner, setOwner] = useState('');
  const [system, setSystem] = useState('');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const query: SummaryQuery = useMemo(
    () => ({
      owner: owner ? [owner] : undefined,
      system: system ? [system] : undefined,
    }),
    [owner, system],
  );

  const definitions = useAsync(() => api.getDefinitions(), [api]);
  const summary = useAsync(() => api.getOrgSummary(query), [api, query]);
  // The trend is kept per team or for the whole org; it does not narrow by system.
  const trend = useAsync(async () => {
    const history = await api.getHistory(owner ? { owner } : {});
    return history.points as TrendPoint[];
  }, [api, owner]);

  const byId = new Map((definitions.value ?? []).map(d => [d.id, d]));

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      downloadText(await api.exportCsv(query), 'scorecards.csv', 'text/csv');
    } catch (e) {
      setExportError(describeApiError(e));
    } finally {
      setExporting(false);
    }
  };

  const loading = definitions.loading || summary.loading;
  const error = definitions.error ?? summary.error;
  const scorecards = summary.value?.scorecards ?? [];

  return (
    <Page themeId="tool">
      <Header
        title="Scorecards"
        subtitle="Where every team stands on the DX scorecards"
      />
      <Content>
        {options.error && (
          <ErrorPanel
            title="Could not load the filters"
            error={options.error}
          />
        )}
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
          mb={2}
        >
          <FilterSelect
            label="Team"
            value={owner}
            onChange={setOwner}
            allLabel="All teams"
            options={options.value?.teams ?? []}
          />
          <FilterSelect
            label="System"
            value={system}
            onChange={setSystem}
            allLabel="All systems"
            options={options.value?.systems ?? []}
          />
          <Box flexGrow={1} />
          {summary.value?.updatedAt && (
            <Typography variant="body2" color="textSecondary">
              Updated {formatDateTime(summary.value.updatedAt)}
            </Typography>
          )}
          <Button variant="outlined" onClick={exportCsv} disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </Button>
        </Box>
        {exportError && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            Export failed: {exportError}
          </Alert>
        )}
        {options.value && (
          <Box mb={3}>
            <NextActionsSection teams={options.value.teams} />
          </Box>
        )}
        {loading && <Progress />}
        {error && (
          <ErrorPanel
            title="Could not load the scorecards summary"
            error={error}
          />
        )}
        {!loading && !error && scorecards.every(s => s.entities === 0) && (
          <InfoCard title="No results yet">
            <Typography>
              {owner || system
                ? 'No evaluated entity matches these filters. Choose another team or system.'
                : 'No entity has been evaluated yet. The scheduled evaluation runs shortly after the backend starts; press Refresh on an entity’s Scorecards card to evaluate it now.'}
            </Typography>
          </InfoCard>
        )}
        {!loading && !error && (
          <Grid container spacing={3}>
            {scorecards
              .filter(s => s.entities > 0)
              .map(s => {
                const definition = byId.get(s.scorecardId);
                const title = definition?.title ?? s.scorecardId;
                return (
                  <Grid item xs={12} key={s.scorecardId}>
                    <InfoCard
                      title={title}
                      subheader={`${s.entities} ${
                        s.entities === 1 ? 'entity' : 'entities'
                      } · average score ${formatScore(s.averageScore)}`}
                    >
                      <Typography variant="subtitle2" component="h3">
                        Levels
                      </Typography>
                      <LevelDistribution definition={definition} summary={s} />
                      <Box mt={3}>
                        <Typography variant="subtitle2" component="h3">
                          Teams × checks
                        </Typography>
                        <Heatmap
                          definition={definition}
                          cells={(summary.value?.heatmap ?? []).filter(
                            c => c.scorecardId === s.scorecardId,
                          )}
                        />
                      </Box>
                    </InfoCard>
                  </Grid>
                );
              })}
            <Grid item xs={12}>
              <InfoCard
                title={`Trend${owner ? ` for ${refLabel(owner)}` : ''}`}
                subheader="Average score per scorecard, daily"
              >
                {trend.loading && <Progress />}
                {trend.error && (
                  <ErrorPanel
                    title="Could not load the trend"
                    error={trend.error}
                  />
                )}
                {trend.value && trend.value.length === 0 && (
                  <Typography>
                    No trend yet: a point is added after each day's scheduled
                    evaluation.
                  </Typography>
                )}
                {trend.value && trend.value.length > 0 && (
                  <ScoreTrendChart
                    label="Average score per scorecard over time"
                    rows={trendRows(trend.value)}
                    series={[
                      ...new Set(trend.value.map(p => p.scorecardId)),
                    ].map(id => ({
                      key: id,
                      title: byId.get(id)?.title ?? id,
                    }))}
                  />
                )}
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <PromotionsCard definitions={definitions.value ?? []} />
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
