import { describeZodError } from '@vitals/common';
import {
  confirmRequestSchema,
  entityPathSegmentSchema,
  exportProblemsQuerySchema,
  facetsQuerySchema,
  listGroupsQuerySchema,
  reportProblemsQuerySchema,
  reportSummaryQuerySchema,
} from './schemas';

function errorOf(
  schema: { safeParse: (v: unknown) => any },
  value: unknown,
): string {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return describeZodError(result.error);
}

describe('ownership request schemas', () => {
  it('normalises filters: kinds lower case, refs in the one canonical form', () => {
    expect(
      reportSummaryQuerySchema.parse({
        kind: 'Component,API',
        system: 'Payments',
        team: 'Group:default/Payments',
      }),
    ).toEqual({
      kind: ['component', 'api'],
      system: ['system:default/payments'],
      team: 'group:default/payments',
    });
  });

  it.each([
    [reportSummaryQuerySchema, { team: 'group:default/a\u0000b' }, 'team'],
    [
      reportSummaryQuerySchema,
      { team: `group:default/${'x'.repeat(300)}` },
      'team',
    ],
    [
      reportSummaryQuerySchema,
      { system: 'system:default/a\u0000' },
      'system.0',
    ],
    [
      reportSummaryQuerySchema,
      { kind: Array.from({ length: 101 }, () => 'component').join(',') },
      'kind',
    ],
    [reportProblemsQuerySchema, { limit: '1001' }, 'limit'],
    [reportProblemsQuerySchema, { offset: '1000001' }, 'offset'],
    [reportProblemsQuerySchema, { problem: 'vibes' }, 'problem'],
    [listGroupsQuerySchema, { limit: '0' }, 'limit'],
    [confirmRequestSchema, { comment: 'x'.repeat(1001) }, 'comment'],
    [confirmRequestSchema, { comment: 'nul \u0000' }, 'comment'],
  ])('names the bad field (%#)', (schema, value, field) => {
    expect(errorOf(schema, value)).toMatch(new RegExp(`^${field}: `));
  });

  it('keeps line breaks in a comment and refuses path segments the catalog would not name', () => {
    expect(
      confirmRequestSchema.parse({
        comment: ' Still ours.\nRunbook updated. ',
      }),
    ).toEqual({ comment: 'Still ours.\nRunbook updated.' });
    expect(entityPathSegmentSchema.safeParse('payments-api').success).toBe(
      true,
    );
    expect(entityPathSegmentSchema.safeParse("' or 1=1").success).toBe(false);
    expect(entityPathSegmentSchema.safeParse('a\u0000').success).toBe(false);
  });

  it('takes limit and offset written in digits only, as the spec says integer', () => {
    expect(listGroupsQuerySchema.parse({})).toEqual({ limit: 100, offset: 0 });
    expect(
      reportProblemsQuerySchema.parse({ limit: '25', offset: '50' }),
    ).toMatchObject({ limit: 25, offset: 50 });
    expect(listGroupsQuerySchema.parse({ limit: 7 })).toMatchObject({
      limit: 7,
    });
    for (const limit of ['1e2', '0x10', ' 5', '5.0', '+5', '', '-1', 7.5]) {
      expect({
        limit,
        error: errorOf(listGroupsQuerySchema, { limit }),
      }).toEqual({ limit, error: expect.stringMatching(/^limit: /) });
    }
  });

  it('refuses paging on the export and any query on the facets', () => {
    expect(
      exportProblemsQuerySchema.parse({ problem: 'no-owner', kind: 'API' }),
    ).toEqual({ problem: 'no-owner', kind: ['api'] });
    expect(errorOf(exportProblemsQuerySchema, { limit: '10' })).toMatch(
      /limit/,
    );
    expect(facetsQuerySchema.parse({})).toEqual({});
    expect(errorOf(facetsQuerySchema, { kind: 'component' })).toMatch(/kind/);
  });
});
