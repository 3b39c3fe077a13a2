/** The parts of a zod issue the forms read (zod itself is a dependency of goals-common, not of this package). */
export interface FormIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  minimum?: unknown;
  origin?: string;
  expected?: string;
}

/** An issue as a person reads it next to the field: "Required", "Enter a number", or the schema's own message. */
export function issueText(issue: FormIssue): string {
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return Number(issue.minimum) <= 1
      ? 'Required'
      : `At least ${issue.minimum} characters`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return 'Too long';
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    return 'Enter a number';
  }
  const text = issue.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Issues keyed by their dotted path (`keyResults.0.target`); the first issue of a path wins. */
export function issuesByPath(issues: FormIssue[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in byPath)) byPath[key] = issueText(issue);
  }
  return byPath;
}
