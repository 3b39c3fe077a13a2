import { z } from 'zod';

/** The Vitals areas a key result can be bound to, and `manual` for a value an editor types in. @public */
export const FIGURE_SOURCES = [
  'dora',
  'flow',
  'scorecards',
  'ownership',
  'onboarding',
  'tech-debt',
  'postmortems',
  'manual',
] as const;

/** @public */
export type FigureSource = (typeof FIGURE_SOURCES)[number];

/** What a figure is measured over: one entity, a team with its child teams, or the whole org. @public */
export const FIGURE_SCOPE_KINDS = ['entity', 'team', 'org'] as const;

/** @public */
export type FigureScopeKind = (typeof FIGURE_SCOPE_KINDS)[number];

/** Which way a figure gets better. @public */
export const DIRECTIONS = ['up', 'down'] as const;

/** @public */
export type Direction = (typeof DIRECTIONS)[number];

/** A parameter a figure needs besides its scope, e.g. the scorecard of a level share. @public */
export interface FigureParamSpec {
  name: string;
  description: string;
  required: boolean;
}

/** One figure a key result can be bound to. @public */
export interface FigureSpec {
  source: FigureSource;
  /** Unique within its source, e.g. `leadTimeForChanges`. */
  metric: string;
  label: string;
  /** The unit of the value, as shown beside it (`hours`, `%`, `points`, …). */
  unit: string;
  /** Which way is better; a key result's direction defaults to it. */
  better: Direction;
  /** The scopes the source answers for. */
  scopes: FigureScopeKind[];
  params: FigureParamSpec[];
  /** Where the figure comes from and how it is read, for the form's help text. */
  description: string;
}

const figureSpecSchema = z.strictObject({
  source: z.enum(FIGURE_SOURCES),
  metric: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  label: z.string().min(1).max(100),
  unit: z.string().min(1).max(40),
  better: z.enum(DIRECTIONS),
  scopes: z.array(z.enum(FIGURE_SCOPE_KINDS)).min(1),
  params: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
      description: z.string().min(1),
      required: z.boolean(),
    }),
  ),
  description: z.string().min(1),
});

/** The catalogue is data, checked once when the module loads: a bad entry fails at start, not at a request. */
const figureCatalogueSchema = z
  .array(figureSpecSchema)
  .refine(
    specs =>
      new Set(specs.map(s => `${s.source}/${s.metric}`)).size === specs.length,
    { message: 'source and metric must be unique' },
  );

const ALL_SCOPES: FigureScopeKind[] = ['entity', 'team', 'org'];
const WINDOW = {
  name: 'windowDays',
  description:
    'Days before now the figure is taken over (default 90, at most 365)',
  required: false,
};
const SCORECARD = {
  name: 'scorecardId',
  description: 'The scorecard, e.g. `production-readiness`',
  required: true,
};

/**
 * Every figure a key result can be bound to. Values are read from each area's API at the scope given: DORA and flow
 * pool the entity or what the team (with its child teams) owns over the trailing window; the org is the root group
 * (`goals.orgGroupRef`, else the one group without a parent).
 *
 * @public
 */
export const FIGURE_CATALOGUE: readonly FigureSpec[] =
  figureCatalogueSchema.parse([
    {
      source: 'dora',
      metric: 'deploymentFrequency',
      label: 'Deployment frequency',
      unit: 'deployment days/week',
      better: 'up',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'Median deployment days per week over the window (GET /api/dora/v1/metrics).',
    },
    {
      source: 'dora',
      metric: 'leadTimeForChanges',
      label: 'Lead time for changes',
      unit: 'hours',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description: 'Median lead time for changes over the window, in hours.',
    },
    {
      source: 'dora',
      metric: 'changeFailureRate',
      label: 'Change failure rate',
      unit: '%',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'Share of counted deployments that caused an incident, in percent.',
    },
    {
      source: 'dora',
      metric: 'timeToRestore',
      label: 'Time to restore service',
      unit: 'hours',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description: 'Median time from incident to resolution, in hours.',
    },
    {
      source: 'dora',
      metric: 'reworkRate',
      label: 'Rework rate',
      unit: '%',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'DORA 2024: share of counted deployments that were unplanned fixes, in percent.',
    },
    {
      source: 'dora',
      metric: 'failedDeploymentRecoveryTime',
      label: 'Failed deployment recovery time',
      unit: 'hours',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'DORA 2024: median time from a failed deployment to the resolution of its incidents, in hours.',
    },
    ...(['coding', 'pickup', 'review', 'deploy'] as const).map(part => ({
      source: 'flow' as const,
      metric: `${part}Time`,
      label: `${part[0].toUpperCase()}${part.slice(1)} time`,
      unit: 'hours',
      better: 'down' as const,
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description: `Median ${part} part of the pull requests' cycle time over the window, in hours (GET /api/dora/v1/flow).`,
    })),
    {
      source: 'flow',
      metric: 'unreviewedShare',
      label: 'Merged without review',
      unit: '%',
      better: 'down',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'Share of the pull requests merged in the window without a review, in percent.',
    },
    {
      source: 'scorecards',
      metric: 'levelShare',
      label: 'Entities at or above a level',
      unit: '%',
      better: 'up',
      scopes: ALL_SCOPES,
      params: [
        SCORECARD,
        {
          name: 'levelId',
          description: 'The level, e.g. `silver`',
          required: true,
        },
      ],
      description:
        "Share of the scorecard's entities at the level or a higher one, in percent (an entity: 100 or 0).",
    },
    {
      source: 'scorecards',
      metric: 'averageScore',
      label: 'Average score',
      unit: 'points',
      better: 'up',
      scopes: ALL_SCOPES,
      params: [SCORECARD],
      description: 'Mean scorecard score (0–100) of the entities in scope.',
    },
    {
      source: 'ownership',
      metric: 'coverage',
      label: 'Ownership coverage',
      unit: '%',
      better: 'up',
      scopes: ['team', 'org'],
      params: [],
      description:
        'Share of the entities owned (by the team and its child teams) with no ownership problem, in percent.',
    },
    {
      source: 'postmortems',
      metric: 'coverage',
      label: 'Postmortem coverage',
      unit: '%',
      better: 'up',
      scopes: ALL_SCOPES,
      params: [WINDOW],
      description:
        'Of the qualifying incidents (severity at or above the postmortems area’s minimum) opened in the window whose postmortem is due, the share with a published postmortem, in percent. A team’s figure is what the postmortems area counts for that team; no data while no postmortem is due.',
    },
    {
      source: 'onboarding',
      metric: 'timeToFirstChange',
      label: 'Time to first change',
      unit: 'days',
      better: 'down',
      scopes: ['team'],
      params: [],
      description:
        "Median days from a newcomer's start to their first merged change (time to first value).",
    },
    {
      source: 'onboarding',
      metric: 'timeToFirstDeploy',
      label: 'Time to first deployment',
      unit: 'days',
      better: 'down',
      scopes: ['team'],
      params: [],
      description:
        "Median days from a newcomer's start to their first change in production.",
    },
    {
      source: 'tech-debt',
      metric: 'budgetPaidDown',
      label: 'Debt paid down against the budget',
      unit: '%',
      better: 'up',
      scopes: ['team'],
      params: [
        {
          name: 'quarter',
          description:
            "The budget's quarter, e.g. `2026-Q4` (default: the goal's quarter, or the current one)",
          required: false,
        },
      ],
      description:
        "Effort of the team's debt items resolved in the quarter over the days it reserved for debt, in percent.",
    },
    {
      source: 'tech-debt',
      metric: 'openEffort',
      label: 'Open debt effort',
      unit: 'days',
      better: 'down',
      scopes: ['entity'],
      params: [],
      description: "Estimated effort of the entity's unresolved debt items.",
    },
    {
      source: 'manual',
      metric: 'value',
      label: 'Manual value',
      unit: 'value',
      better: 'up',
      scopes: ALL_SCOPES,
      params: [
        {
          name: 'unit',
          description: 'The unit shown beside the value, e.g. `customers`',
          required: false,
        },
      ],
      description:
        'A value an editor types in when no Vitals figure fits; it is shown as manual everywhere.',
    },
  ]);

/** The catalogue entry of a source and metric, if there is one. @public */
export function findFigureSpec(
  source: string,
  metric: string,
): FigureSpec | undefined {
  return FIGURE_CATALOGUE.find(s => s.source === source && s.metric === metric);
}

/** What a key result is bound to. @public */
export interface FigureDescriptor {
  source: FigureSource;
  metric: string;
  scope: { kind: FigureScopeKind; ref?: string };
  params?: Record<string, string | number>;
}

/** The unit a figure's value is shown in (a manual figure's own unit when it gives one). @public */
export function unitOf(figure: FigureDescriptor): string {
  if (figure.source === 'manual' && typeof figure.params?.unit === 'string') {
    return figure.params.unit;
  }
  return findFigureSpec(figure.source, figure.metric)?.unit ?? '';
}
