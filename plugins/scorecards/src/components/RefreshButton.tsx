import { Button, Tooltip } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  scorecardsEntityRefreshPermission,
  type ScorecardsApi,
} from '@vitals/plugin-scorecards-common';
import { describeApiError } from '@vitals/common';
import { useState } from 'react';

/**
 * Evaluates the entity now, then reloads what the parent shows. Only for those allowed `scorecards.entity.refresh` on
 * the entity (its owners, in the Vitals policy); others see the button disabled and why. The backend refuses a second
 * refresh of the same entity within its interval with 429, whose message is shown.
 */
export function RefreshButton(props: {
  api: ScorecardsApi;
  entityRef: string;
  onRefreshed: () => void;
  onError: (message: string | undefined) => void;
}) {
  const [refreshing, setRefreshing] = useState(false);
  const permission = usePermission({
    permission: scorecardsEntityRefreshPermission,
    resourceRef: props.entityRef,
  });
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
  const button = (
    <Button
      size="small"
      startIcon={<RefreshIcon />}
      onClick={refresh}
      disabled={refreshing || permission.loading || !permission.allowed}
    >
      {refreshing ? 'Refreshing…' : 'Refresh'}
    </Button>
  );
  if (permission.loading || permission.allowed) return button;
  return (
    <Tooltip
      title={`Only the owners of ${props.entityRef} can refresh its scorecards now`}
    >
      {/* A disabled button fires no events: the span carries the tooltip. */}
      <span>{button}</span>
    </Tooltip>
  );
}
