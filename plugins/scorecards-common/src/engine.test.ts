import {
  compareFact,
  evaluateScorecard,
  isWaiverActive,
  NO_DATA,
  scorecardAppliesTo,
  WaiverForEvaluation,
} from './engine';
import { CheckOperator, ScorecardDefinition } from './types';

const check = (operator: CheckOperator, threshold?: unknown) =>
  ({ operator, threshold } as Parameters<typeof compareFact>[0]);

describe('compareFact', () => {
  it.each([
    ['==', true, true, true],
    ['==', false, true, false],
    ['==', 'production', 'production', true],
    ['==', 'experimental', 'production', false],
    ['==', 3, 3, true],
    ['!=', 'production', 'production', false],
    ['!=', 'deprecated', 'production', true],
    ['<', 4, 5, true],
    ['<', 5, 5, false],
    ['<=', 5, 5, true],
    ['<=', 6, 5, false],
    ['>', 6, 5, true],
    ['>', 5, 5, false],
    ['>=', 5, 5, true],
    ['>=', 4, 5, false],
    ['contains', ['a', 'b'], 'b', true],
    ['contains', ['a'], 'b', false],
    ['contains', 'hello world', 'world', true],
    ['matches', 'https://runbooks.example.com/x', '^https://runbooks\\.', true],
    ['matches', 'http://elsewhere', '^https://runbooks\\.', false],
    ['matches', ['go', 'java'], '^ja', true],
  ] as const)(
    '%s: %j against %j passes: %s',
    (operator, value, threshold, passes) => {
      const outcome = compareFact(check(operator, threshold), value as never);
      expect(outcome.passed).toBe(passes);
      expect(outcome.score === 100).toBe(passes);
      expect(outcome.message === null).toBe(passes);
    },
  );

  it('exists: false is a value, empty text and empty lists are not', () => {
    expect(compareFact(check('exists'), false).passed).toBe(true);
    expect(compareFact(check('exists'), 0).passed).toBe(true);
    expect(compareFact(check('exists'), 'x').passed).toBe(true);
    expect(compareFact(check('exists'), '  ')).toEqual({
      passed: false,
      score: 0,
      message: NO_DATA,
    });
    expect(compareFact(check('exists'), []).passed).toBe(false);
    expect(compareFact(check('exists'), null).passed).toBe(false);
  });

  it('fails a missing fact with "no data" for every operator, without throwing', () => {
    for (const operator of [
      '==',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      'contains',
      'matches',
    ] as const) {
      expect(compareFact(check(operator, 1), undefined)).toEqual({
        passed: false,
        score: 0,
        message: NO_DATA,
      });
      expect(compareFact(check(operator, 1), null)).toEqual({
        passed: false,
        score: 0,
        message: NO_DATA,
      });
    }
  });

  it('gives numeric partial credit by distance to the threshold', () => {
    expect(compareFact(check('<=', 5), 8)).toEqual({
      passed: false,
      score: 40,
      message: '8 is not <= 5',
    });
    expect(compareFact(check('<=', 5), 10).score).toBe(0);
    expect(compareFact(check('<=', 5), 50).score).toBe(0);
    expect(compareFact(check('>=', 4), 3).score).toBe(75);
    expect(compareFact(check('>', 4), 4).score).toBe(99);
    expect(compareFact(check('<', 0), 0.5).score).toBe(50);
    expect(compareFact(check('<=', 0), 1).score).toBe(0);
  });

  it('gives contains with a list the share of values present', () => {
    const outcome = compareFact(check('contains', ['a', 'b', 'c', 'd']), [
      'a',
      'c',
      'x',
    ]);
    expect(outcome).toEqual({
      passed: false,
      score: 50,
      message: 'missing [b, d]',
    });
  });

  it('fails a value of the wrong type with a message instead of throwing', () => {
    expect(compareFact(check('>=', 1), 'many')).toMatchObject({
      passed: false,
      message: "expected a number, got 'many'",
    });
    expect(compareFact(check('contains', 'x'), 3)).toMatchObject({
      passed: false,
      score: 0,
    });
  });
});

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Owner',
      fact: 'owner',
      operator: 'exists',
      level: 'bronze',
    },
    {
      id: 'docs',
      title: 'Docs',
      fact: 'docs',
      operator: '==',
      threshold: true,
      level: 'silver',
    },
    {
      id: 'debt',
      title: 'Debt',
      fact: 'debt',
      operator: '<=',
      threshold: 5,
      level: 'silver',
    },
    { id: 'adr', title: 'ADR', fact: 'adr', operator: 'exists', level: 'gold' },
  ],
};

const NOW = new Date('2026-11-26T12:00:00Z');
const waiver = (
  checkId: string,
  expiresAt: string,
  revokedAt: string | null = null,
): WaiverForEvaluation => ({
  id: `w-${checkId}`,
  checkId,
  reason: 'Migrating this quarter',
  expiresAt,
  createdBy: 'user:default/alice',
  revokedAt,
});

describe('evaluateScorecard', () => {
  it('reaches the highest level whose checks and all lower levels pass', () => {
    const all = evaluateScorecard(
      CARD,
      { owner: 'team', docs: true, debt: 1, adr: 'docs/adr' },
      { now: NOW },
    );
    expect(all).toMatchObject({ levelId: 'gold', levelIndex: 2, score: 100 });

    const silver = evaluateScorecard(
      CARD,
      { owner: 'team', docs: true, debt: 5 },
      { now: NOW },
    );
    expect(silver).toMatchObject({
      levelId: 'silver',
      levelIndex: 1,
      score: 75,
    });
  });

  it('does not reach a higher level when a lower one fails, even if the higher checks pass', () => {
    const result = evaluateScorecard(
      CARD,
      { owner: 'team', docs: false, debt: 1, adr: 'docs/adr' },
      { now: NOW },
    );
    expect(result).toMatchObject({ levelId: 'bronze', levelIndex: 0 });
    const none = evaluateScorecard(
      CARD,
      { docs: true, debt: 1, adr: 'docs/adr' },
      { now: NOW },
    );
    expect(none).toMatchObject({ levelId: null, levelIndex: -1, score: 75 });
  });

  it('scores the mean of the check scores, with partial credit', () => {
    // owner 100, docs 0, debt 8 <= 5 → 40, adr 0 → 35
    const result = evaluateScorecard(
      CARD,
      { owner: 'team', docs: false, debt: 8 },
      { now: NOW },
    );
    expect(result.score).toBe(35);
    expect(result.checks.find(c => c.checkId === 'adr')).toEqual({
      checkId: 'adr',
      value: null,
      passed: false,
      score: 0,
      message: NO_DATA,
      waiver: null,
    });
  });

  it('counts an active waiver as passing for the level and the score, and shows it', () => {
    const result = evaluateScorecard(
      CARD,
      { owner: 'team', docs: false, debt: 1 },
      {
        now: NOW,
        waivers: [waiver('docs', '2026-12-31T00:00:00Z')],
      },
    );
    expect(result).toMatchObject({ levelId: 'silver', score: 75 });
    const docs = result.checks.find(c => c.checkId === 'docs')!;
    expect(docs.passed).toBe(false);
    expect(docs.waiver).toEqual({
      id: 'w-docs',
      reason: 'Migrating this quarter',
      expiresAt: '2026-12-31T00:00:00Z',
      createdBy: 'user:default/alice',
    });
  });

  it('ignores expired and withdrawn waivers', () => {
    const expired = evaluateScorecard(
      CARD,
      { owner: 'team', docs: false, debt: 1 },
      {
        now: NOW,
        waivers: [waiver('docs', '2026-11-26T11:59:59Z')],
      },
    );
    expect(expired).toMatchObject({ levelId: 'bronze' });
    expect(expired.checks.find(c => c.checkId === 'docs')!.waiver).toBeNull();

    const revoked = evaluateScorecard(
      CARD,
      { owner: 'team', docs: false, debt: 1 },
      {
        now: NOW,
        waivers: [
          waiver('docs', '2026-12-31T00:00:00Z', '2026-11-20T00:00:00Z'),
        ],
      },
    );
    expect(revoked).toMatchObject({ levelId: 'bronze' });
  });

  it('treats a waiver as applying until the instant it expires', () => {
    expect(isWaiverActive({ expiresAt: '2026-11-26T12:00:01Z' }, NOW)).toBe(
      true,
    );
    expect(isWaiverActive({ expiresAt: '2026-11-26T12:00:00Z' }, NOW)).toBe(
      false,
    );
  });
});

describe('scorecardAppliesTo', () => {
  const entity = {
    kind: 'Component',
    metadata: { namespace: 'default', tags: ['java', 'critical'] },
    spec: { type: 'service', lifecycle: 'production', system: 'payments' },
  };

  it('matches every criterion case-insensitively', () => {
    expect(scorecardAppliesTo(undefined, entity)).toBe(true);
    expect(
      scorecardAppliesTo(
        {
          kind: ['component'],
          type: ['Service', 'website'],
          lifecycle: ['production'],
          tags: ['CRITICAL'],
          system: ['system:default/payments'],
        },
        entity,
      ),
    ).toBe(true);
    expect(scorecardAppliesTo({ system: ['payments'] }, entity)).toBe(true);
  });

  it('rejects an entity that misses one criterion', () => {
    expect(scorecardAppliesTo({ kind: ['API'] }, entity)).toBe(false);
    expect(scorecardAppliesTo({ type: ['website'] }, entity)).toBe(false);
    expect(scorecardAppliesTo({ lifecycle: ['experimental'] }, entity)).toBe(
      false,
    );
    expect(scorecardAppliesTo({ tags: ['go'] }, entity)).toBe(false);
    expect(scorecardAppliesTo({ system: ['storefront'] }, entity)).toBe(false);
    expect(
      scorecardAppliesTo(
        { system: ['payments'] },
        { ...entity, spec: { type: 'service' } },
      ),
    ).toBe(false);
  });
});
