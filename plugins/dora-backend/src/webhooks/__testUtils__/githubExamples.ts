import examples from '@octokit/webhooks-examples';

/** Copies of GitHub's example payloads of one webhook event (the ones GitHub's documentation is built from). */
export function githubExamples(name: string): any[] {
  // The package is a JSON array; depending on the module interop it arrives as the default export or the namespace.
  const all = ((examples as any).default ?? examples) as Array<{
    name: string;
    examples: any[];
  }>;
  const found = all.find(e => e.name === name);
  if (!found)
    throw new Error(`No ${name} examples in @octokit/webhooks-examples`);
  return structuredClone(found.examples);
}
