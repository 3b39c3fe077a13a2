import { Button } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import type { ScorecardsApi } from '@vitals/plugin-scorecards-common';
import { describeApiError } from '@vitals/common';
import { useState } from 'react';

/** Evaluates the entity now, then reloads what the parent shows. */
export function RefreshButton(props: {
  api: ScorecardsApi;
  entityRef: string;
  onRefreshed: () => void;
  onError: (message: string | undefined) => void;
}) {
  const [refreshing, setRefreshing] = useState(false);
  const refresh = async () => {
    setRefreshing(true);
    props.onError(undefined);
    try {
      await props.api.refreshEntity(props.entityRef);
      props.onRefreshed();
    } catch (e) {
      props.onError(`Refresh failed: ${describeApiError(e)}`);
    } finally {
      setRefreshing(false);
    }
  };
  return (
    <Button size="small" startIcon={<RefreshIcon />} onClick={refresh} disabled={refreshing}>
      {refreshing ? 'Refreshing…' : 'Refresh'}
    </Button>
  );
}
