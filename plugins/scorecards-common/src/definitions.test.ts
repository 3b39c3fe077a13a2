import {
  parseScorecardDefinitions,
  ScorecardDefinitionError,
} from './definitions';

const valid = () => ({
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Owner',
      fact: 'catalog.hasOwner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'debt',
      title: 'Debt',
      fact: 'techDebt.openCount',
      operator: '<=',
      threshold: 5,
      level: 'silver',
    },
  ],
});

function problemsOf(
  definition: unknown,
  source = 'app-config scorecards.definitions[0]',
): string[] {
  try {
    parseScorecardDefinitions([{ source, definition }]);
  } catch (error) {
    expect(error).toBeInstanceOf(ScorecardDefinitionError);
    return (error as ScorecardDefinitionError).problems;
  }
  throw new Error('expected the definition to be rejected');
}

describe('parseScorecardDefinitions', () => {
  it('accepts a valid definition', () => {
    expect(
      parseScorecardDefinitions([{ source: 's', definition: valid() }]),
    ).toEqual([valid()]);
  });

  it('names the source, scorecard, check and field of a bad threshold', () => {
    const card = valid();
    (card.checks[1] as any).threshold = 'five';
    expect(problemsOf(card)).toEqual([
      "app-config scorecards.definitions[0]: scorecard 'prod', check 'debt', field 'threshold': must be a number for operator '<='",
    ]);
  });

  it('rejects an unknown operator, a missing field and an unknown field', () => {
    const card = valid() as any;
    card.checks[0].operator = '~=';
    delete card.checks[1].fact;
    card.checks[1].treshold = 3;
    const problems = problemsOf(card, 'examples/scorecards.yaml scorecards[0]');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "scorecard 'prod', check 'owner', field 'operator': must be one of == != < <= > >= exists contains matches",
        ),
        expect.stringMatching(/scorecard 'prod', check 'debt', field 'fact': /),
        expect.stringContaining(
          "scorecard 'prod', check 'debt', field 'treshold': unknown field",
        ),
      ]),
    );
    expect(
      problems.every(p =>
        p.startsWith('examples/scorecards.yaml scorecards[0]: '),
      ),
    ).toBe(true);
  });

  it('rejects a check on a level the scorecard does not have', () => {
    const card = valid();
    card.checks[1].level = 'platinum';
    expect(problemsOf(card)).toEqual([
      "app-config scorecards.definitions[0]: scorecard 'prod', check 'debt', field 'level': 'platinum' is not a level of this scorecard (levels: bronze, silver)",
    ]);
  });

  it('rejects an invalid regular expression, a threshold on exists, and duplicate ids', () => {
    const card = valid() as any;
    card.checks.push({
      id: 'runbook',
      title: 'R',
      fact: 'catalog.runbookUrl',
      operator: 'matches',
      threshold: '([',
      level: 'bronze',
    });
    card.checks.push({
      id: 'owner',
      title: 'Dup',
      fact: 'x',
      operator: 'exists',
      threshold: true,
      level: 'bronze',
    });
    const problems = problemsOf(card);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "check 'runbook', field 'threshold': is not a valid regular expression",
        ),
        expect.stringContaining(
          "check 'owner', field 'threshold': must be left out for operator 'exists'",
        ),
        expect.stringContaining(
          "check 'owner', field 'id': duplicate check id 'owner'",
        ),
      ]),
    );
  });

  it('names a scorecard without an id by its position, and requires levels and checks', () => {
    expect(problemsOf({ title: 'x', levels: [], checks: [] })).toEqual(
      expect.arrayContaining([
        expect.stringContaining("scorecard #1, field 'id': "),
        expect.stringContaining(
          "scorecard #1, field 'levels': needs at least one level",
        ),
        expect.stringContaining(
          "scorecard #1, field 'checks': needs at least one check",
        ),
      ]),
    );
  });

  it('rejects the same scorecard id in two sources', () => {
    expect(() =>
      parseScorecardDefinitions([
        { source: 'a.yaml', definition: valid() },
        { source: 'b.yaml', definition: valid() },
      ]),
    ).toThrow(
      "b.yaml: scorecard 'prod', field 'id': duplicate scorecard id, also defined in a.yaml",
    );
  });
});
