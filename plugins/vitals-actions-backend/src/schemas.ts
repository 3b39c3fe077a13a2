import type { DoraMetrics } from '@vitals/plugin-dora-common';
import type { DebtItem } from '@vitals/plugin-tech-debt-common';
import type { z as zod } from 'zod/v3';

/** The zod (v3 API) the actions registry hands to schema functions. */
export type Zod = typeof zod;

/** An entity ref as an agent sends it. */
export const entityRefInput = (z: Zod, description: string) =>
  z.string().min(1).max(255).describe(description);

/** One area of a summary: its figures (`available: true`), or why it could not be read. */
export const areaOf = <T extends zod.ZodRawShape>(z: Zod, shape: T) =>
  z.union([
    z.object({ available: z.literal(true), ...shape }),
    z.object({
      available: z.literal(false),
      reason: z
        .string()
        .describe(
          'Why the area could not be read, e.g. the API refused the caller or the plugin is not installed.',
        ),
    }),
  ]);

/** A DORA tier, best first: elite, high, medium, low; null when there is not enough data. */
export const tierOf = (z: Zod) =>
  z
    .enum(['elite', 'high', 'medium', 'low'])
    .nullable()
    .describe(
      'Performance tier (elite > high > medium > low); null without data.',
    );

/** The four DORA keys with their tiers, over a window. */
export const doraKeysOf = (z: Zod) => ({
  from: z.string().describe('Start of the window (ISO 8601).'),
  to: z.string().describe('End of the window (ISO 8601).'),
  benchmark: z
    .string()
    .describe('The State of DevOps benchmark the tiers follow.'),
  deploymentFrequency: z.object({
    deployments: z.number(),
    deploymentDays: z.number(),
    weeklyMedianDeploymentDays: z.number().nullable(),
    tier: tierOf(z),
  }),
  leadTimeForChanges: z.object({
    changes: z.number(),
    medianMinutes: z.number().nullable(),
    tier: tierOf(z),
  }),
  changeFailureRate: z.object({
    deployments: z.number(),
    failedDeployments: z.number(),
    rate: z.number().nullable().describe('A fraction, 0-1.'),
    tier: tierOf(z),
  }),
  timeToRestore: z.object({
    incidents: z.number(),
    medianMinutes: z.number().nullable(),
    tier: tierOf(z),
  }),
});

/** A debt item as the summaries list it. */
export const debtItemOf = (z: Zod) =>
  z.object({
    id: z.string(),
    entityRef: z.string(),
    title: z.string(),
    category: z.string(),
    status: z.string(),
    impact: z.number().describe('1 (minor) to 5 (severe).'),
    effortDays: z.number(),
    priority: z.number().describe('Higher means pay down sooner.'),
  });

/** The fields of {@link debtItemOf} picked from an item of the tech-debt API. */
export function debtItemSummary(item: DebtItem) {
  const {
    id,
    entityRef,
    title,
    category,
    status,
    impact,
    effortDays,
    priority,
  } = item;
  return {
    id,
    entityRef,
    title,
    category,
    status,
    impact,
    effortDays,
    priority,
  };
}

/** The four DORA keys of the metrics API, as {@link doraKeysOf} has them. */
export function doraKeys(m: DoraMetrics) {
  return {
    from: m.from,
    to: m.to,
    benchmark: m.benchmark,
    deploymentFrequency: {
      deployments: m.deploymentFrequency.deployments,
      deploymentDays: m.deploymentFrequency.deploymentDays,
      weeklyMedianDeploymentDays:
        m.deploymentFrequency.weeklyMedianDeploymentDays,
      tier: m.deploymentFrequency.tier,
    },
    leadTimeForChanges: {
      changes: m.leadTimeForChanges.changes,
      medianMinutes: m.leadTimeForChanges.medianMinutes,
      tier: m.leadTimeForChanges.tier,
    },
    changeFailureRate: {
      deployments: m.changeFailureRate.deployments,
      failedDeployments: m.changeFailureRate.failedDeployments,
      rate: m.changeFailureRate.rate,
      tier: m.changeFailureRate.tier,
    },
    timeToRestore: {
      incidents: m.timeToRestore.incidents,
      medianMinutes: m.timeToRestore.medianMinutes,
      tier: m.timeToRestore.tier,
    },
  };
}
