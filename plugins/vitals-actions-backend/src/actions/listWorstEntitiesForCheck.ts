import { InputError } from '@backstage/errors';
import { parseCsvRecords } from '../csv';
import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { ActionDeps } from './types';

/** `list-worst-entities-for-check`: the org's entities that fail one scorecard check, the lowest-scored first. */
export function registerListWorstEntitiesForCheck({
  registry,
  clientsFor,
}: ActionDeps) {
  registry.register({
    name: 'list-worst-entities-for-check',
    title: 'List the worst-placed entities for a scorecard check',
    description: [
      'Lists the entities that fail one check of a scorecard (e.g. scorecard production-readiness, check has-runbook), worst-placed first:',
      'ordered by their overall score on that scorecard, lowest first, from the last evaluation.',
      'For each: the owner, the level and score, the value the check saw and why it failed.',
      'Also returns how many entities the scorecard evaluated, how many fail the check and how many have it waived, and the check\'s "how to fix" text.',
      'Optionally limited to one team (owner).',
      'Use get-entity-health for the scorecards and checks of an entity; the scorecards API (GET /api/scorecards/v1/definitions) lists every scorecard and check id.',
    ].join(' '),
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          scorecardId: z
            .string()
            .min(1)
            .max(100)
            .describe('The scorecard, e.g. production-readiness.'),
          checkId: z
            .string()
            .min(1)
            .max(100)
            .describe('The check of that scorecard, e.g. has-runbook.'),
          owner: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe(
              'Only the entities of this team, e.g. group:default/payments; all teams when left out.',
            ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(25)
            .default(10)
            .describe('How many entities to return (1-25, default 10).'),
        }),
      output: z =>
        z.object({
          scorecardId: z.string(),
          scorecardTitle: z.string(),
          check: z.object({
            id: z.string(),
            title: z.string(),
            level: z.string().describe('The level the check belongs to.'),
            fact: z.string(),
            operator: z.string(),
            threshold: z.unknown().optional(),
            howToFix: z.string().nullable(),
          }),
          evaluatedEntities: z
            .number()
            .describe(
              'Entities the scorecard evaluated (within the owner filter).',
            ),
          failingCount: z
            .number()
            .describe('Of those, how many fail the check.'),
          waivedCount: z
            .number()
            .describe(
              'Of those, how many have the check waived (not counted as failing).',
            ),
          entities: z
            .array(
              z.object({
                entityRef: z.string(),
                ownerRef: z.string().nullable(),
                level: z
                  .string()
                  .nullable()
                  .describe('Level reached; null below the lowest.'),
                score: z.number().describe('Overall scorecard score, 0-100.'),
                value: z
                  .unknown()
                  .describe(
                    'The fact value the check saw; null means no data.',
                  ),
                message: z
                  .string()
                  .nullable()
                  .describe('Why the check failed.'),
                evaluatedAt: z.string(),
              }),
            )
            .describe('The failing entities, lowest score first.'),
        }),
    },
    async action({ input, credentials }) {
      const api = clientsFor(credentials).scorecards;
      const owner = input.owner
        ? entityRefOf(input.owner, 'owner', 'group')
        : undefined;
      const definition = await callArea(
        `Scorecard '${input.scorecardId}' could not be read`,
        () => api.getDefinition(input.scorecardId),
      );
      const check = definition.checks.find(c => c.id === input.checkId);
      if (!check) {
        throw new InputError(
          `checkId: scorecard '${definition.id}' has no check '${
            input.checkId
          }'; its checks are ${definition.checks.map(c => c.id).join(', ')}`,
        );
      }
      const csv = await callArea(
        'The scorecard results could not be read',
        () =>
          api.exportCsv({
            scorecardId: [definition.id],
            ...(owner ? { owner: [owner] } : {}),
          }),
      );
      const rows = parseCsvRecords(csv);
      const has = (list: string | undefined) =>
        (list ?? '').split(' ').includes(check.id);
      const failing = rows
        .filter(r => has(r['Failing checks']))
        .map(r => ({
          entityRef: r.Entity,
          ownerRef: r.Owner || null,
          level: r.Level || null,
          score: Number(r.Score),
          evaluatedAt: r.Evaluated,
        }))
        .sort(
          (a, b) => a.score - b.score || a.entityRef.localeCompare(b.entityRef),
        );
      const worst = failing.slice(0, input.limit);
      // The check's own outcome (the value it saw, why it failed) is in each entity's stored result.
      const details = await Promise.all(
        worst.map(async e => {
          try {
            const { results } = await api.getEntityResults(e.entityRef);
            return results
              .find(r => r.scorecardId === definition.id)
              ?.checks.find(c => c.checkId === check.id);
          } catch {
            return undefined;
          }
        }),
      );
      const levelTitle = (id: string) =>
        definition.levels.find(l => l.id === id)?.title ?? id;
      return {
        output: {
          scorecardId: definition.id,
          scorecardTitle: definition.title,
          check: {
            id: check.id,
            title: check.title,
            level: levelTitle(check.level),
            fact: check.fact,
            operator: check.operator,
            threshold: check.threshold,
            howToFix: check.howToFix ?? null,
          },
          evaluatedEntities: rows.length,
          failingCount: failing.length,
          waivedCount: rows.filter(r => has(r['Waived checks'])).length,
          entities: worst.map((e, i) => ({
            ...e,
            value: details[i]?.value ?? null,
            message: details[i]?.message ?? null,
          })),
        },
      };
    },
  });
}
