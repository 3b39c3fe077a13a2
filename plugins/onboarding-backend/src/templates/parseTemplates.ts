import {
  describeTemplateIssues,
  OnboardingTemplate,
  onboardingTemplateSchema,
  TemplateProblem,
} from '@vitals/plugin-onboarding-common';
import { Document, parseAllDocuments } from 'yaml';

/** A valid template and where it was read from. */
export interface LoadedTemplate {
  template: OnboardingTemplate;
  source: string;
}

/** The templates of one file: the valid ones and a problem for each document that is not. */
export interface ParsedTemplates {
  templates: LoadedTemplate[];
  problems: TemplateProblem[];
  /**
   * The file as a whole is unusable: not YAML, a document that is not valid YAML (so it cannot tell which template it
   * was), or no template at all. Its last good templates are kept rather than dropped.
   */
  failed?: boolean;
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { metadata?: { name?: unknown } } | null)?.metadata
    ?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

/**
 * Parses the text of one template file, which may hold several YAML documents. Every problem names the file, the
 * template (when the document has a name, else its position in the file) and the field.
 */
export function parseTemplateFile(
  source: string,
  text: string,
): ParsedTemplates {
  const templates: LoadedTemplate[] = [];
  const problems: TemplateProblem[] = [];
  let documents: Document[];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: true });
    // An empty file parses to an EmptyStream rather than a list.
    documents = Array.isArray(parsed) ? (parsed as Document[]) : [];
  } catch (error) {
    return {
      templates,
      problems: [
        { source, message: `${source}: not YAML: ${(error as Error).message}` },
      ],
      failed: true,
    };
  }
  let position = 0;
  let failed = false;
  for (const doc of documents) {
    position++;
    if (doc.errors.length) {
      failed = true;
      const first = doc.errors[0];
      problems.push({
        source,
        message: `${source}: document ${position} is not valid YAML: ${
          first.message.split('\n')[0]
        }`,
      });
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing ---
    const name = nameOf(value);
    const label = name ? `template "${name}"` : `document ${position}`;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({
        source,
        template: name,
        message: `${source}: ${label}: must be a mapping with apiVersion, kind, metadata and spec`,
      });
      continue;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (kind !== undefined && kind !== 'OnboardingTemplate') {
      problems.push({
        source,
        template: name,
        message: `${source}: ${label}, kind: must be OnboardingTemplate, not ${JSON.stringify(
          kind,
        )}`,
      });
      continue;
    }
    const result = onboardingTemplateSchema.safeParse(value);
    if (!result.success) {
      problems.push({
        source,
        template: name,
        message: `${source}: ${label}, ${describeTemplateIssues(
          result.error,
        ).join('; ')}`,
      });
      continue;
    }
    templates.push({ template: result.data, source });
  }
  if (
    documents.length === 0 ||
    (templates.length === 0 && problems.length === 0)
  ) {
    problems.push({ source, message: `${source}: holds no templates` });
    failed = true;
  }
  return { templates, problems, ...(failed ? { failed } : {}) };
}

/**
 * Merges the templates of several files. A name used twice is a problem: the first one (in configuration order) is
 * kept and the later ones are skipped.
 */
export function mergeTemplates(files: ParsedTemplates[]): {
  templates: Map<string, LoadedTemplate>;
  problems: TemplateProblem[];
} {
  const templates = new Map<string, LoadedTemplate>();
  const problems: TemplateProblem[] = [];
  for (const file of files) {
    problems.push(...file.problems);
    for (const loaded of file.templates) {
      const name = loaded.template.metadata.name;
      const existing = templates.get(name);
      if (existing) {
        problems.push({
          source: loaded.source,
          template: name,
          message: `${loaded.source}: template "${name}", metadata.name: duplicate template name (also in ${existing.source}); this one is skipped`,
        });
        continue;
      }
      templates.set(name, loaded);
    }
  }
  return { templates, problems };
}
