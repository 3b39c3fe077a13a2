import { describeZodError } from '@vitals/common';
import {
  budgetQuerySchema,
  createItemRequestSchema,
  deleteItemQuerySchema,
  incidentIdSchema,
  linkIncidentRequestSchema,
  listItemsQuerySchema,
  putBudgetRequestSchema,
  quarterSchema,
  repeatIncidentsQuerySchema,
  summaryQuerySchema,
  TECH_DEBT_LIMITS,
  updateItemRequestSchema,
} from './schemas';
import { computePriority } from './priority';
import { DEBT_ITEM_ORDER_FIELDS, defaultSortOrder } from './types';

const valid = {
  entityRef: 'component:default/payments-api',
  title: 'Rotate the staging key',
  category: 'security',
  impact: 5,
  effortDays: 1,
};

function errorOf(
  schema: { safeParse: (v: unknown) => any },
  value: unknown,
): string {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return describeZodError(result.error);
}

describe('createItemRequestSchema', () => {
  it('fills defaults and normalises refs and tags', () => {
    const parsed = createItemRequestSchema.parse({
      ...valid,
      entityRef: 'Component:default/Payments-API',
      assignee: 'jane',
      tags: ['Security', 'security', ' ci '],
    });
    expect(parsed).toMatchObject({
      entityRef: 'component:default/payments-api',
      status: 'open',
      description: '',
      assignee: 'user:default/jane',
      tags: ['security', 'ci'],
    });
  });

  it.each([
    [{ effortDays: 0 }, 'effortDays'],
    [{ impact: 6 }, 'impact'],
    [{ impact: 2.5 }, 'impact'],
    [{ category: 'vibes' }, 'category'],
    [{ status: 'done' }, 'status'],
    [{ title: '   ' }, 'title'],
    [{ trackerUrl: 'ftp://files.example.com/x' }, 'trackerUrl'],
    [{ interestHoursPerMonth: -1 }, 'interestHoursPerMonth'],
    [{ priority: 9 }, 'priority'],
    // Bounds: the smallest double made the priority Infinity.
    [{ effortDays: 5e-324 }, 'effortDays'],
    [{ effortDays: 0.05 }, 'effortDays'],
    [{ effortDays: 1000.5 }, 'effortDays'],
    [{ interestHoursPerMonth: 1001 }, 'interestHoursPerMonth'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'null\u0000byte' }, 'title'],
    [{ description: 'x'.repeat(20_001) }, 'description'],
    [{ description: 'nul \u0000' }, 'description'],
    [{ tags: ['x'.repeat(51)] }, 'tags.0'],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    [{ tags: ['bell\u0007'] }, 'tags.0'],
    [{ entityRef: `component:default/${'x'.repeat(300)}` }, 'entityRef'],
    [{ entityRef: 'component:default/a\u0000b' }, 'entityRef'],
    [{ assignee: `user:default/${'x'.repeat(300)}` }, 'assignee'],
    [{ trackerUrl: 'https://tracker.example.com/\u0000' }, 'trackerUrl'],
  ])('names the bad field in %j', (patch, field) => {
    expect(errorOf(createItemRequestSchema, { ...valid, ...patch })).toMatch(
      new RegExp(`(^|; )${field}|"${field}"`),
    );
  });

  it('accepts the bounds themselves, and every accepted item has a finite priority', () => {
    const L = TECH_DEBT_LIMITS;
    for (const effortDays of [L.minEffortDays, L.maxEffortDays]) {
      for (const interestHoursPerMonth of [0, L.maxInterestHoursPerMonth]) {
        for (const impact of [L.minImpact, L.maxImpact]) {
          const item = createItemRequestSchema.parse({
            ...valid,
            impact,
            effortDays,
            interestHoursPerMonth,
          });
          expect(Number.isFinite(computePriority(item))).toBe(true);
        }
      }
    }
    expect(
      computePriority({
        impact: 5,
        effortDays: L.minEffortDays,
        interestHoursPerMonth: L.maxInterestHoursPerMonth,
      }),
    ).toBe(1300);
    expect(() => computePriority({ impact: 5, effortDays: 5e-324 })).toThrow(
      RangeError,
    );
    expect(() => computePriority({ impact: 5, effortDays: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('updateItemRequestSchema', () => {
  it('requires the version the edit is based on', () => {
    expect(errorOf(updateItemRequestSchema, { title: 'x' })).toContain(
      'version',
    );
    expect(
      updateItemRequestSchema.parse({ version: 3, status: 'resolved' }),
    ).toEqual({ version: 3, status: 'resolved' });
  });

  it('bounds the version to what the database stores and the numbers like a new item', () => {
    expect(errorOf(updateItemRequestSchema, { version: 2 ** 31 })).toMatch(
      /^version: /,
    );
    expect(
      errorOf(updateItemRequestSchema, { version: 1, effortDays: 5e-324 }),
    ).toMatch(/^effortDays: /);
  });
});

describe('deleteItemQuerySchema', () => {
  it('requires one whole version within the stored range', () => {
    expect(deleteItemQuerySchema.parse({ version: '4' })).toEqual({
      version: 4,
    });
    expect(errorOf(deleteItemQuerySchema, {})).toBe(
      'version: is required: send the version of the item you are deleting',
    );
    expect(errorOf(deleteItemQuerySchema, { version: 'abc' })).toMatch(
      /^version: /,
    );
    expect(errorOf(deleteItemQuerySchema, { version: ['1', '2'] })).toMatch(
      /^version: /,
    );
    expect(errorOf(deleteItemQuerySchema, { version: '0' })).toMatch(
      /^version: /,
    );
    expect(errorOf(deleteItemQuerySchema, { version: '2147483648' })).toMatch(
      /^version: /,
    );
  });
});

describe('budgets', () => {
  it('bounds capacity, share and the quarter', () => {
    expect(
      putBudgetRequestSchema.parse({ capacityDays: 100, sharePercent: 20 }),
    ).toEqual({ capacityDays: 100, sharePercent: 20 });
    expect(
      errorOf(putBudgetRequestSchema, {
        capacityDays: 5e-324,
        sharePercent: 20,
      }),
    ).toMatch(/^capacityDays: /);
    expect(
      errorOf(putBudgetRequestSchema, {
        capacityDays: 100_001,
        sharePercent: 20,
      }),
    ).toMatch(/^capacityDays: /);
    expect(
      errorOf(putBudgetRequestSchema, {
        capacityDays: 10,
        sharePercent: 100.5,
      }),
    ).toMatch(/^sharePercent: /);
    expect(
      errorOf(putBudgetRequestSchema, {
        capacityDays: 10,
        sharePercent: 1,
        version: 2 ** 31,
      }),
    ).toMatch(/^version: /);
    expect(quarterSchema.parse('1970-Q1')).toBe('1970-Q1');
    expect(quarterSchema.parse('2099-Q4')).toBe('2099-Q4');
    for (const quarter of [
      '1969-Q4',
      '2100-Q1',
      '0000-Q1',
      '9999-Q4',
      '2026-Q5',
    ]) {
      expect(quarterSchema.safeParse(quarter).success).toBe(false);
    }
    expect(
      errorOf(budgetQuerySchema, {
        groupRef: `group:default/${'x'.repeat(300)}`,
      }),
    ).toMatch(/^groupRef: /);
    expect(
      errorOf(summaryQuerySchema, { entityRef: 'component:default/a\u0000' }),
    ).toMatch(/^entityRef: /);
  });
});

describe('listItemsQuerySchema', () => {
  it('reads comma-separated and repeated filters, and defaults to priority order', () => {
    const q = listItemsQuerySchema.parse({
      status: 'open,planned',
      category: ['code', 'testing'],
      limit: '50',
    });
    expect(q).toMatchObject({
      status: ['open', 'planned'],
      category: ['code', 'testing'],
      limit: 50,
      offset: 0,
      orderBy: 'priority',
    });
  });

  it('sorts by the fields of DEBT_ITEM_ORDER_FIELDS only, title A to Z and the others highest first by default', () => {
    for (const orderBy of DEBT_ITEM_ORDER_FIELDS) {
      expect(listItemsQuerySchema.parse({ orderBy }).orderBy).toBe(orderBy);
    }
    expect(errorOf(listItemsQuerySchema, { orderBy: 'ownerRef' })).toMatch(
      /^orderBy: /,
    );
    expect(errorOf(listItemsQuerySchema, { order: 'up' })).toMatch(/^order: /);
    expect(
      Object.fromEntries(
        DEBT_ITEM_ORDER_FIELDS.map(field => [field, defaultSortOrder(field)]),
      ),
    ).toEqual({
      priority: 'desc',
      impact: 'desc',
      effortDays: 'desc',
      updatedAt: 'desc',
      createdAt: 'desc',
      title: 'asc',
      // The most incidents first.
      measuredInterest: 'desc',
    });
  });

  it('rejects limits beyond 1000', () => {
    expect(errorOf(listItemsQuerySchema, { limit: '5000' })).toContain('limit');
  });

  it('bounds list filters, search and tag', () => {
    const refs = Array.from(
      { length: 101 },
      (_, i) => `component:default/c${i}`,
    ).join(',');
    expect(errorOf(listItemsQuerySchema, { entityRef: refs })).toMatch(
      /^entityRef: /,
    );
    expect(errorOf(listItemsQuerySchema, { search: 'x'.repeat(201) })).toMatch(
      /^search: /,
    );
    expect(errorOf(listItemsQuerySchema, { search: 'a\u0000' })).toMatch(
      /^search: /,
    );
    expect(errorOf(listItemsQuerySchema, { tag: 'a\u0000' })).toMatch(/^tag: /);
    expect(errorOf(listItemsQuerySchema, { offset: '1000001' })).toMatch(
      /^offset: /,
    );
  });
});

describe('linkIncidentRequestSchema', () => {
  const link = {
    entityRef: 'Component:payments-api',
    createdAt: '2026-11-30T10:00:00+01:00',
  };

  it('reads times with a zone as UTC, normalises the entity and fills null for what is left out', () => {
    expect(linkIncidentRequestSchema.parse(link)).toEqual({
      entityRef: 'component:default/payments-api',
      createdAt: '2026-11-30T09:00:00.000Z',
      resolvedAt: null,
      severity: null,
      restoreMinutes: null,
      postmortemId: null,
      postmortemUrl: null,
      title: null,
    });
    expect(
      linkIncidentRequestSchema.parse({
        ...link,
        resolvedAt: '2026-11-30T09:45:00Z',
        restoreMinutes: 45,
        severity: ' SEV2 ',
      }),
    ).toMatchObject({
      resolvedAt: '2026-11-30T09:45:00.000Z',
      restoreMinutes: 45,
      severity: 'SEV2',
    });
  });

  it('refuses times without a zone or out of range, a resolution before the start, and restore minutes of an ongoing incident', () => {
    expect(
      errorOf(linkIncidentRequestSchema, {
        ...link,
        createdAt: '2026-11-30T10:00:00',
      }),
    ).toMatch(/^createdAt: must be an ISO 8601 date-time with a zone/);
    expect(
      errorOf(linkIncidentRequestSchema, {
        ...link,
        createdAt: '2100-01-01T00:00:00Z',
      }),
    ).toBe('createdAt: must be from 1970-01-01 and before 2100-01-01');
    expect(
      errorOf(linkIncidentRequestSchema, {
        ...link,
        resolvedAt: '2026-11-30T08:59:59Z',
      }),
    ).toBe('resolvedAt: must not be before createdAt');
    expect(
      errorOf(linkIncidentRequestSchema, { ...link, restoreMinutes: 5 }),
    ).toBe(
      'restoreMinutes: must be null while the incident is ongoing (resolvedAt is null)',
    );
    expect(
      errorOf(linkIncidentRequestSchema, {
        ...link,
        postmortemUrl: 'javascript:alert(1)', // eslint-disable-line no-script-url
      }),
    ).toMatch(/^postmortemUrl:/);
    expect(
      errorOf(linkIncidentRequestSchema, { ...link, linkedBy: 'me' }),
    ).toMatch(/linkedBy/);
  });

  it('bounds the incident id as DORA does', () => {
    expect(
      incidentIdSchema.safeParse('x'.repeat(TECH_DEBT_LIMITS.incidentIdLength))
        .success,
    ).toBe(true);
    expect(
      incidentIdSchema.safeParse(
        'x'.repeat(TECH_DEBT_LIMITS.incidentIdLength + 1),
      ).success,
    ).toBe(false);
    expect(incidentIdSchema.safeParse('').success).toBe(false);
    expect(incidentIdSchema.safeParse('pagerduty:PGR0VU2').success).toBe(true);
  });
});

describe('repeatIncidentsQuerySchema', () => {
  it('defaults to 90 days and two incidents, and takes a list of owners', () => {
    expect(repeatIncidentsQuerySchema.parse({})).toEqual({
      days: 90,
      minIncidents: 2,
    });
    expect(
      repeatIncidentsQuerySchema.parse({
        owner: 'payments,group:default/storefront',
        days: '30',
        minIncidents: '3',
      }),
    ).toEqual({
      owner: ['group:default/payments', 'group:default/storefront'],
      days: 30,
      minIncidents: 3,
    });
    expect(errorOf(repeatIncidentsQuerySchema, { days: '0' })).toMatch(
      /^days:/,
    );
    expect(
      errorOf(repeatIncidentsQuerySchema, { owner: 'component:default/x' }),
    ).toMatch(/^owner/);
  });
});
