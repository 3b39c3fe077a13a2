import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import { normalizeEntityRef, statusOfApiError } from '@vitals/common';
import useAsync from 'react-use/esm/useAsync';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { formatPercent } from './format';
import { ProblemCountsList } from './ProblemCountsList';

/** A team's ownership figures: what it owns directly and through child groups, and how healthy that is. */
export function GroupOwnershipCard() {
  const { entity } = useEntity();
  const groupRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(ownershipApiRef);
  const figures = useAsync(() => api.getGroup(groupRef), [api, groupRef]);
  const notYet = figures.error && statusOfApiError(figures.error) === 404;
  const f = figures.value;

  return (
    <InfoCard title="Ownership health">
      {figures.loading && <Progress />}
      {notYet && (
        <Typography>
          This team is not in the ownership snapshot yet. The snapshot runs
          every few minutes; check back shortly.
        </Typography>
      )}
      {figures.error && !notYet && (
        <ErrorPanel
          title="Could not load ownership figures"
          error={figures.error}
        />
      )}
      {f && f.ownedTotal === 0 && (
        <Typography>
          {f.title ?? groupRef} owns no checked entities. Set spec.owner of the
          team's services to {groupRef}.
        </Typography>
      )}
      {f && f.ownedTotal > 0 && (
        <>
          <Box display="flex" style={{ gap: 32 }} mb={2}>
            <Box>
              <Typography variant="h4" component="p" aria-label="Healthy share">
                {formatPercent(f.healthPercent)}
              </Typography>
              <Typography variant="caption">
                healthy ({f.healthy} of {f.ownedTotal})
              </Typography>
            </Box>
            <Box>
              <Typography
                variant="h4"
                component="p"
                aria-label="Owned directly"
              >
                {f.ownedDirectly}
              </Typography>
              <Typography variant="caption">owned directly</Typography>
            </Box>
            <Box>
              <Typography
                variant="h4"
                component="p"
                aria-label="Owned through child groups"
              >
                {f.ownedThroughChildren}
              </Typography>
              <Typography variant="caption">through child groups</Typography>
            </Box>
            <Box>
              <Typography variant="h4" component="p" aria-label="Members">
                {f.memberCount}
              </Typography>
              <Typography variant="caption">members</Typography>
            </Box>
          </Box>
          <ProblemCountsList counts={f.problemCounts} />
        </>
      )}
    </InfoCard>
  );
}
