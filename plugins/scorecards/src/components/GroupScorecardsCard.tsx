import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Divider,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardsApiRef } from '../api/scorecardsApiRef';
import { checkTitle, formatScore } from './format';
import { LevelDistribution } from './LevelDistribution';
import { entityRefKey } from './entityRefKey';

/** A team's roll-up: how its entities are spread over the levels, and the checks most of them fail. */
export function GroupScorecardsCard() {
  const { entity } = useEntity();
  const groupRef = entityRefKey(entity);
  const api = useApi(scorecardsApiRef);
  const state = useAsync(async () => {
    const [definitions, rollup] = await Promise.all([
      api.getDefinitions(),
      api.getGroupRollup(groupRef),
    ]);
    return { definitions: new Map(definitions.map(d => [d.id, d])), rollup };
  }, [api, groupRef]);

  return (
    <InfoCard title="Scorecards">
      {state.loading && <Progress />}
      {state.error && (
        <ErrorPanel
          title="Could not load the team's scorecards"
          error={state.error}
        />
      )}
      {state.value && state.value.rollup.scorecards.length === 0 && (
        <Typography>
          No entity owned by this team has a scorecard result yet. Results
          appear after the next scheduled evaluation, or press Refresh on a
          component’s Scorecards card.
        </Typography>
      )}
      {state.value?.rollup.scorecards.map((s, i) => {
        const definition = state.value!.definitions.get(s.scorecardId);
        const title = definition?.title ?? s.scorecardId;
        return (
          <Fragment key={s.scorecardId}>
            {i > 0 && (
              <Box my={2}>
                <Divider />
              </Box>
            )}
            <section aria-label={title}>
              <Typography variant="h6" component="h3">
                {title}
              </Typography>
              <Typography variant="body2" color="textSecondary" gutterBottom>
                {s.entities.length}{' '}
                {s.entities.length === 1 ? 'entity' : 'entities'} · average
                score {formatScore(s.averageScore)}
              </Typography>
              <LevelDistribution
                definition={definition}
                summary={{
                  scorecardId: s.scorecardId,
                  entities: s.entities.length,
                  averageScore: s.averageScore,
                  levels: s.levels,
                }}
              />
              {s.failingChecks.length > 0 ? (
                <>
                  <Box mt={1}>
                    <Typography variant="subtitle2">Failing most</Typography>
                  </Box>
                  <List dense aria-label={`${title}: checks failing most`}>
                    {s.failingChecks.slice(0, 5).map(c => (
                      <ListItem key={c.checkId} disableGutters>
                        <ListItemText
                          primary={checkTitle(definition, c.checkId)}
                          secondary={`${c.failing} of ${c.entities} failing`}
                        />
                      </ListItem>
                    ))}
                  </List>
                </>
              ) : (
                <Typography variant="body2">
                  Every entity passes every check.
                </Typography>
              )}
            </section>
          </Fragment>
        );
      })}
    </InfoCard>
  );
}
