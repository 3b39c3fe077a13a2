import { describeApiError } from '@vitals/common';
import {
  Content,
  ErrorPanel,
  Header,
  Page,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  DebtItem,
  DebtStatus,
  ListItemsQuery,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import {
  downloadText,
  entityRefLabel,
  FilterSelect,
  MultiFilterSelect,
} from '@vitals/react';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { debtColumns } from './DebtItemsTable';
import { CATEGORY_LABELS, statusLabel } from './format';
import { SortChoice, SortSelect } from './incidents';
import { RepeatIncidentsSection } from './RepeatIncidentsSection';

/** The org-wide register at `/tech-debt`: every item across the catalog, filtered and sorted by priority. */
export function TechDebtPage() {
  const api = useApi(techDebtApiRef);
  const facets = useAsync(() => api.getFacets(), [api]);
  const [owner, setOwner] = useState('');
  const [system, setSystem] = useState('');
  const [category, setCategory] = useState('');
  // What a team still has to pay down: closed items (resolved, won't fix) only when the filter asks for them.
  const [statuses, setStatuses] = useState<string[]>([...UNRESOLVED_STATUSES]);
  const [orderBy, setOrderBy] = useState<SortChoice>('priority');
  const [exportError, setExportError] = useState<string>();
  const [exporting, setExporting] = useState(false);

  const filters: ListItemsQuery = useMemo(
    () => ({
      owner: owner ? [owner] : undefined,
      system: system ? [system] : undefined,
      category: category ? [category as DebtItem['category']] : undefined,
      // None chosen, or all of them, is every status: no filter.
      status:
        statuses.length > 0 && statuses.length < DEBT_STATUSES.length
          ? (statuses as DebtStatus[])
          : undefined,
      orderBy,
    }),
    [owner, system, category, statuses, orderBy],
  );

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      downloadText(
        await api.exportItemsCsv(filters),
        'tech-debt.csv',
        'text/csv',
      );
    } catch (e) {
      setExportError(describeApiError(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page themeId="tool">
      <Header
        title="Tech debt"
        subtitle="Every debt item across the catalog, highest priority first (or by what its incidents cost)"
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
            label="Owner"
            value={owner}
            onChange={setOwner}
            allLabel="All teams"
            options={(facets.value?.owners ?? []).map(o => ({
              value: o,
              label: entityRefLabel(o),
            }))}
          />
          <FilterSelect
            label="System"
            value={system}
            onChange={setSystem}
            allLabel="All systems"
            options={(facets.value?.systems ?? []).map(s => ({
              value: s,
              label: entityRefLabel(s),
            }))}
          />
          <FilterSelect
            label="Category"
            value={category}
            onChange={setCategory}
            allLabel="All categories"
            options={DEBT_CATEGORIES.map(c => ({
              value: c,
              label: CATEGORY_LABELS[c],
            }))}
          />
          <MultiFilterSelect
            label="Status"
            value={statuses}
            onChange={setStatuses}
            allLabel="All statuses"
            options={DEBT_STATUSES.map(s => ({
              value: s,
              label: statusLabel(s),
            }))}
          />
          <SortSelect value={orderBy} onChange={setOrderBy} />
          <Box flexGrow={1} />
          <Button variant="outlined" onClick={exportCsv} disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </Button>
        </Box>
        {exportError && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            Export failed: {exportError}
          </Alert>
        )}
        <Table<DebtItem>
          key={JSON.stringify(filters)}
          title="Debt register"
          columns={debtColumns({ showEntity: true })}
          options={{
            pageSize: 25,
            pageSizeOptions: [25, 50, 100],
            search: false,
            sorting: false,
            padding: 'dense',
          }}
          data={async query => {
            const page = await api.listItems({
              ...filters,
              limit: query.pageSize,
              offset: query.page * query.pageSize,
            });
            return {
              data: page.items,
              page: query.page,
              totalCount: page.totalCount,
            };
          }}
          // A table that loads its rows from the server ignores emptyContent; this message is what it shows.
          localization={{
            body: {
              emptyDataSourceMessage:
                'No debt items match. Teams add items on the Tech debt tab of their components.',
            },
          }}
        />
        <Box mt={3}>
          <RepeatIncidentsSection owner={owner || undefined} />
        </Box>
      </Content>
    </Page>
  );
}
