import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  describeTemplateIssues,
  onboardingTemplateSchema,
  TemplateProblem,
  TemplateSummary,
} from '@vitals/plugin-onboarding-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  OnboardingStore,
  TemplateSetRecord,
} from '../database/OnboardingStore';
import {
  LoadedTemplate,
  mergeTemplates,
  parseTemplateFile,
  ParsedTemplates,
} from './parseTemplates';

/** Whether a target is a URL (read through the URL reader) rather than a file path. */
function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
}

/** What a template's progress depends on: its step ids, kinds and scopes. */
function stepsFingerprint(loaded: LoadedTemplate): string {
  return JSON.stringify(
    loaded.template.spec.steps.map(s => [s.id, s.kind, s.entityRef, s.group]),
  );
}

/** The set as it is stored and compared: templates in name order, and the problems. */
function contentOf(
  templates: Map<string, LoadedTemplate>,
  problems: TemplateProblem[],
): string {
  const entries = [...templates.values()].sort((a, b) =>
    a.template.metadata.name.localeCompare(b.template.metadata.name),
  );
  return JSON.stringify({ templates: entries, problems });
}

const plural = (n: number, one: string) =>
  n === 1 ? `1 ${one}` : `${n} ${one}s`;

export type TemplateSetStore = Pick<
  OnboardingStore,
  'getTemplateSet' | 'getTemplateSetRevision' | 'saveTemplateSet'
>;

export interface TemplateRegistryOptions {
  reader?: UrlReaderService;
  logger?: LoggerService;
  baseDir?: string;
  /** Where the set is shared between replicas; without it (tests, the benchmark) the set lives in this process. */
  store?: TemplateSetStore;
}

/**
 * The onboarding templates, read from `onboarding.templates`. Valid templates are served; invalid ones are skipped and
 * reported. A file that cannot be read or parsed, or a template that became invalid, keeps its last good version.
 *
 * With a store, the set lives in the database: `refresh()` (at start, then on one replica at a time) reads the files,
 * merges them with the stored last good set and stores the result; every replica adopts the stored set with `sync()`,
 * so all replicas serve the same templates, also one that starts while a file is broken.
 */
export class TemplateRegistry {
  private templates = new Map<string, LoadedTemplate>();
  private problems: TemplateProblem[] = [];
  /** Revision of the stored set this replica serves; 0 before any. */
  private revision = 0;
  private readonly targets: string[];
  private readonly reader?: UrlReaderService;
  private readonly logger?: LoggerService;
  private readonly baseDir: string;
  private readonly store?: TemplateSetStore;

  static fromConfig(config: Config, options: TemplateRegistryOptions) {
    const targets = (
      config.getOptionalConfigArray('onboarding.templates') ?? []
    ).map(c => c.getString('target'));
    return new TemplateRegistry(targets, options);
  }

  /** Templates given directly (tests, the benchmark). */
  static fromTemplates(loaded: LoadedTemplate[]): TemplateRegistry {
    const registry = new TemplateRegistry([], {});
    registry.templates = new Map(
      loaded.map(l => [l.template.metadata.name, l]),
    );
    return registry;
  }

  constructor(targets: string[], options: TemplateRegistryOptions) {
    this.targets = targets;
    this.reader = options.reader;
    this.logger = options.logger;
    this.baseDir = options.baseDir ?? process.cwd();
    this.store = options.store;
  }

  private async readTarget(target: string): Promise<string> {
    if (isUrl(target) && this.reader) {
      const response = await this.reader.readUrl(target);
      return (await response.buffer()).toString('utf8');
    }
    const file = target.startsWith('file://')
      ? new URL(target).pathname
      : path.resolve(this.baseDir, target);
    return fs.readFile(file, 'utf8');
  }

  /** One file read again; what cannot be used is replaced by its last good version from `previous`. */
  private async readWithFallback(
    target: string,
    previous: Map<string, LoadedTemplate>,
  ): Promise<ParsedTemplates> {
    let parsed: ParsedTemplates;
    try {
      parsed = parseTemplateFile(target, await this.readTarget(target));
    } catch (error) {
      parsed = {
        templates: [],
        problems: [
          {
            source: target,
            message: `${target}: could not be read: ${
              (error as Error).message
            }`,
          },
        ],
        failed: true,
      };
    }
    const lastGood = [...previous.values()].filter(t => t.source === target);
    if (parsed.failed) {
      if (!lastGood.length) return parsed;
      // The whole file is unusable (unreadable, not YAML, empty): serve what it held last time.
      const note = `; the ${plural(
        lastGood.length,
        'template',
      )} last read from it ${
        lastGood.length === 1 ? 'is' : 'are'
      } still served`;
      return {
        templates: lastGood,
        problems: parsed.problems.map(p => ({
          ...p,
          message: `${p.message}${note}`,
        })),
      };
    }
    // A template that became invalid keeps its last good version; the problem says so.
    const valid = new Set(parsed.templates.map(t => t.template.metadata.name));
    const kept: LoadedTemplate[] = [];
    const problems = parsed.problems.map(problem => {
      const last =
        problem.template && !valid.has(problem.template)
          ? lastGood.find(t => t.template.metadata.name === problem.template)
          : undefined;
      if (!last || kept.includes(last)) return problem;
      kept.push(last);
      return {
        ...problem,
        message: `${problem.message}; its last valid version is still served`,
      };
    });
    return { templates: [...parsed.templates, ...kept], problems };
  }

  /** The stored set as this version understands it; a stored template it cannot validate is a problem. */
  private decode(set: TemplateSetRecord): {
    templates: Map<string, LoadedTemplate>;
    problems: TemplateProblem[];
  } {
    const templates = new Map<string, LoadedTemplate>();
    const problems = [...set.problems];
    for (const entry of set.templates as Array<{
      template?: unknown;
      source?: unknown;
    }>) {
      const source =
        typeof entry?.source === 'string' ? entry.source : 'database';
      const result = onboardingTemplateSchema.safeParse(entry?.template);
      if (result.success) {
        templates.set(result.data.metadata.name, {
          template: result.data,
          source,
        });
      } else {
        problems.push({
          source,
          message: `${source}: a stored template is not valid for this version: ${describeTemplateIssues(
            result.error,
          ).join('; ')}`,
        });
      }
    }
    return { templates, problems };
  }

  private adopt(
    templates: Map<string, LoadedTemplate>,
    problems: TemplateProblem[],
    revision: number,
  ) {
    this.templates = templates;
    this.problems = problems;
    this.revision = revision;
  }

  /**
   * Reads every configured file again, keeps the last good version of whatever cannot be used (logging a warning),
   * stores the result for every replica and serves it. Returns the ids of the templates whose steps changed (added,
   * removed or edited), whose people need their progress recomputed.
   */
  async refresh(): Promise<string[]> {
    const stored = this.store ? await this.store.getTemplateSet() : undefined;
    const previous = stored
      ? this.decode(stored)
      : { templates: this.templates, problems: this.problems };
    const files: ParsedTemplates[] = [];
    for (const target of this.targets)
      files.push(await this.readWithFallback(target, previous.templates));
    const { templates, problems } = mergeTemplates(files);
    for (const problem of problems)
      this.logger?.warn(`Onboarding template problem: ${problem.message}`);

    let revision = stored?.revision ?? this.revision;
    if (
      contentOf(templates, problems) !==
        contentOf(previous.templates, previous.problems) ||
      (this.store && !stored)
    ) {
      if (this.store) {
        const saved = await this.store.saveTemplateSet(
          { templates: [...templates.values()], problems },
          stored?.revision ?? 0,
        );
        if (saved === undefined) {
          // Another replica stored a set since we read it: serve that one; its writer recomputes the progress.
          await this.sync();
          return [];
        }
        revision = saved;
      }
    }
    this.adopt(templates, problems, revision);
    const ids = new Set([...previous.templates.keys(), ...templates.keys()]);
    return [...ids].filter(id => {
      const before = previous.templates.get(id);
      const after = templates.get(id);
      return (
        !before ||
        !after ||
        stepsFingerprint(before) !== stepsFingerprint(after)
      );
    });
  }

  /** Serves the stored set when another replica stored a newer one (one small query otherwise). Returns whether it changed. */
  async sync(): Promise<boolean> {
    if (!this.store) return false;
    if ((await this.store.getTemplateSetRevision()) === this.revision)
      return false;
    const stored = await this.store.getTemplateSet();
    if (!stored) return false;
    const { templates, problems } = this.decode(stored);
    this.adopt(templates, problems, stored.revision);
    return true;
  }

  get(id: string): LoadedTemplate | undefined {
    return this.templates.get(id);
  }

  all(): LoadedTemplate[] {
    return [...this.templates.values()];
  }

  listProblems(): TemplateProblem[] {
    return this.problems;
  }

  summaries(): TemplateSummary[] {
    return this.all().map(({ template, source }) => ({
      id: template.metadata.name,
      title: template.metadata.title,
      description: template.metadata.description,
      owner: template.spec.owner,
      source,
      targets: template.spec.targets,
      steps: template.spec.steps.length,
    }));
  }
}
