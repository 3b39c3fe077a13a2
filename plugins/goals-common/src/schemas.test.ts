import { parseInput } from '@vitals/common';
import { FIGURE_CATALOGUE, unitOf } from './figures';
import {
  createCampaignRequestSchema,
  createGoalRequestSchema,
  figureDescriptorSchema,
} from './schemas';

const parseFigure = (value: unknown) =>
  parseInput(figureDescriptorSchema, value, 'figure');

describe('figureDescriptorSchema', () => {
  it('accepts a catalogue figure and canonicalises its ref', () => {
    expect(
      parseFigure({
        source: 'dora',
        metric: 'leadTimeForChanges',
        scope: { kind: 'team', ref: 'Payments' },
      }),
    ).toEqual({
      source: 'dora',
      metric: 'leadTimeForChanges',
      scope: { kind: 'team', ref: 'group:default/payments' },
    });
  });

  it('names the field that is wrong', () => {
    expect(() =>
      parseFigure({
        source: 'dora',
        metric: 'velocity',
        scope: { kind: 'org' },
      }),
    ).toThrow("Invalid figure: metric: 'velocity' is not a metric of dora");
    expect(() =>
      parseFigure({ source: 'nope', metric: 'x', scope: { kind: 'org' } }),
    ).toThrow(/Invalid figure: source:/);
    expect(() =>
      parseFigure({
        source: 'onboarding',
        metric: 'timeToFirstChange',
        scope: { kind: 'org' },
      }),
    ).toThrow(
      'Invalid figure: scope.kind: onboarding timeToFirstChange is not measured for org scope (only team)',
    );
    expect(() =>
      parseFigure({
        source: 'dora',
        metric: 'changeFailureRate',
        scope: { kind: 'team', ref: 'component:default/payments-api' },
      }),
    ).toThrow(/scope\.ref: must be a group ref/);
    expect(() =>
      parseFigure({
        source: 'dora',
        metric: 'changeFailureRate',
        scope: { kind: 'org', ref: 'group:default/engineering' },
      }),
    ).toThrow(/scope\.ref: must be left out for the org scope/);
    expect(() =>
      parseFigure({
        source: 'scorecards',
        metric: 'levelShare',
        scope: { kind: 'org' },
        params: { scorecardId: 'production-readiness' },
      }),
    ).toThrow(/params\.levelId: is required/);
    expect(() =>
      parseFigure({
        source: 'dora',
        metric: 'reworkRate',
        scope: { kind: 'org' },
        params: { windowDays: 1000 },
      }),
    ).toThrow(
      /params\.windowDays: must be a whole number of days from 1 to 365/,
    );
    expect(() =>
      parseFigure({
        source: 'ownership',
        metric: 'coverage',
        scope: { kind: 'org' },
        params: { colour: 'red' },
      }),
    ).toThrow(/params\.colour: is not a parameter of ownership coverage/);
  });

  it('gives a manual figure its own unit', () => {
    expect(
      unitOf({
        source: 'manual',
        metric: 'value',
        scope: { kind: 'org' },
        params: { unit: 'customers' },
      }),
    ).toBe('customers');
    expect(
      unitOf({ source: 'flow', metric: 'pickupTime', scope: { kind: 'org' } }),
    ).toBe('hours');
  });

  it('lists every source, each metric once', () => {
    expect(new Set(FIGURE_CATALOGUE.map(f => f.source))).toEqual(
      new Set([
        'dora',
        'flow',
        'scorecards',
        'ownership',
        'onboarding',
        'tech-debt',
        'postmortems',
        'manual',
      ]),
    );
    expect(
      FIGURE_CATALOGUE.filter(f => f.source === 'dora').map(f => f.metric),
    ).toEqual([
      'deploymentFrequency',
      'leadTimeForChanges',
      'changeFailureRate',
      'timeToRestore',
      'reworkRate',
      'failedDeploymentRecoveryTime',
    ]);
  });
});

describe('createGoalRequestSchema', () => {
  const figure = {
    source: 'dora',
    metric: 'deploymentFrequency',
    scope: { kind: 'team', ref: 'group:default/payments' },
  };

  it('refuses typed-in values for a live figure and wants a baseline for a manual one', () => {
    expect(() =>
      parseInput(
        createGoalRequestSchema,
        {
          objective: 'Ship more often',
          keyResults: [
            { title: 'Deploy days', figure, target: 4, baseline: 1 },
          ],
        },
        'goal',
      ),
    ).toThrow(
      'Invalid goal: keyResults.0.baseline: is read from the figure, not typed in',
    );
    expect(() =>
      parseInput(
        createGoalRequestSchema,
        {
          objective: 'Win customers',
          keyResults: [
            {
              title: 'Pilot customers',
              figure: {
                source: 'manual',
                metric: 'value',
                scope: { kind: 'org' },
              },
              target: 5,
            },
          ],
        },
        'goal',
      ),
    ).toThrow(
      'Invalid goal: keyResults.0.baseline: is required for a manual key result',
    );
  });

  it('refuses a period that is not a quarter, half or year', () => {
    expect(() =>
      parseInput(
        createGoalRequestSchema,
        {
          objective: 'x',
          period: 'Q4',
          keyResults: [{ title: 't', figure, target: 3 }],
        },
        'goal',
      ),
    ).toThrow(/period: must be a quarter like 2026-Q4/);
  });
});

describe('createCampaignRequestSchema', () => {
  it('fills the defaults and wants at least one selection criterion', () => {
    const parsed = parseInput(
      createCampaignRequestSchema,
      {
        name: 'TechDocs everywhere',
        checks: [{ scorecardId: 'production-readiness', checkId: 'has-docs' }],
        selection: { kind: ['Component'] },
        deadline: '2026-12-15',
      },
      'campaign',
    );
    expect(parsed).toMatchObject({
      reminderDaysBefore: [14, 7, 1],
      effortDaysPerEntity: null,
      description: '',
    });
    expect(() =>
      parseInput(
        createCampaignRequestSchema,
        { ...parsed, selection: {} },
        'campaign',
      ),
    ).toThrow(/selection: must name at least one criterion/);
    expect(() =>
      parseInput(
        createCampaignRequestSchema,
        { ...parsed, deadline: '15/12/2026' },
        'campaign',
      ),
    ).toThrow(/deadline: must be a date like 2026-12-15/);
  });
});
