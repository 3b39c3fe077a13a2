import { ErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CampaignEntity,
  CampaignEntityState,
} from '@vitals/plugin-goals-common';
import { useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';

export const CAMPAIGN_ENTITIES_PAGE_SIZE = 20;

export interface CampaignEntitiesTableProps {
  campaignId: string;
  state: CampaignEntityState;
  title: string;
  columns: TableColumn<CampaignEntity>[];
  /** Offer a search box (entity or owner, ignoring case). */
  search?: boolean;
  /** Changing it (a new snapshot) starts again from the first page. */
  reloadKey?: string;
}

/**
 * The entities of a campaign in one state, a page at a time from the server: a campaign may ask 10,000 entities, and
 * the page asks only for the rows it shows.
 */
export function CampaignEntitiesTable(props: CampaignEntitiesTableProps) {
  const api = useApi(goalsApiRef);
  const [error, setError] = useState<Error>();
  return (
    <>
      {error && (
        <ErrorPanel title={`Could not load ${props.title}`} error={error} />
      )}
      <Table<CampaignEntity>
        key={`${props.campaignId} ${props.state} ${props.reloadKey ?? ''}`}
        title={props.title}
        columns={props.columns}
        options={{
          pageSize: CAMPAIGN_ENTITIES_PAGE_SIZE,
          pageSizeOptions: [CAMPAIGN_ENTITIES_PAGE_SIZE, 50, 100],
          search: props.search ?? false,
          debounceInterval: 300,
          sorting: false,
        }}
        data={async query => {
          try {
            const page = await api.listCampaignEntities(props.campaignId, {
              state: [props.state],
              search: query.search || undefined,
              limit: query.pageSize,
              offset: query.page * query.pageSize,
            });
            setError(undefined);
            return {
              data: page.entities,
              page: query.page,
              totalCount: page.totalCount,
            };
          } catch (e) {
            setError(e as Error);
            return { data: [], page: 0, totalCount: 0 };
          }
        }}
        localization={{
          body: { emptyDataSourceMessage: 'No entity matches.' },
        }}
      />
    </>
  );
}
