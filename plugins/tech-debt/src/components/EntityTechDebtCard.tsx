import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';
import {
  Box,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { formatDays } from '@vitals/react';
import { statusLabel } from './format';

/** Overview card: open items, their total effort, and the three with the highest priority. */
export function EntityTechDebtCard() {
  const { entity } = useEntity();
  const entityRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(techDebtApiRef);
  const summary = useAsync(() => api.getSummary(entityRef), [api, entityRef]);

  return (
    <InfoCard title="Tech debt">
      {summary.loading && <Progress />}
      {summary.error && (
        <ErrorPanel title="Could not load tech debt" error={summary.error} />
      )}
      {summary.value && summary.value.openCount === 0 && (
        <Typography>
          No open debt items. Record what slows the team down on the Tech debt
          tab.
        </Typography>
      )}
      {summary.value && summary.value.openCount > 0 && (
        <>
          <Box display="flex" style={{ gap: 32 }} mb={1}>
            <Box>
              <Typography variant="h4" component="p" aria-label="Open items">
                {summary.value.openCount}
              </Typography>
              <Typography variant="caption">open items</Typography>
            </Box>
            <Box>
              <Typography
                variant="h4"
                component="p"
                aria-label="Estimated effort"
              >
                {formatDays(summary.value.openEffortDays)}
              </Typography>
              <Typography variant="caption">estimated effort</Typography>
            </Box>
          </Box>
          <Typography variant="subtitle2">Top priorities</Typography>
          <List dense aria-label="Top priorities">
            {summary.value.top.map(item => (
              <ListItem key={item.id} disableGutters>
                <ListItemText
                  primary={item.title}
                  secondary={`Priority ${item.priority} · impact ${
                    item.impact
                  } · ${formatDays(item.effortDays)} · ${statusLabel(
                    item.status,
                  )}`}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
