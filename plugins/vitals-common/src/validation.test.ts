import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from './validation';

describe('parseInput', () => {
  const schema = z.object({
    limit: z.coerce.number().int().max(500).default(50),
    team: z.string().optional(),
  });

  it('returns the parsed value, with defaults, and treats missing input as an empty object', () => {
    expect(
      parseInput(schema, { limit: '20', team: 'payments' }, 'query'),
    ).toEqual({ limit: 20, team: 'payments' });
    expect(parseInput(schema, undefined, 'query')).toEqual({ limit: 50 });
  });

  it('throws an InputError naming what was parsed and every bad field', () => {
    const strict = z.object({ limit: z.number().max(500), team: z.string() });
    let error: unknown;
    try {
      parseInput(strict, { limit: 900, team: 7 }, 'query');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^Invalid query: limit: .+; team: .+/,
    );
  });
});
