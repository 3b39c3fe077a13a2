import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  LinkButton,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, TablePagination, Typography } from '@material-ui/core';
import { Goal, quarterOf } from '@vitals/plugin-goals-common';
import { FilterSelect, RetryableError } from '@vitals/react';
import { useMemo, useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goalsApiRef } from '../api/goalsApiRef';
import { nearbyQuarters, ownerLabel } from './format';
import { GoalCard } from './GoalCard';
import { GoalFormDialog } from './GoalFormDialog';
import { useGoalEditPermission } from './permissions';
import { QuarterSelect } from './QuarterSelect';
import { StakeholderReportPage } from './StakeholderReportPage';
import { useTeams } from './useTeams';

/** The filter's value for the org's own goals. */
const ORG = 'org';

/** Goals a page: an org may set 2,000 in a quarter; the page asks for what it shows. */
export const GOALS_PAGE_SIZE = 50;

/** The query of the stakeholder report of a team (or `org`) for a period (the current quarter unless it is one). */
export function reportQuery(team: string, period: string): string {
  const quarter = /^\d{4}-Q[1-4]$/.test(period)
    ? period
    : quarterOf(new Date());
  return `?${new URLSearchParams({ team, quarter })}`;
}

/** The goals of a period (the current quarter by default), by team, with each key result's live standing. */
function GoalsOverview() {
  const api = useApi(goalsApiRef);
  const periods = useMemo(() => nearbyQuarters(new Date()), []);
  const [period, setPeriod] = useState(() => quarterOf(new Date()));
  const [owner, setOwner] = useState('');
  const [page, setPage] = useState(0);
  const { teams, mine } = useTeams();
  const orgPermission = useGoalEditPermission(null);
  const [editing, setEditing] = useState<{ goal?: Goal } | undefined>();

  const goals = useAsyncRetry(
    () =>
      api.listGoals({
        period: [period],
        ...(owner ? { owner: [owner] } : {}),
        limit: GOALS_PAGE_SIZE,
        offset: page * GOALS_PAGE_SIZE,
      }),
    [api, period, owner, page],
  );
  // Another period or team starts again from the first page.
  const choosePeriod = (value: string) => {
    setPeriod(value);
    setPage(0);
  };
  const chooseOwner = (value: string) => {
    setOwner(value);
    setPage(0);
  };
  const totalCount = goals.value?.totalCount ?? 0;
  const pagination = totalCount > GOALS_PAGE_SIZE && (
    <TablePagination
      component="div"
      count={totalCount}
      page={page}
      rowsPerPage={GOALS_PAGE_SIZE}
      rowsPerPageOptions={[]}
      onPageChange={(_, p) => setPage(p)}
      labelDisplayedRows={({ from, to, count }) =>
        `Goals ${from}–${to} of ${count}`
      }
    />
  );

  const byOwner = useMemo(() => {
    const groups = new Map<string | null, Goal[]>();
    for (const goal of goals.value?.goals ?? []) {
      const list = groups.get(goal.ownerRef) ?? [];
      list.push(goal);
      groups.set(goal.ownerRef, list);
    }
    // The org first, then the teams by name.
    const sortKey = (ref: string | null) =>
      ref === null ? '' : ` ${ownerLabel(ref)}`;
    return [...groups.entries()].sort(([a], [b]) =>
      sortKey(a).localeCompare(sortKey(b)),
    );
  }, [goals.value]);

  const canCreate = mine.length > 0 || orgPermission.allowed;
  // A new goal is for the team filtered on, else the user's first team, else the org.
  let defaultOwner: string | null = mine[0] ?? null;
  if (owner === ORG) defaultOwner = null;
  else if (owner) defaultOwner = owner;
  const newGoalButton = canCreate && (
    <Button variant="contained" color="primary" onClick={() => setEditing({})}>
      New goal
    </Button>
  );
  const teamOptions = [
    { value: ORG, label: 'The org' },
    ...teams.map(t => ({ value: t.ref, label: t.title })),
  ];
  const titleOf = (ref: string | null) =>
    ref === null
      ? 'The org'
      : teams.find(t => t.ref === ref)?.title ?? ownerLabel(ref);

  return (
    <Page themeId="tool">
      <Header
        title="Goals"
        subtitle="Outcome goals whose key results follow live Vitals figures"
      />
      <Content>
        <ContentHeader title={`Goals for ${period}`}>
          <LinkButton
            variant="outlined"
            to={`report${reportQuery(owner || ORG, period)}`}
            style={{ marginRight: 8 }}
          >
            Stakeholder report
          </LinkButton>
          {newGoalButton}
        </ContentHeader>
        <Box display="flex" flexWrap="wrap" mb={3} style={{ gap: 16 }}>
          <QuarterSelect
            label="Period"
            value={period}
            quarters={periods}
            onChange={choosePeriod}
          />
          <FilterSelect
            label="Team"
            value={owner}
            onChange={chooseOwner}
            options={teamOptions}
            allLabel="All teams"
          />
        </Box>
        {goals.loading && !goals.value && <Progress />}
        {goals.error && (
          <RetryableError
            title="Could not load the goals"
            error={goals.error}
            onRetry={goals.retry}
          />
        )}
        {goals.value && goals.value.goals.length === 0 && (
          <EmptyState
            missing="data"
            title={`No goals for ${period}${
              owner ? ` in ${titleOf(owner === ORG ? null : owner)}` : ''
            }`}
            description={
              canCreate
                ? 'Set an objective with key results bound to live figures (DORA, flow, scorecards, ownership, onboarding, tech debt) or typed in: choose New goal.'
                : 'A team’s members and the admins set its goals: ask one of them to add one, or pick another period.'
            }
            action={newGoalButton || undefined}
          />
        )}
        {byOwner.map(([ref, list]) => (
          <Box
            key={ref ?? ORG}
            component="section"
            aria-label={`Goals of ${titleOf(ref)}`}
            mb={3}
          >
            <Typography variant="h5" component="h2" gutterBottom>
              {titleOf(ref)}
            </Typography>
            {list.map(goal => (
              <GoalCard
                key={goal.id}
                goal={goal}
                onEdit={g => setEditing({ goal: g })}
                onChanged={goals.retry}
                onReload={goals.retry}
              />
            ))}
          </Box>
        ))}
        {pagination}
        {editing && (
          <GoalFormDialog
            open
            goal={editing.goal}
            teams={teams}
            defaultOwner={defaultOwner}
            defaultPeriod={period}
            periods={periods}
            onClose={() => setEditing(undefined)}
            onSaved={saved => {
              setEditing(undefined);
              if (saved.period !== period) choosePeriod(saved.period);
              goals.retry();
            }}
          />
        )}
      </Content>
    </Page>
  );
}

/** `/goals`: the goals by team and period, and the stakeholder report at `/goals/report?team=&quarter=`. */
export function GoalsPage() {
  return (
    <Routes>
      <Route path="/" element={<GoalsOverview />} />
      <Route path="/report" element={<StakeholderReportPage />} />
    </Routes>
  );
}
