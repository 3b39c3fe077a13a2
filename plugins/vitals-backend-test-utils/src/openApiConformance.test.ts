import { openApiConformance } from './openApi';

const spec = {
  components: {
    schemas: {
      Status: { type: 'string', enum: ['open', 'resolved'] },
      Item: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'status', 'tags'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          status: { $ref: '#/components/schemas/Status' },
          impact: { type: 'integer', minimum: 1, maximum: 5 },
          title: { type: 'string', maxLength: 5, pattern: '^[a-z]*$' },
          resolvedAt: { type: 'string', format: 'date-time', nullable: true },
          tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
          changes: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              properties: { from: {}, to: {} },
            },
          },
        },
      },
    },
  },
};
const item = { $ref: '#/components/schemas/Item' };

describe('openApiConformance', () => {
  it('finds nothing wrong with a value that fits, nulls in untyped schemas included', () => {
    expect(
      openApiConformance(spec, item, {
        id: '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01',
        status: 'open',
        impact: 5,
        title: 'abc',
        resolvedAt: null,
        tags: ['a'],
        changes: { title: { from: null, to: 'abc' } },
      }),
    ).toEqual([]);
  });

  it('names every place a value breaks the schema', () => {
    expect(
      openApiConformance(
        spec,
        item,
        {
          id: 'not-a-uuid',
          status: 'vibes',
          impact: 6.5,
          title: 'ABCDEF',
          resolvedAt: 'yesterday',
          tags: ['a', 'b', 3],
          changes: { title: { from: 1, by: 'x' } },
          owner: 'x',
        },
        'item',
      ),
    ).toEqual([
      'item.id: not a uuid',
      'item.status: "vibes" is not one of open,resolved',
      'item.impact: not an integer',
      'item.impact: > 5',
      'item.title: longer than 5',
      'item.title: does not match ^[a-z]*$',
      'item.resolvedAt: not a date-time',
      'item.tags: more than 2 items',
      'item.tags[2]: not a string',
      'item.changes.title.by: not in the schema',
      'item.owner: not in the schema',
    ]);
    expect(openApiConformance(spec, item, { id: null }, 'item')).toEqual([
      'item.status: missing',
      'item.tags: missing',
      'item.id: null',
    ]);
  });
});
