import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Chip } from '@material-ui/core';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import { ReactNode } from 'react';
import { formatDays, nameColumn, nowrapColumn } from '@vitals/react';
import { CATEGORY_LABELS, statusLabel } from './format';
import { IncidentBadge, measuredInterestLabel } from './incidents';

export function debtColumns(options: {
  showEntity: boolean;
}): TableColumn<DebtItem>[] {
  const columns: TableColumn<DebtItem>[] = [
    {
      title: 'Priority',
      field: 'priority',
      width: '90px',
      type: 'numeric',
      ...nowrapColumn(),
    },
    {
      title: 'Title',
      field: 'title',
      highlight: true,
      ...nameColumn(240),
    },
  ];
  if (options.showEntity) {
    columns.push(
      {
        title: 'Entity',
        field: 'entityRef',
        ...nameColumn(140),
        render: i => <EntityRefLink entityRef={i.entityRef} />,
      },
      {
        title: 'Owner',
        field: 'ownerRef',
        ...nameColumn(110),
        render: i =>
          i.ownerRef ? <EntityRefLink entityRef={i.ownerRef} /> : '—',
      },
    );
  }
  columns.push(
    {
      title: 'Category',
      field: 'category',
      ...nameColumn(120),
      render: i => CATEGORY_LABELS[i.category],
    },
    {
      title: 'Status',
      field: 'status',
      ...nowrapColumn(),
      render: i => <Chip size="small" label={statusLabel(i.status)} />,
    },
    {
      title: 'Impact',
      field: 'impact',
      type: 'numeric',
      width: '80px',
      ...nowrapColumn(),
    },
    {
      title: 'Effort',
      field: 'effortDays',
      ...nowrapColumn(),
      render: i => formatDays(i.effortDays),
    },
    {
      title: 'Interest',
      field: 'interestHoursPerMonth',
      ...nowrapColumn(),
      render: i =>
        i.interestHoursPerMonth === null
          ? '—'
          : `${i.interestHoursPerMonth} h/mo`,
    },
    {
      // What the item's linked incidents of the last 90 days cost, beside the interest the team estimated.
      title: 'Measured (90 d)',
      field: 'measuredInterest',
      ...nowrapColumn(),
      render: i => measuredInterestLabel(i.measuredInterest),
    },
    {
      title: 'Incidents',
      field: 'incidentCount',
      ...nowrapColumn(),
      render: i => <IncidentBadge item={i} />,
    },
  );
  return columns;
}

export interface DebtItemsTableProps {
  title: string;
  items: DebtItem[];
  onSelect: (item: DebtItem) => void;
  actions?: ReactNode;
  emptyContent: ReactNode;
}

/** One entity's items, already sorted by priority by the server. */
export function DebtItemsTable({
  title,
  items,
  onSelect,
  emptyContent,
}: DebtItemsTableProps) {
  return (
    <Table<DebtItem>
      title={title}
      data={items}
      columns={debtColumns({ showEntity: false })}
      options={{
        paging: items.length > 20,
        pageSize: 20,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      onRowClick={(_, item) => item && onSelect(item)}
      emptyContent={emptyContent}
    />
  );
}
