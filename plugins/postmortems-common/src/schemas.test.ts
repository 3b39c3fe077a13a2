import { parseInput } from '@vitals/common';
import {
  coverageQuerySchema,
  createActionItemRequestSchema,
  createPostmortemRequestSchema,
  entityFiguresQuerySchema,
  listPostmortemsQuerySchema,
  postmortemTemplateSchema,
  updatePostmortemRequestSchema,
} from './schemas';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
};

describe('request schemas', () => {
  it('normalises refs and authors of a new postmortem', () => {
    expect(
      parseInput(
        createPostmortemRequestSchema,
        {
          incidentId: ' pagerduty:PGR0VU2 ',
          entityRef: 'Component:default/Payments-API',
          authors: ['jonas.berg', 'user:default/jonas.berg', 'guest'],
        },
        'postmortem',
      ),
    ).toEqual({
      incidentId: 'pagerduty:PGR0VU2',
      entityRef: 'component:default/payments-api',
      authors: ['user:default/jonas.berg', 'user:default/guest'],
    });
  });

  it('sorts the timeline by time, keeping the order of entries at the same time', () => {
    const { timeline } = parseInput(
      updatePostmortemRequestSchema,
      {
        version: 2,
        timeline: [
          { at: '2026-11-25T13:00:00+01:00', text: 'second (12:00 UTC)' },
          { at: '2026-11-25T11:00:00Z', text: 'first' },
          { at: '2026-11-25T12:00:00Z', text: 'third' },
        ],
      },
      'update',
    );
    expect(timeline).toEqual([
      { at: '2026-11-25T11:00:00.000Z', text: 'first' },
      { at: '2026-11-25T12:00:00.000Z', text: 'second (12:00 UTC)' },
      { at: '2026-11-25T12:00:00.000Z', text: 'third' },
    ]);
  });

  it('names each bad field', () => {
    expect(
      message(() =>
        parseInput(
          updatePostmortemRequestSchema,
          {
            version: 0,
            status: 'closed',
            timeline: [{ at: 'yesterday', text: 'x' }],
            authors: [],
            extraSections: { summary: 'twice' },
          },
          'postmortem update',
        ),
      ),
    ).toEqual(
      expect.stringMatching(
        /^Invalid postmortem update: version: .*status: .*authors: must name at least one author.*timeline\.0\.at: 'yesterday' is not an ISO 8601 timestamp.*extraSections: must not repeat a built-in section/,
      ),
    );
  });

  it('asks an action item for the impact and effort the register needs, and a real day', () => {
    expect(
      message(() =>
        parseInput(
          createActionItemRequestSchema,
          { title: 'Lock check', category: 'testing', dueDate: '2026-02-30' },
          'action item',
        ),
      ),
    ).toMatch(/impact: .*effortDays: .*dueDate: must be a day that exists/);
    expect(
      parseInput(
        createActionItemRequestSchema,
        {
          title: 'Lock check',
          category: 'testing',
          impact: 4,
          effortDays: 2,
          dueDate: '2026-12-31',
        },
        'action item',
      ),
    ).toMatchObject({ impact: 4, effortDays: 2, dueDate: '2026-12-31' });
  });

  it('reads list filters comma separated and paging in digits only', () => {
    expect(
      parseInput(
        listPostmortemsQuerySchema,
        { status: 'draft,in_review', owner: 'payments', limit: '10' },
        'query',
      ),
    ).toEqual({
      status: ['draft', 'in_review'],
      owner: ['group:default/payments'],
      limit: 10,
      offset: 0,
    });
    expect(
      message(() =>
        parseInput(listPostmortemsQuerySchema, { limit: '1e2' }, 'query'),
      ),
    ).toMatch(/limit: must be a whole number in decimal digits/);
  });

  it('fills the default window of the figures and refuses an empty one', () => {
    const before = Date.now();
    const { from, to } = parseInput(coverageQuerySchema, {}, 'query');
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to - from).toBe(90 * 24 * 60 * 60 * 1000);
    expect(
      parseInput(
        coverageQuerySchema,
        { from: '2026-09-01', to: '2026-12-01T00:00:00+01:00' },
        'query',
      ),
    ).toEqual({
      from: Date.parse('2026-09-01T00:00:00Z'),
      to: Date.parse('2026-11-30T23:00:00Z'),
    });
    expect(
      message(() =>
        parseInput(
          coverageQuerySchema,
          { from: '2026-12-01', to: '2026-12-01' },
          'query',
        ),
      ),
    ).toMatch(/from: must be before to/);
    expect(
      message(() => parseInput(entityFiguresQuerySchema, {}, 'query')),
    ).toMatch(/entityRef/);
  });
});

describe('postmortemTemplateSchema', () => {
  const template = (sections: unknown[]) => ({
    apiVersion: 'vitals/v1',
    kind: 'PostmortemTemplate',
    metadata: { name: 'short', title: 'Short' },
    spec: { sections },
  });

  it('reads sections, their kind, and checks contributing factors for blame by default', () => {
    const parsed = postmortemTemplateSchema.parse(
      template([
        { id: 'summary', title: 'Summary', required: true },
        { id: 'timeline', title: 'Timeline' },
        { id: 'contributingFactors', title: 'Why' },
        { id: 'followUps', title: 'Follow-ups', blamelessCheck: true },
      ]),
    );
    expect(
      parsed.spec.sections.map(s => [
        s.id,
        s.kind,
        s.required,
        s.blamelessCheck,
      ]),
    ).toEqual([
      ['summary', 'text', true, false],
      ['timeline', 'timeline', false, false],
      ['contributingFactors', 'text', false, true],
      ['followUps', 'text', false, true],
    ]);
  });

  it('refuses a section listed twice and a section id it cannot store', () => {
    const result = postmortemTemplateSchema.safeParse(
      template([
        { id: 'summary', title: 'Summary' },
        { id: 'summary', title: 'Again' },
        { id: 'Follow ups', title: 'Bad id' },
      ]),
    );
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map(i => [i.path.join('.'), i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['spec.sections.2.id', expect.stringMatching(/neither a built-in/)],
      ]),
    );
  });
});
