import {
  quarterOf,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { readArea } from '../errors';
import { entityRefOf } from '../refs';
import {
  areaOf,
  debtItemOf,
  debtItemSummary,
  doraKeys,
  doraKeysOf,
  entityRefInput,
} from '../schemas';
import { ActionDeps } from './types';

/** `get-team-health`: a team's health across the five Vitals areas. */
export function registerGetTeamHealth({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'get-team-health',
    title: "Get a team's engineering health",
    description: [
      'Summarises the engineering health of a team (a catalog group, e.g. group:default/payments or just payments) across the Vitals areas, over everything the team owns:',
      "tech debt (unresolved item count, the highest-priority items, and this quarter's debt budget: reserved days versus days paid down),",
      'DORA delivery metrics over the last 90 days pooled over the entities the team owns (the four keys with their tiers),',
      'ownership health (entities owned, how many are healthy, problem counts by kind),',
      'scorecards (entities per level, average score and the checks the team fails most per scorecard),',
      'and onboarding (people onboarding, completed, stalled, median days to first change and first deployment).',
      "Each area is read with the caller's permissions; an area that cannot be read is returned with available=false and the reason.",
    ].join(' '),
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          groupRef: entityRefInput(
            z,
            'The team, e.g. group:default/payments; `payments` means group:default/payments.',
          ),
        }),
      output: z =>
        z.object({
          groupRef: z.string(),
          techDebt: areaOf(z, {
            unresolvedCount: z.number(),
            topItems: z
              .array(debtItemOf(z))
              .describe('The five unresolved items with the highest priority.'),
            budget: z.object({
              quarter: z.string().describe('e.g. 2026-Q4.'),
              reservedDays: z
                .number()
                .nullable()
                .describe(
                  'Engineer-days reserved for debt work; null when no budget is set.',
                ),
              paidDownDays: z.number(),
              resolvedCount: z.number(),
            }),
          }),
          dora: areaOf(z, doraKeysOf(z)),
          ownership: areaOf(z, {
            memberCount: z.number(),
            ownedTotal: z.number(),
            healthy: z.number(),
            healthPercent: z.number().nullable(),
            problemCounts: z.record(z.number()),
          }),
          scorecards: areaOf(z, {
            scorecards: z.array(
              z.object({
                scorecardId: z.string(),
                averageScore: z.number().nullable(),
                levels: z.array(
                  z.object({
                    levelId: z.string().nullable(),
                    count: z.number(),
                  }),
                ),
                failingChecks: z.array(
                  z.object({
                    checkId: z.string(),
                    failing: z.number(),
                    entities: z.number(),
                  }),
                ),
              }),
            ),
          }),
          onboarding: areaOf(z, {
            onboarding: z
              .number()
              .describe('People whose onboarding is not complete.'),
            completed: z.number(),
            stalled: z.number(),
            medianDaysToFirstChange: z.number().nullable(),
            medianDaysToFirstDeploy: z.number().nullable(),
          }),
        }),
    },
    async action({ input, credentials }) {
      const groupRef = entityRefOf(input.groupRef, 'groupRef', 'group');
      const api = clientsFor(credentials);
      const quarter = quarterOf(new Date());
      const [techDebt, dora, ownership, scorecards, onboarding] =
        await Promise.all([
          readArea('tech-debt', async () => {
            const [page, budget] = await Promise.all([
              api.techDebt.listItems({
                owner: [groupRef],
                status: [...UNRESOLVED_STATUSES],
                limit: 5,
              }),
              api.techDebt.getBudget(groupRef, quarter),
            ]);
            return {
              unresolvedCount: page.totalCount,
              topItems: page.items.map(debtItemSummary),
              budget: {
                quarter: budget.quarter,
                reservedDays: budget.reservedDays,
                paidDownDays: budget.paidDownDays,
                resolvedCount: budget.resolvedCount,
              },
            };
          }),
          readArea('dora', async () =>
            doraKeys(await api.dora.getMetrics({ entityRef: groupRef })),
          ),
          readArea('ownership', async () => {
            const g = await api.ownership.getGroup(groupRef);
            return {
              memberCount: g.memberCount,
              ownedTotal: g.ownedTotal,
              healthy: g.healthy,
              healthPercent: g.healthPercent,
              problemCounts: { ...g.problemCounts },
            };
          }),
          readArea('scorecards', async () => {
            const rollup = await api.scorecards.getGroupRollup(groupRef);
            return {
              scorecards: rollup.scorecards.map(s => ({
                scorecardId: s.scorecardId,
                averageScore: s.averageScore,
                levels: s.levels.map(l => ({
                  levelId: l.levelId,
                  count: l.count,
                })),
                failingChecks: s.failingChecks.slice(0, 5).map(c => ({
                  checkId: c.checkId,
                  failing: c.failing,
                  entities: c.entities,
                })),
              })),
            };
          }),
          readArea('onboarding', async () => {
            const r = await api.onboarding.getTeamReport({ groupRef });
            return {
              onboarding: r.onboarding,
              completed: r.completed,
              stalled: r.stalled,
              medianDaysToFirstChange: r.medianDaysToFirstChange,
              medianDaysToFirstDeploy: r.medianDaysToFirstDeploy,
            };
          }),
        ]);
      return {
        output: { groupRef, techDebt, dora, ownership, scorecards, onboarding },
      };
    },
  });
}
