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

/** `get-entity-health`: one entity's health across the five Vitals areas. */
export function registerGetEntityHealth({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'get-entity-health',
    title: "Get an entity's engineering health",
    description: [
      'Summarises the engineering health of one catalog entity (usually a service, e.g. component:default/payments-api) across the Vitals areas:',
      'tech debt (open item count, effort, and the highest-priority unresolved items),',
      'DORA delivery metrics over the last 90 days (the four keys with their tiers elite/high/medium/low),',
      'ownership health (owner, problems such as no contact channel or an overdue confirmation, confirmation state),',
      'scorecards (level reached, score and the failing checks with how to fix them),',
      "and the caller's onboarding checklist for the entity when there is one.",
      "Each area is read with the caller's permissions; an area that cannot be read is returned with available=false and the reason, the others still answer.",
      'Use get-figure-items to see the items behind a figure (deployments, incidents, debt items).',
    ].join(' '),
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(
            z,
            'The entity, e.g. component:default/payments-api. The namespace may be left out (component:payments-api).',
          ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity, in canonical form.'),
          techDebt: areaOf(z, {
            openCount: z
              .number()
              .describe('Unresolved items (open, planned, in progress).'),
            openEffortDays: z.number(),
            openInterestHoursPerMonth: z.number(),
            topItems: z
              .array(debtItemOf(z))
              .describe(
                'The three unresolved items with the highest priority.',
              ),
          }),
          dora: areaOf(z, doraKeysOf(z)),
          ownership: areaOf(z, {
            ownerRef: z.string().nullable(),
            healthy: z.boolean(),
            problems: z.array(
              z.object({ kind: z.string(), message: z.string() }),
            ),
            confirmation: z.object({
              status: z
                .string()
                .describe('current, due (expired), never, or not-applicable.'),
              lastConfirmedAt: z.string().nullable(),
              lastConfirmedBy: z.string().nullable(),
              dueAt: z.string().nullable(),
            }),
          }),
          scorecards: areaOf(z, {
            results: z.array(
              z.object({
                scorecardId: z.string(),
                title: z.string(),
                level: z
                  .string()
                  .nullable()
                  .describe(
                    'The highest level reached; null below the lowest level.',
                  ),
                nextLevel: z.string().nullable(),
                score: z.number().describe('0-100.'),
                evaluatedAt: z.string(),
                failingChecks: z.array(
                  z.object({
                    checkId: z.string(),
                    title: z.string(),
                    level: z.string(),
                    message: z.string().nullable(),
                    howToFix: z.string().nullable(),
                  }),
                ),
              }),
            ),
          }),
          onboarding: areaOf(z, {
            checklist: z
              .object({
                id: z.string(),
                title: z.string(),
                started: z.boolean(),
                done: z.number(),
                total: z.number(),
                steps: z.array(
                  z.object({
                    id: z.string(),
                    title: z.string(),
                    kind: z.string(),
                    done: z.boolean(),
                  }),
                ),
              })
              .nullable()
              .describe(
                "The caller's own checklist for the entity; null when no onboarding template targets it.",
              ),
          }),
        }),
    },
    async action({ input, credentials }) {
      const entityRef = entityRefOf(input.entityRef, 'entityRef');
      const api = clientsFor(credentials);
      const [techDebt, dora, ownership, scorecards, onboarding] =
        await Promise.all([
          readArea('tech-debt', async () => {
            const s = await api.techDebt.getSummary(entityRef);
            return {
              openCount: s.openCount,
              openEffortDays: s.openEffortDays,
              openInterestHoursPerMonth: s.openInterestHoursPerMonth,
              topItems: s.top.map(debtItemSummary),
            };
          }),
          readArea('dora', async () =>
            doraKeys(await api.dora.getMetrics({ entityRef })),
          ),
          readArea('ownership', async () => {
            const o = await api.ownership.getEntityOwnership(entityRef);
            return {
              ownerRef: o.ownerRef,
              healthy: o.healthy,
              problems: o.problems.map(p => ({
                kind: p.kind,
                message: p.message,
              })),
              confirmation: {
                status: o.confirmation.status,
                lastConfirmedAt: o.confirmation.lastConfirmedAt,
                lastConfirmedBy: o.confirmation.lastConfirmedBy,
                dueAt: o.confirmation.dueAt,
              },
            };
          }),
          readArea('scorecards', async () => {
            const [{ results }, definitions] = await Promise.all([
              api.scorecards.getEntityResults(entityRef),
              api.scorecards.getDefinitions(),
            ]);
            return {
              results: results.map(r => {
                const def = definitions.find(d => d.id === r.scorecardId);
                const levelTitle = (id: string) =>
                  def?.levels.find(l => l.id === id)?.title ?? id;
                const next = def?.levels[r.levelIndex + 1];
                return {
                  scorecardId: r.scorecardId,
                  title: def?.title ?? r.scorecardId,
                  level: r.levelId === null ? null : levelTitle(r.levelId),
                  nextLevel: next?.title ?? null,
                  score: r.score,
                  evaluatedAt: r.evaluatedAt,
                  failingChecks: r.checks
                    .filter(c => !c.passed && !c.waiver)
                    .map(c => {
                      const check = def?.checks.find(k => k.id === c.checkId);
                      return {
                        checkId: c.checkId,
                        title: check?.title ?? c.checkId,
                        level: check ? levelTitle(check.level) : '',
                        message: c.message,
                        howToFix: check?.howToFix ?? null,
                      };
                    }),
                };
              }),
            };
          }),
          readArea('onboarding', async () => {
            const { checklist } = await api.onboarding.getEntityChecklist({
              entityRef,
            });
            return {
              checklist: checklist && {
                id: checklist.id,
                title: checklist.title,
                started: Boolean(checklist.startedAt),
                done: checklist.done,
                total: checklist.total,
                steps: checklist.steps.map(s => ({
                  id: s.id,
                  title: s.title,
                  kind: s.kind,
                  done: s.done,
                })),
              },
            };
          }),
        ]);
      return {
        output: {
          entityRef,
          techDebt,
          dora,
          ownership,
          scorecards,
          onboarding,
        },
      };
    },
  });
}
