import { UNRESOLVED_STATUSES } from '@vitals/plugin-tech-debt-common';
import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { entityRefInput } from '../schemas';
import { ActionDeps } from './types';

/** The figures whose items can be listed, each with what it lists. */
export const FIGURES = {
  'dora.deployments':
    'the counted production deployments that finished in the window (behind deployment frequency)',
  'dora.failed-deployments':
    'the counted deployments in the window that caused an incident (behind the change failure rate)',
  'dora.changes':
    'the changes whose deployment finished in the window, with their lead time (behind lead time for changes)',
  'dora.incidents':
    'the incidents resolved in the window, with their time to restore (behind time to restore)',
  'tech-debt.unresolved-items':
    "the unresolved debt items (open, planned, in progress), highest priority first (behind the debt count); for a group, its entities' items",
} as const;

type Figure = keyof typeof FIGURES;
const FIGURE_IDS = Object.keys(FIGURES) as [Figure, ...Figure[]];

type Detail = string | number | boolean | null;

/** One item behind a figure, in one shape for every figure. */
interface FigureItem {
  id: string;
  entityRef: string;
  summary: string;
  at: string | null;
  url: string | null;
  details: Record<string, Detail>;
}

/** `get-figure-items`: the items behind one figure of an entity or a team. */
export function registerGetFigureItems({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'get-figure-items',
    title: 'Get the items behind a figure',
    description: [
      'Lists the records behind one Vitals figure of an entity or a team, so that a figure can be explained or checked. Figures:',
      ...FIGURE_IDS.map(f => `${f}: ${FIGURES[f]}.`),
      'DORA figures use a window (from/to, default the last 90 days, as get-entity-health).',
      'Every item has an id, its entity, a one-line summary, a timestamp, a link when there is one, and the figure-specific details (e.g. leadTimeMinutes, restoreMinutes, impact).',
      'totalCount says how many items there are in all; at most `limit` are returned.',
    ].join(' '),
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          figure: z.enum(FIGURE_IDS).describe('Which figure.'),
          entityRef: entityRefInput(
            z,
            'The entity or team, e.g. component:default/payments-api or group:default/payments.',
          ),
          from: z
            .string()
            .max(64)
            .optional()
            .describe(
              'DORA figures: start of the window, a date (2026-09-01) or an ISO timestamp. Default: 90 days before `to`.',
            ),
          to: z
            .string()
            .max(64)
            .optional()
            .describe('DORA figures: end of the window. Default: now.'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(20)
            .describe('How many items to return (1-100, default 20).'),
        }),
      output: z =>
        z.object({
          figure: z.string(),
          entityRef: z.string(),
          totalCount: z.number(),
          items: z.array(
            z.object({
              id: z.string(),
              entityRef: z.string(),
              summary: z.string(),
              at: z
                .string()
                .nullable()
                .describe('When it happened (ISO 8601).'),
              url: z.string().nullable(),
              details: z.record(
                z.union([z.string(), z.number(), z.boolean(), z.null()]),
              ),
            }),
          ),
        }),
    },
    async action({ input, credentials }) {
      const entityRef = entityRefOf(input.entityRef, 'entityRef');
      const api = clientsFor(credentials);
      const window = {
        entityRef,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
        limit: input.limit,
      };
      const read = (
        fn: () => Promise<{ totalCount: number; items: FigureItem[] }>,
      ) => callArea(`The items of ${input.figure} could not be read`, fn);

      let page: { totalCount: number; items: FigureItem[] };
      switch (input.figure) {
        case 'dora.deployments':
        case 'dora.failed-deployments':
          page = await read(async () => {
            const p = await api.dora.listDeployments({
              ...window,
              ...(input.figure === 'dora.failed-deployments'
                ? { failed: true }
                : {}),
            });
            return {
              totalCount: p.totalCount,
              items: p.items.map(d => ({
                id: d.id,
                entityRef: d.entityRef,
                summary: `Deployment ${d.id} to ${d.environment} (${
                  d.status
                }, ${d.commitCount} commits)${
                  d.failed ? ', caused an incident' : ''
                }`,
                at: d.finishedAt,
                url: d.url,
                details: {
                  environment: d.environment,
                  status: d.status,
                  startedAt: d.startedAt,
                  commitCount: d.commitCount,
                  failed: d.failed,
                },
              })),
            };
          });
          break;
        case 'dora.changes':
          page = await read(async () => {
            const p = await api.dora.listChanges(window);
            return {
              totalCount: p.totalCount,
              items: p.items.map(c => ({
                id: c.id,
                entityRef: c.entityRef,
                summary: `Change ${c.sha.slice(0, 7)}${
                  c.author ? ` by ${c.author}` : ''
                }: lead time ${c.leadTimeMinutes ?? 'unknown'} minutes`,
                at: c.deployedAt,
                url: c.url,
                details: {
                  sha: c.sha,
                  author: c.author,
                  mergedAt: c.mergedAt,
                  deploymentId: c.deploymentId,
                  leadTimeMinutes: c.leadTimeMinutes,
                  codingMinutes: c.codingMinutes,
                  mergeMinutes: c.mergeMinutes,
                  deployMinutes: c.deployMinutes,
                },
              })),
            };
          });
          break;
        case 'dora.incidents':
          page = await read(async () => {
            const p = await api.dora.listIncidents(window);
            return {
              totalCount: p.totalCount,
              items: p.items.map(i => ({
                id: i.id,
                entityRef: i.entityRef,
                summary: `Incident ${i.id}${
                  i.severity ? ` (${i.severity})` : ''
                }: restored in ${i.restoreMinutes ?? 'unknown'} minutes`,
                at: i.createdAt,
                url: i.url,
                details: {
                  severity: i.severity,
                  resolvedAt: i.resolvedAt,
                  restoreMinutes: i.restoreMinutes,
                  linkedDeploymentId: i.linkedDeploymentId,
                },
              })),
            };
          });
          break;
        default:
          page = await read(async () => {
            const scope = entityRef.startsWith('group:')
              ? { owner: [entityRef] }
              : { entityRef: [entityRef] };
            const p = await api.techDebt.listItems({
              ...scope,
              status: [...UNRESOLVED_STATUSES],
              limit: input.limit,
            });
            return {
              totalCount: p.totalCount,
              items: p.items.map(d => ({
                id: d.id,
                entityRef: d.entityRef,
                summary: `${d.title} (${d.category}, impact ${d.impact}/5, ${d.effortDays} days, ${d.status})`,
                at: d.createdAt,
                url: d.trackerUrl,
                details: {
                  title: d.title,
                  category: d.category,
                  status: d.status,
                  impact: d.impact,
                  effortDays: d.effortDays,
                  interestHoursPerMonth: d.interestHoursPerMonth,
                  priority: d.priority,
                  assignee: d.assignee,
                },
              })),
            };
          });
      }
      return {
        output: {
          figure: input.figure,
          entityRef,
          totalCount: page.totalCount,
          items: page.items,
        },
      };
    },
  });
}
