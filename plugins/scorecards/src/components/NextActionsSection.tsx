import { InfoCard } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import { normalizeEntityRef } from '@vitals/common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { NextActionsList } from './NextActionsList';

/** The team to show first: the first of the signed-in user's groups that is a team in the list, else the first team. */
async function defaultTeam(
  teams: Array<{ value: string }>,
  ownershipRefs: () => Promise<string[]>,
): Promise<string> {
  const values = new Set(teams.map(t => t.value));
  try {
    const mine = (await ownershipRefs())
      .map(ref => normalizeEntityRef(ref) ?? ref)
      .find(ref => ref.startsWith('group:') && values.has(ref));
    if (mine) return mine;
  } catch {
    // No identity (a guest without a user entity): the first team will do.
  }
  return teams[0]?.value ?? '';
}

/** "Next best actions" of the org page: one team's ranked list, with a picker of the teams. */
export function NextActionsSection(props: {
  teams: Array<{ value: string; label: string }>;
}) {
  const { teams } = props;
  const identityApi = useApi(identityApiRef);
  const [picked, setPicked] = useState<string>();
  const initial = useAsync(
    () =>
      defaultTeam(
        teams,
        async () =>
          (await identityApi.getBackstageIdentity()).ownershipEntityRefs,
      ),
    [teams, identityApi],
  );
  const team = picked ?? initial.value ?? '';

  return (
    <InfoCard
      title="Next best actions"
      subheader="One team’s list, ranked by cost of delay: impact × urgency ÷ effort"
    >
      {teams.length === 0 ? (
        <Typography>
          No team in the catalog yet: add Group entities to see each team’s next
          best actions.
        </Typography>
      ) : (
        <>
          <Box mb={2}>
            <TextField
              select
              label="Team"
              value={team}
              onChange={e => setPicked(String(e.target.value))}
              style={{ minWidth: 200 }}
              SelectProps={{
                inputProps: { 'aria-label': 'Next best actions of team' },
              }}
            >
              {teams.map(t => (
                <MenuItem key={t.value} value={t.value}>
                  {t.label}
                </MenuItem>
              ))}
            </TextField>
          </Box>
          {team && <NextActionsList team={team} />}
        </>
      )}
    </InfoCard>
  );
}
