import {
  NEXT_ACTION_KINDS,
  NEXT_ACTION_SOURCES,
  NEXT_ACTIONS_LIMITS,
} from '@vitals/plugin-scorecards-common';
import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { entityRefInput } from '../schemas';
import { ActionDeps } from './types';

/** `get-team-next-actions`: a team's ranked next best actions, as the group page's card shows them. */
export function registerGetTeamNextActions({
  registry,
  clientsFor,
}: ActionDeps) {
  registry.register({
    name: 'get-team-next-actions',
    title: "Get a team's next best actions",
    description: [
      'Lists what a team (a catalog group, e.g. group:default/payments or just payments) should fix first, across everything it and its child teams own:',
      'failing scorecard checks, open tech-debt items, ownership problems, stalled onboarding and waivers that end soon.',
      'Rows are ranked by one cost-of-delay score: impact × urgency ÷ effort in days, where urgency grows over the last 30 days before a deadline and with measured interest;',
      'each row gives the inputs of its score, the reason in plain words and the portal path where it is fixed.',
      'An area that could not be read is listed in sources with available=false and left out of the ranking.',
    ].join(' '),
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          groupRef: entityRefInput(
            z,
            'The team, e.g. group:default/payments; `payments` means group:default/payments.',
          ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(NEXT_ACTIONS_LIMITS.maxLimit)
            .optional()
            .describe(
              `How many actions to return, best first (default ${NEXT_ACTIONS_LIMITS.defaultLimit}).`,
            ),
        }),
      output: z =>
        z.object({
          groupRef: z.string(),
          entities: z
            .number()
            .describe('Entities owned by the team and its child teams.'),
          totalCount: z
            .number()
            .describe('Actions found before the limit was applied.'),
          actions: z.array(
            z.object({
              rank: z.number().describe('1 for the action to do first.'),
              id: z.string(),
              kind: z.enum(NEXT_ACTION_KINDS),
              title: z.string(),
              entityRef: z.string(),
              reason: z.string(),
              score: z.number(),
              impact: z.number().describe('1 (minor) to 5 (severe).'),
              effortDays: z.number(),
              deadline: z
                .string()
                .nullable()
                .describe('ISO 8601; null without a deadline.'),
              link: z
                .string()
                .describe('Portal path of the page where it is fixed.'),
            }),
          ),
          sources: z.array(
            z.object({
              source: z.enum(NEXT_ACTION_SOURCES),
              available: z.boolean(),
              message: z.string().nullable(),
            }),
          ),
        }),
    },
    async action({ input, credentials }) {
      const groupRef = entityRefOf(input.groupRef, 'groupRef', 'group');
      const response = await callArea(
        `Could not read the next best actions of ${groupRef}`,
        () =>
          clientsFor(credentials).scorecards.getNextActions({
            team: groupRef,
            ...(input.limit === undefined ? {} : { limit: input.limit }),
          }),
      );
      return {
        output: {
          groupRef: response.team,
          entities: response.entities,
          totalCount: response.totalCount,
          actions: response.actions.map(a => ({
            rank: a.rank,
            id: a.id,
            kind: a.kind,
            title: a.title,
            entityRef: a.entityRef,
            reason: a.reason,
            score: a.score,
            impact: a.inputs.impact,
            effortDays: a.inputs.effortDays,
            deadline: a.deadline,
            link: a.link,
          })),
          sources: response.sources.map(s => ({
            source: s.source,
            available: s.available,
            message: s.message,
          })),
        },
      };
    },
  });
}
