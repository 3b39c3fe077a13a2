import { Config } from '@backstage/config';
import {
  parseScorecardDefinitions,
  ScorecardDefinition,
  ScorecardDefinitionError,
} from '@vitals/plugin-scorecards-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Reads scorecard definitions from app-config `scorecards.definitions` and from the YAML files listed in
 * `scorecards.definitionFiles` (paths relative to the backend's working directory, like catalog file locations), and
 * validates them all. Throws a {@link ScorecardDefinitionError} listing every problem with its file, scorecard, check
 * and field, so that the backend refuses to start with a broken definition rather than score against it.
 */
export async function loadScorecardDefinitions(
  config: Config,
  options?: { baseDir?: string },
): Promise<ScorecardDefinition[]> {
  const raws: Array<{ source: string; definition: unknown }> = [];
  const problems: string[] = [];

  const inline = config.getOptional('scorecards.definitions');
  if (inline !== undefined) {
    if (!Array.isArray(inline)) {
      problems.push(
        'app-config scorecards.definitions: must be a list of scorecards',
      );
    } else {
      inline.forEach((definition, i) =>
        raws.push({
          source: `app-config scorecards.definitions[${i}]`,
          definition,
        }),
      );
    }
  }

  const files =
    config.getOptionalStringArray('scorecards.definitionFiles') ?? [];
  for (const file of files) {
    const fullPath = path.resolve(options?.baseDir ?? process.cwd(), file);
    let document: unknown;
    try {
      document = parseYaml(await fs.readFile(fullPath, 'utf8'));
    } catch (error) {
      problems.push(
        `${file}: cannot be read as YAML (${
          (error as Error).message.split('\n')[0]
        })`,
      );
      continue;
    }
    const list = Array.isArray(document)
      ? document
      : (document as { scorecards?: unknown } | null)?.scorecards;
    if (!Array.isArray(list)) {
      problems.push(
        `${file}: must hold a list of scorecards, or an object with a 'scorecards' list`,
      );
      continue;
    }
    list.forEach((definition, i) =>
      raws.push({ source: `${file} scorecards[${i}]`, definition }),
    );
  }

  let definitions: ScorecardDefinition[] = [];
  try {
    definitions = parseScorecardDefinitions(raws);
  } catch (error) {
    if (!(error instanceof ScorecardDefinitionError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length) throw new ScorecardDefinitionError(problems);
  return definitions;
}
