import { InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import { normalizeEntityRef } from '@vitals/common';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { ChecklistBody } from './ChecklistView';
import { useStepToggling } from './useStepToggling';
import { RetryableError } from '@vitals/react';

/**
 * "Get started with this service": the caller's checklist for the entity, with tickable manual steps. When no template
 * targets the entity the card stays, with one line saying so, as the other Vitals cards do when they have nothing.
 */
export function EntityOnboardingCard() {
  const { entity } = useEntity();
  const entityRef = normalizeEntityRef(stringifyEntityRef(entity))!;
  const api = useApi(onboardingApiRef);
  const loaded = useAsyncRetry(
    () => api.getEntityChecklist({ entityRef }),
    [api, entityRef],
  );
  const checklist = loaded.value?.checklist;
  const asList = useMemo(
    () => (checklist ? [checklist] : undefined),
    [checklist],
  );
  const toggling = useStepToggling(asList);
  const shown = toggling.checklists?.[0];

  return (
    <InfoCard title="Get started with this service" subheader={shown?.title}>
      {loaded.loading && !loaded.value && <Progress />}
      {loaded.error && (
        <RetryableError
          title="Could not load the onboarding checklist"
          error={loaded.error}
          onRetry={loaded.retry}
        />
      )}
      {loaded.value && !checklist && (
        <Typography variant="body2" color="textSecondary">
          No onboarding checklist for this service. Platform teams add one with
          an onboarding template that targets its kind, type or the entity
          itself.
        </Typography>
      )}
      {shown && (
        <ChecklistBody
          checklist={shown}
          toggling={toggling}
          onVisited={loaded.retry}
        />
      )}
    </InfoCard>
  );
}
