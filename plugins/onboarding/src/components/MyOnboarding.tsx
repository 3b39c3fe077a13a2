import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { groupDepths, orderChecklists } from './checklistOrder';
import { ChecklistCard } from './ChecklistView';
import { useStepToggling } from './useStepToggling';
import { RetryableError } from '@vitals/react';

/**
 * How deep each team checklist's group sits in the catalog's group tree, so that an org-wide checklist (a group high
 * in the tree) comes before a team's. Without a catalog API, or while it is read, every group counts as a team.
 */
function useGroupDepths(groupRefs: string[]) {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const key = [...new Set(groupRefs.map(normalizeGroupRef))].sort().join(',');
  return useAsync(async () => {
    if (!catalogApi || !key) return new Map<string, number>();
    return groupDepths(key.split(','), async ref => {
      const group = await catalogApi.getEntityByRef(ref);
      const parent = group?.spec?.parent;
      if (typeof parent !== 'string' || !parent) return undefined;
      return stringifyEntityRef(
        parseEntityRef(parent, {
          defaultKind: 'group',
          defaultNamespace: group?.metadata.namespace ?? 'default',
        }),
      );
    });
  }, [catalogApi, key]).value;
}

/** Where checklists come from, for people who have none. */
export function NoChecklistExplanation() {
  return (
    <>
      <Typography
        component="span"
        style={{ display: 'block', marginBottom: 8 }}
      >
        Checklists come from your teams and the services they own. Platform
        teams write onboarding templates in YAML (kind{' '}
        <code>OnboardingTemplate</code>) and list the files under{' '}
        <code>onboarding.templates</code> in the app configuration. A template
        that targets one of your groups gives you a team checklist; a template
        that targets an entity kind, type or a single entity gives you one
        checklist per matching service your teams own.
      </Typography>
      <Typography component="span" style={{ display: 'block' }}>
        If you expected one: check that the catalog lists you as a member of
        your team, and ask your platform team whether a template targets it. The
        Templates tab lists every template and any that failed validation.
      </Typography>
    </>
  );
}

function normalizeGroupRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' }));
  } catch {
    return ref;
  }
}

/**
 * The caller's checklists with tickable manual steps: the "My onboarding" tab. Opening it is the person's own action:
 * it starts their checklists (or brings them up to date with their teams), which reading them elsewhere never does.
 */
export function MyOnboarding(props: { templatesLink?: string }) {
  const api = useApi(onboardingApiRef);
  const mine = useAsyncRetry(() => api.startMyOnboarding(), [api]);
  const toggling = useStepToggling(mine.value?.checklists);
  const depths = useGroupDepths(
    (toggling.checklists ?? []).flatMap(c => (c.groupRef ? [c.groupRef] : [])),
  );
  const unordered = toggling.checklists;
  // What a newcomer does first comes first: org-wide, then the team's, then each service's.
  const checklists = useMemo(
    () =>
      unordered &&
      orderChecklists(unordered, ref => depths?.get(normalizeGroupRef(ref))),
    [unordered, depths],
  );

  if (mine.loading && !mine.value) return <Progress />;
  if (mine.error) {
    return (
      <RetryableError
        title="Could not load your onboarding checklists"
        error={mine.error}
        onRetry={mine.retry}
      />
    );
  }
  if (!checklists || checklists.length === 0) {
    return (
      <EmptyState
        missing="content"
        title="No onboarding checklist for you"
        description={<NoChecklistExplanation />}
        action={
          props.templatesLink ? (
            <Button
              variant="outlined"
              color="primary"
              component={RouterLink}
              to={props.templatesLink}
            >
              See the templates
            </Button>
          ) : undefined
        }
      />
    );
  }

  const done = checklists.reduce((sum, c) => sum + c.done, 0);
  const total = checklists.reduce((sum, c) => sum + c.total, 0);
  return (
    <>
      <Box mb={2}>
        <Typography aria-label="Overall progress">
          {checklists.length === 1
            ? 'One checklist'
            : `${checklists.length} checklists`}
          : {done} of {total} steps done.
        </Typography>
      </Box>
      <Grid container spacing={3}>
        {checklists.map(checklist => (
          <Grid item xs={12} key={checklist.id}>
            <ChecklistCard
              checklist={checklist}
              toggling={toggling}
              onVisited={mine.retry}
            />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
