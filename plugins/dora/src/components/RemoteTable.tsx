import {
  ErrorPanel,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { DoraPagedList } from '@vitals/plugin-dora-common';
import { ReactNode, useState } from 'react';

const PAGE_SIZES = [10, 25, 50, 100];

export interface RemoteTableProps<T extends object> {
  title: string;
  columns: TableColumn<T>[];
  /** Changing it starts again from the first page. */
  queryKey: string;
  load: (page: { limit: number; offset: number }) => Promise<DoraPagedList<T>>;
  emptyText: string;
  errorTitle: string;
  onRowClick?: (row: T) => void;
}

/** A server-paged table whose failures show as an error panel rather than an endless spinner. */
export function RemoteTable<T extends object>(props: RemoteTableProps<T>) {
  const [error, setError] = useState<Error>();
  return (
    <>
      {error && <ErrorPanel title={props.errorTitle} error={error} />}
      <Table<T>
        key={props.queryKey}
        title={props.title}
        columns={props.columns}
        options={{
          pageSize: 10,
          pageSizeOptions: PAGE_SIZES,
          search: false,
          sorting: false,
          padding: 'dense',
        }}
        onRowClick={
          props.onRowClick
            ? (_, row) => row && props.onRowClick!(row)
            : undefined
        }
        data={async query => {
          try {
            const page = await props.load({
              limit: query.pageSize,
              offset: query.page * query.pageSize,
            });
            setError(undefined);
            return {
              data: page.items,
              page: query.page,
              totalCount: page.totalCount,
            };
          } catch (e) {
            setError(e as Error);
            return { data: [], page: 0, totalCount: 0 };
          }
        }}
        // Backstage's Table shows `emptyContent` only for local data; remote data says so through material-table.
        localization={{ body: { emptyDataSourceMessage: props.emptyText } }}
      />
    </>
  );
}

/** Text that links to `url` when there is one (a pull request, a run, a deployment in its own tool). */
export function linked(content: ReactNode, url: string | null): ReactNode {
  return url ? <Link to={url}>{content}</Link> : content;
}
