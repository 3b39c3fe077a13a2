import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { TemplateProblem, TemplateSummary } from '@vitals/plugin-onboarding-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoadedTemplate, mergeTemplates, parseTemplateFile, ParsedTemplates } from './parseTemplates';

/** Whether a target is a URL (read through the URL reader) rather than a file path. */
function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
}

/**
 * The onboarding templates, read from `onboarding.templates` at start and again on a schedule. Valid templates are
 * served; invalid ones are skipped and reported. A failed re-read keeps nothing stale: each refresh replaces the set.
 */
export class TemplateRegistry {
  private templates = new Map<string, LoadedTemplate>();
  private problems: TemplateProblem[] = [];
  private readonly targets: string[];
  private readonly reader?: UrlReaderService;
  private readonly logger?: LoggerService;
  private readonly baseDir: string;

  static fromConfig(config: Config, options: { reader?: UrlReaderService; logger?: LoggerService; baseDir?: string }) {
    const targets = (config.getOptionalConfigArray('onboarding.templates') ?? []).map(c => c.getString('target'));
    return new TemplateRegistry(targets, options);
  }

  /** Templates given directly (tests, the benchmark). */
  static fromTemplates(loaded: LoadedTemplate[]): TemplateRegistry {
    const registry = new TemplateRegistry([], {});
    registry.templates = new Map(loaded.map(l => [l.template.metadata.name, l]));
    return registry;
  }

  constructor(targets: string[], options: { reader?: UrlReaderService; logger?: LoggerService; baseDir?: string }) {
    this.targets = targets;
    this.reader = options.reader;
    this.logger = options.logger;
    this.baseDir = options.baseDir ?? process.cwd();
  }

  private async readTarget(target: string): Promise<string> {
    if (isUrl(target) && this.reader) {
      const response = await this.reader.readUrl(target);
      return (await response.buffer()).toString('utf8');
    }
    const file = target.startsWith('file://') ? new URL(target).pathname : path.resolve(this.baseDir, target);
    return fs.readFile(file, 'utf8');
  }

  /** Reads every configured file again; returns the number of valid templates. */
  async refresh(): Promise<number> {
    const files: ParsedTemplates[] = [];
    for (const target of this.targets) {
      try {
        files.push(parseTemplateFile(target, await this.readTarget(target)));
      } catch (error) {
        files.push({
          templates: [],
          problems: [{ source: target, message: `${target}: could not be read: ${(error as Error).message}` }],
        });
      }
    }
    const { templates, problems } = mergeTemplates(files);
    this.templates = templates;
    this.problems = problems;
    for (const problem of problems) this.logger?.warn(`Onboarding template skipped: ${problem.message}`);
    return templates.size;
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
