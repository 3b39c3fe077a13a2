import { checkBlamelessWording, checkPostmortemWording } from './blameless';

const people = [
  { name: 'maria.santos', displayName: 'Maria Santos' },
  { name: 'jonas.berg', displayName: 'Jonas Berg' },
];

const flagged = (text: string) =>
  checkBlamelessWording(text, { section: 'contributingFactors', people }).map(
    w => [w.kind, w.match],
  );

describe('checkBlamelessWording', () => {
  it('flags the names of the people given, whole and by first name, in any case for whole names', () => {
    expect(
      flagged(
        'maria santos ran the migration; Jonas reviewed it. jonas.berg approved.',
      ),
    ).toEqual([
      ['person', 'maria santos'],
      ['person', 'Jonas'],
      ['person', 'jonas.berg'],
    ]);
  });

  it('reads a first name written in lower case as an ordinary word', () => {
    // "maria" alone, lower case, is not flagged: first names are only matched capitalised.
    expect(flagged('the maria database replica lagged')).toEqual([]);
  });

  it('flags @handles but not e-mail addresses', () => {
    expect(
      flagged(
        'Paged @maria.santos and mailed oncall@example.com, then @ops-lead.',
      ),
    ).toEqual([
      ['handle', '@maria.santos'],
      ['handle', '@ops-lead'],
    ]);
  });

  it('flags personal pronouns and words of blame, and gives where and why', () => {
    const [pronoun, blame] = checkBlamelessWording(
      'He deployed on Friday. Human error.',
      { section: 'contributingFactors' },
    );
    expect(pronoun).toMatchObject({
      section: 'contributingFactors',
      kind: 'pronoun',
      match: 'He',
      start: 0,
      end: 2,
    });
    expect(pronoun.message).toMatch(/conditions/);
    expect(blame).toMatchObject({ kind: 'blame', match: 'Human error' });
  });

  it('reports an overlap once, the name before the handle inside it', () => {
    expect(flagged('@Maria Santos should have checked')).toEqual([
      ['person', 'Maria Santos'],
      ['blame', 'should have'],
    ]);
  });

  it('does not flag words that merely contain a pronoun or a name', () => {
    expect(
      flagged(
        'The scheduler showed there were other herds; Mariastrasse is a street.',
      ),
    ).toEqual([]);
  });

  it('says nothing about a text written about the system', () => {
    expect(
      flagged(
        'The migration tool takes a table lock by default and nothing in CI shows it.',
      ),
    ).toEqual([]);
  });
});

describe('checkPostmortemWording', () => {
  it('checks the sections the template marks, timeline entry by entry', () => {
    const warnings = checkPostmortemWording(
      {
        summary: 'He wrote the summary.',
        contributingFactors: 'Maria Santos forgot to check.',
        timeline: [
          { at: '2026-11-25T12:00:00.000Z', text: 'Alert fires.' },
          { at: '2026-11-25T12:05:00.000Z', text: '@jonas acks.' },
        ],
        extraSections: { followUps: 'She will fix it.' },
      },
      [
        { id: 'summary', blamelessCheck: false },
        { id: 'contributingFactors', blamelessCheck: true },
        { id: 'timeline', blamelessCheck: true },
        { id: 'followUps', blamelessCheck: true },
      ],
      people,
    );
    expect(
      warnings.map(w => [w.section, w.entry ?? null, w.kind, w.match]),
    ).toEqual([
      ['contributingFactors', null, 'person', 'Maria Santos'],
      ['contributingFactors', null, 'blame', 'forgot to'],
      ['timeline', 1, 'handle', '@jonas'],
      ['followUps', null, 'pronoun', 'She'],
    ]);
  });
});
