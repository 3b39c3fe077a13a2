import { z } from 'zod';
import { MAX_SCORECARD_ID_LENGTH, SCORECARD_ID_PATTERN } from './schemas';
import { CHECK_OPERATORS, ScorecardDefinition } from './types';

const idSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(MAX_SCORECARD_ID_LENGTH)
  .regex(
    SCORECARD_ID_PATTERN,
    'must be letters, digits, dots, dashes or underscores',
  );

const textList = z.array(z.string().trim().min(1).max(200)).max(100);

const linkSchema = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(200),
  url: z
    .string()
    .trim()
    .max(2048)
    .refine(
      v => /^(https?:\/\/|\/)/i.test(v),
      'must be an http(s) URL or a path starting with /',
    ),
});

const NUMERIC = new Set(['<', '<=', '>', '>=']);

const checkSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().trim().min(1, 'is required').max(200),
    fact: z.string().trim().min(1, 'is required').max(200),
    operator: z.enum(CHECK_OPERATORS, {
      error: `must be one of ${CHECK_OPERATORS.join(' ')}`,
    }),
    threshold: z
      .union([
        z.boolean(),
        z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
        z.string().max(1000),
        z.array(z.string().max(1000)).min(1).max(100),
      ])
      .optional(),
    level: idSchema,
    description: z.string().max(5000).optional(),
    howToFix: z.string().max(10_000).optional(),
    links: z.array(linkSchema).max(20).optional(),
  })
  .superRefine((check, ctx) => {
    const issue = (message: string) =>
      ctx.addIssue({ code: 'custom', path: ['threshold'], message });
    const { operator, threshold } = check;
    if (operator === 'exists') {
      if (threshold !== undefined)
        issue("must be left out for operator 'exists'");
      return;
    }
    if (threshold === undefined) {
      issue(`is required for operator '${operator}'`);
      return;
    }
    if (
      NUMERIC.has(operator) &&
      (typeof threshold !== 'number' || !Number.isFinite(threshold))
    ) {
      issue(`must be a number for operator '${operator}'`);
    } else if (
      (operator === '==' || operator === '!=') &&
      Array.isArray(threshold) &&
      threshold.length === 0
    ) {
      issue('must not be an empty list');
    } else if (
      operator === 'contains' &&
      typeof threshold !== 'string' &&
      !Array.isArray(threshold)
    ) {
      issue("must be text or a list of text for operator 'contains'");
    } else if (operator === 'matches') {
      if (typeof threshold !== 'string') {
        issue("must be a regular expression (text) for operator 'matches'");
      } else {
        try {
          RegExp(threshold);
        } catch (error) {
          issue(
            `is not a valid regular expression: ${(error as Error).message}`,
          );
        }
      }
    }
  });

/** The zod schema of one scorecard definition (app-config `scorecards.definitions[]` or a definition file). @public */
export const scorecardDefinitionSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().trim().min(1, 'is required').max(200),
    description: z.string().max(5000).optional(),
    appliesTo: z
      .strictObject({
        kind: textList.optional(),
        type: textList.optional(),
        lifecycle: textList.optional(),
        tags: textList.optional(),
        system: textList.optional(),
      })
      .optional(),
    levels: z
      .array(
        z.strictObject({
          id: idSchema,
          title: z.string().trim().min(1, 'is required').max(100),
          description: z.string().max(2000).optional(),
        }),
      )
      .min(1, 'needs at least one level')
      .max(20),
    checks: z.array(checkSchema).min(1, 'needs at least one check').max(200),
  })
  .superRefine((card, ctx) => {
    const levelIds = new Set<string>();
    card.levels.forEach((level, i) => {
      if (levelIds.has(level.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'id'],
          message: `duplicate level id '${level.id}'`,
        });
      }
      levelIds.add(level.id);
    });
    const checkIds = new Set<string>();
    card.checks.forEach((check, i) => {
      if (checkIds.has(check.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'id'],
          message: `duplicate check id '${check.id}'`,
        });
      }
      checkIds.add(check.id);
      if (!levelIds.has(check.level)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'level'],
          message: `'${
            check.level
          }' is not a level of this scorecard (levels: ${[...levelIds].join(
            ', ',
          )})`,
        });
      }
    });
  });

/** Thrown when definitions are invalid; `problems` has one line per problem. @public */
export class ScorecardDefinitionError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid scorecard definitions:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ScorecardDefinitionError';
    this.problems = problems;
  }
}

function idOf(raw: unknown, index: number, what: string): string {
  const id = (raw as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id.trim()
    ? `${what} '${id.trim()}'`
    : `${what} #${index + 1}`;
}

/** Describes a zod issue of scorecard `raw` as "scorecard 'x', check 'y', field 'threshold': message". */
function describeIssue(
  raw: unknown,
  index: number,
  issue: z.core.$ZodIssue,
): string {
  const parts = [idOf(raw, index, 'scorecard')];
  let path = [...issue.path];
  const [section, position] = path;
  if (
    (section === 'checks' || section === 'levels') &&
    typeof position === 'number'
  ) {
    const list = (raw as Record<string, unknown[]>)[section];
    parts.push(
      idOf(
        Array.isArray(list) ? list[position] : undefined,
        position,
        section === 'checks' ? 'check' : 'level',
      ),
    );
    path = path.slice(2);
  }
  let field = path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys.join(', ');
    field = field ? `${field}.${keys}` : keys;
    parts.push(`field '${field}': unknown field`);
  } else {
    parts.push(field ? `field '${field}': ${issue.message}` : issue.message);
  }
  return parts.join(', ');
}

/**
 * Validates raw scorecard definitions (from app-config or YAML). `sources` labels where each came from, for messages.
 * Throws a {@link ScorecardDefinitionError} naming the source, scorecard, check and field of every problem.
 *
 * @public
 */
export function parseScorecardDefinitions(
  raws: Array<{ source: string; definition: unknown }>,
): ScorecardDefinition[] {
  const problems: string[] = [];
  const result: ScorecardDefinition[] = [];
  const seen = new Map<string, string>();
  raws.forEach(({ source, definition }, index) => {
    const parsed = scorecardDefinitionSchema.safeParse(definition);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${source}: ${describeIssue(definition, index, issue)}`);
      return;
    }
    const card = parsed.data as ScorecardDefinition;
    const earlier = seen.get(card.id);
    if (earlier) {
      problems.push(
        `${source}: scorecard '${card.id}', field 'id': duplicate scorecard id, also defined in ${earlier}`,
      );
      return;
    }
    seen.set(card.id, source);
    result.push(card);
  });
  if (problems.length) throw new ScorecardDefinitionError(problems);
  return result;
}
