import { describeZodError } from '@vitals/common';
import { createItemRequestSchema, listItemsQuerySchema, updateItemRequestSchema } from './schemas';

const valid = {
  entityRef: 'component:default/payments-api',
  title: 'Rotate the staging key',
  category: 'security',
  impact: 5,
  effortDays: 1,
};

function errorOf(schema: { safeParse: (v: unknown) => any }, value: unknown): string {
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
  ])('names the bad field in %j', (patch, field) => {
    expect(errorOf(createItemRequestSchema, { ...valid, ...patch })).toMatch(new RegExp(`(^|; )${field}|"${field}"`));
  });
});

describe('updateItemRequestSchema', () => {
  it('requires the version the edit is based on', () => {
    expect(errorOf(updateItemRequestSchema, { title: 'x' })).toContain('version');
    expect(updateItemRequestSchema.parse({ version: 3, status: 'resolved' })).toEqual({ version: 3, status: 'resolved' });
  });
});

describe('listItemsQuerySchema', () => {
  it('reads comma-separated and repeated filters, and defaults to priority order', () => {
    const q = listItemsQuerySchema.parse({ status: 'open,planned', category: ['code', 'testing'], limit: '50' });
    expect(q).toMatchObject({ status: ['open', 'planned'], category: ['code', 'testing'], limit: 50, offset: 0, orderBy: 'priority' });
  });

  it('rejects limits beyond 1000', () => {
    expect(errorOf(listItemsQuerySchema, { limit: '5000' })).toContain('limit');
  });
});
