import {
  LoggerService,
  resolvePackagePath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  PostmortemTemplate,
  PostmortemTemplateList,
  PostmortemTemplateProblem,
  postmortemTemplateSchema,
} from '@vitals/plugin-postmortems-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Document, parseAllDocuments } from 'yaml';

/** Where the shipped template is read from. */
export const BUILT_IN_SOURCE = 'built-in';
const BUILT_IN_FILE = resolvePackagePath(
  '@vitals/plugin-postmortems-backend',
  'templates/blameless.yaml',
);

/** The templates of one file, and a problem for each document that could not be used. */
export interface ParsedTemplateFile {
  templates: PostmortemTemplate[];
  problems: PostmortemTemplateProblem[];
  /** The whole file is unusable (unreadable, not YAML, no template): its last good templates are kept. */
  failed?: boolean;
}

const nameOf = (value: unknown) => {
  const name = (value as { metadata?: { name?: unknown } } | null)?.metadata
    ?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
};

/** Parses one template file, which may hold several YAML documents; every problem names the file, template and field. */
export function parseTemplateFile(
  source: string,
  text: string,
): ParsedTemplateFile {
  const templates: PostmortemTemplate[] = [];
  const problems: PostmortemTemplateProblem[] = [];
  let documents: Document[];
  try {
    const parsed = parseAllDocuments(text);
    documents = Array.isArray(parsed) ? (parsed as Document[]) : [];
  } catch (error) {
    return {
      templates,
      problems: [{ source, message: `${source}: not YAML: ${error}` }],
      failed: true,
    };
  }
  let failed = false;
  documents.forEach((doc, index) => {
    if (doc.errors.length) {
      failed = true;
      problems.push({
        source,
        message: `${source}: document ${index + 1} is not valid YAML: ${
          doc.errors[0].message.split('\n')[0]
        }`,
      });
      return;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) return;
    const name = nameOf(value);
    const label = name ? `template "${name}"` : `document ${index + 1}`;
    const result = postmortemTemplateSchema.safeParse(value);
    if (!result.success) {
      problems.push({
        source,
        ...(name ? { template: name } : {}),
        message: `${source}: ${label}: ${result.error.issues
          .map(i => `${i.path.join('.') || '(document)'}: ${i.message}`)
          .join('; ')}`,
      });
      return;
    }
    const { metadata, spec } = result.data;
    templates.push({
      id: metadata.name,
      title: metadata.title,
      description: metadata.description,
      sections: spec.sections,
      source,
    });
  });
  if (templates.length === 0 && problems.length === 0) {
    problems.push({ source, message: `${source}: holds no templates` });
    failed = true;
  }
  return { templates, problems, ...(failed ? { failed } : {}) };
}

const isUrl = (target: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(target);

/**
 * The postmortem templates: the shipped `blameless` template, then those of `postmortems.templates` (a template of the
 * same name replaces the shipped one; the first of two configured templates of the same name wins). A file that cannot
 * be read or parsed, or a template that became invalid, keeps its last good version, with a problem saying so.
 *
 * Each replica reads the files itself (at start, then on the refresh schedule): replicas agree as soon as the file
 * they read is the same, and a replica that starts while a file is broken serves the shipped template and the other
 * files.
 */
export class TemplateRegistry {
  private templates = new Map<string, PostmortemTemplate>();
  private problems: PostmortemTemplateProblem[] = [];
  private lastGood = new Map<string, PostmortemTemplate[]>();

  static async create(options: {
    targets: string[];
    defaultTemplateId: string;
    reader?: UrlReaderService;
    logger?: LoggerService;
    baseDir?: string;
  }): Promise<TemplateRegistry> {
    const builtIn = parseTemplateFile(
      BUILT_IN_SOURCE,
      await fs.readFile(BUILT_IN_FILE, 'utf8'),
    );
    if (builtIn.problems.length || builtIn.templates.length === 0) {
      throw new Error(
        `The shipped postmortem template is not valid: ${builtIn.problems
          .map(p => p.message)
          .join('; ')}`,
      );
    }
    const registry = new TemplateRegistry(builtIn.templates, options);
    await registry.refresh();
    return registry;
  }

  private constructor(
    private readonly builtIn: PostmortemTemplate[],
    private readonly options: {
      targets: string[];
      defaultTemplateId: string;
      reader?: UrlReaderService;
      logger?: LoggerService;
      baseDir?: string;
    },
  ) {}

  private async read(target: string): Promise<string> {
    if (isUrl(target) && this.options.reader) {
      const response = await this.options.reader.readUrl(target);
      return (await response.buffer()).toString('utf8');
    }
    const file = target.startsWith('file://')
      ? new URL(target).pathname
      : path.resolve(this.options.baseDir ?? process.cwd(), target);
    return fs.readFile(file, 'utf8');
  }

  /** Reads every configured file again; whatever cannot be used keeps its last good version. */
  async refresh(): Promise<void> {
    const templates = new Map(this.builtIn.map(t => [t.id, t]));
    const problems: PostmortemTemplateProblem[] = [];
    const configured = new Map<string, PostmortemTemplate>();
    for (const target of this.options.targets) {
      let parsed: ParsedTemplateFile;
      try {
        parsed = parseTemplateFile(target, await this.read(target));
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
      const previous = this.lastGood.get(target) ?? [];
      let usable = parsed.templates;
      if (parsed.failed && previous.length) {
        usable = previous;
        parsed.problems = parsed.problems.map(p => ({
          ...p,
          message: `${p.message}; the templates last read from it are still served`,
        }));
      } else {
        // A template that became invalid keeps its last good version.
        const valid = new Set(usable.map(t => t.id));
        for (const problem of parsed.problems) {
          const last = problem.template
            ? previous.find(t => t.id === problem.template)
            : undefined;
          if (last && !valid.has(last.id)) {
            usable = [...usable, last];
            valid.add(last.id);
            problem.message = `${problem.message}; its last valid version is still served`;
          }
        }
      }
      this.lastGood.set(target, usable);
      problems.push(...parsed.problems);
      for (const template of usable) {
        const other = configured.get(template.id);
        if (other) {
          problems.push({
            source: target,
            template: template.id,
            message: `${target}: template "${template.id}" is also in ${other.source}; this one is skipped`,
          });
          continue;
        }
        configured.set(template.id, template);
        templates.set(template.id, template);
      }
    }
    if (!templates.has(this.options.defaultTemplateId)) {
      problems.push({
        source: 'config',
        message: `postmortems.defaultTemplate names no template ('${this.options.defaultTemplateId}'); new postmortems start from '${this.builtIn[0].id}'`,
      });
    }
    for (const problem of problems)
      this.options.logger?.warn(
        `Postmortem template problem: ${problem.message}`,
      );
    this.templates = templates;
    this.problems = problems;
  }

  get(id: string): PostmortemTemplate | undefined {
    return this.templates.get(id);
  }

  /** The template new postmortems start from. */
  defaultTemplate(): PostmortemTemplate {
    return (
      this.templates.get(this.options.defaultTemplateId) ??
      this.templates.get(this.builtIn[0].id)!
    );
  }

  /** The template a postmortem is shown and checked with: its own, or the default when its own is gone. */
  templateOf(templateId: string): PostmortemTemplate {
    return this.get(templateId) ?? this.defaultTemplate();
  }

  list(): PostmortemTemplateList {
    return {
      templates: [...this.templates.values()],
      defaultTemplateId: this.defaultTemplate().id,
      problems: this.problems,
    };
  }
}
