import {
  DEBT_CATEGORIES,
  DEBT_STATUSES,
  TECH_DEBT_LIMITS as L,
} from '@vitals/plugin-tech-debt-common';
import { callArea } from '../errors';
import { entityRefOf } from '../refs';
import { entityRefInput } from '../schemas';
import { ActionDeps } from './types';

/** `create-debt-item`: files a debt item in an entity's register, as the caller. */
export function registerCreateDebtItem({ registry, clientsFor }: ActionDeps) {
  registry.register({
    name: 'create-debt-item',
    title: 'Add a tech-debt item',
    description: [
      "Adds an item to a catalog entity's tech-debt register, recorded as created by the caller.",
      "Only the entity's owners may (a member of the owning team, per the portal's permission policy): anyone else gets NotAllowedError and nothing is written.",
      'Give a short title, a category, the impact (1 minor to 5 severe) and the effort to pay it down in ideal engineer-days; the register derives a priority from them.',
      'Each call creates a new item: do not retry a call that succeeded. Returns the created item with its id.',
    ].join(' '),
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(
            z,
            'The entity the debt belongs to, e.g. component:default/payments-api.',
          ),
          title: z.string().min(1).max(L.titleLength).describe('One line.'),
          description: z
            .string()
            .max(L.descriptionLength)
            .optional()
            .describe('Markdown: what the debt is and what it costs.'),
          category: z.enum(DEBT_CATEGORIES),
          impact: z
            .number()
            .int()
            .min(L.minImpact)
            .max(L.maxImpact)
            .describe('1 (minor) to 5 (severe).'),
          effortDays: z
            .number()
            .min(L.minEffortDays)
            .max(L.maxEffortDays)
            .describe(
              'Estimated effort to pay it down, in ideal engineer-days.',
            ),
          interestHoursPerMonth: z
            .number()
            .min(0)
            .max(L.maxInterestHoursPerMonth)
            .optional()
            .describe('Hours lost per month while it stays unpaid.'),
          status: z.enum(DEBT_STATUSES).optional().describe('Default open.'),
          tags: z
            .array(z.string().min(1).max(L.tagLength))
            .max(L.tags)
            .optional(),
          trackerUrl: z
            .string()
            .max(L.trackerUrlLength)
            .optional()
            .describe('An http(s) link to the issue tracker.'),
        }),
      output: z =>
        z.object({
          id: z.string(),
          entityRef: z.string(),
          ownerRef: z.string().nullable(),
          title: z.string(),
          category: z.string(),
          status: z.string(),
          impact: z.number(),
          effortDays: z.number(),
          priority: z.number(),
          version: z.number(),
          createdAt: z.string(),
          createdBy: z.string(),
        }),
    },
    async action({ input, credentials }) {
      const entityRef = entityRefOf(input.entityRef, 'entityRef');
      const item = await callArea(
        `Could not add a debt item to ${entityRef}`,
        () =>
          clientsFor(credentials).techDebt.createItem({
            ...input,
            entityRef,
          }),
      );
      return {
        output: {
          id: item.id,
          entityRef: item.entityRef,
          ownerRef: item.ownerRef,
          title: item.title,
          category: item.category,
          status: item.status,
          impact: item.impact,
          effortDays: item.effortDays,
          priority: item.priority,
          version: item.version,
          createdAt: item.createdAt,
          createdBy: item.createdBy,
        },
      };
    },
  });
}
