import { mergeTemplates, parseTemplateFile } from './parseTemplates';

const FILE = 'examples/onboarding.yaml';

const valid = (name: string, steps = '  steps:\n    - { id: a, title: A }\n') =>
  `apiVersion: vitals/v1\nkind: OnboardingTemplate\nmetadata: { name: ${name}, title: T }\nspec:\n  targets: { groups: [payments] }\n${steps}`;

function problemOf(yaml: string): string {
  const { templates, problems } = parseTemplateFile(FILE, yaml);
  expect(templates).toEqual([]);
  expect(problems).toHaveLength(1);
  return problems[0].message;
}

describe('parseTemplateFile', () => {
  it('reads several documents, normalising refs, kinds and types', () => {
    const { templates, problems } = parseTemplateFile(
      FILE,
      `${valid(
        'one',
      )}---\napiVersion: vitals/v1\nkind: OnboardingTemplate\nmetadata: { name: two, title: Two }\nspec:\n  targets: { kinds: [Component], types: [Service], entityRefs: [Component:default/Payments-API] }\n  steps:\n    - { id: docs, title: Docs, kind: docs-visit }\n`,
    );
    expect(problems).toEqual([]);
    expect(templates.map(t => t.template.metadata.name)).toEqual([
      'one',
      'two',
    ]);
    expect(templates[0].template.spec.targets.groups).toEqual([
      'group:default/payments',
    ]);
    expect(templates[0].template.spec.steps[0]).toMatchObject({
      kind: 'manual',
      links: [],
    });
    expect(templates[1].template.spec.targets).toEqual({
      kinds: ['component'],
      types: ['service'],
      entityRefs: ['component:default/payments-api'],
    });
  });

  it.each([
    [
      'an unknown step kind',
      valid(
        'payments-team',
        '  steps:\n    - { id: a, title: A }\n    - { id: b, title: B }\n    - { id: c, title: C, kind: first-commit }\n',
      ),
      'template "payments-team", spec.steps[2].kind: must be one of manual, first-change-merged, first-change-deployed, group-membership, docs-visit',
    ],
    [
      'a duplicate step id',
      valid(
        'dup-steps',
        '  steps:\n    - { id: a, title: A }\n    - { id: a, title: Again }\n',
      ),
      'template "dup-steps", spec.steps[1].id: duplicate step id \'a\' (also steps[0])',
    ],
    [
      'a step id with capitals',
      valid('bad-id', '  steps:\n    - { id: Read_Runbook, title: A }\n'),
      'spec.steps[0].id: must be lower-case letters, digits and dashes',
    ],
    [
      'a step without a title',
      valid('no-title', '  steps:\n    - { id: a }\n'),
      'template "no-title", spec.steps[0].title: must be text',
    ],
    [
      'group-membership without a group',
      valid(
        'no-group',
        '  steps:\n    - { id: a, title: A, kind: group-membership }\n',
      ),
      'spec.steps[0].group: is required for kind group-membership',
    ],
    [
      'a group on a manual step',
      valid(
        'stray-group',
        '  steps:\n    - { id: a, title: A, group: payments }\n',
      ),
      'spec.steps[0].group: is only allowed for kind group-membership',
    ],
    [
      'a bad entity ref',
      valid(
        'bad-ref',
        '  steps:\n    - { id: a, title: A, kind: docs-visit, entityRef: payments-api }\n',
      ),
      "spec.steps[0].entityRef: 'payments-api' is not an entity ref like component:default/my-service",
    ],
    [
      'a link that is not a URL',
      valid(
        'bad-link',
        '  steps:\n    - { id: a, title: A, links: [{ title: L, url: "ftp:x" }] }\n',
      ),
      'spec.steps[0].links[0].url: must be an http(s) URL or a path in the portal starting with /',
    ],
    [
      'an unknown link type',
      valid(
        'bad-link-type',
        '  steps:\n    - { id: a, title: A, links: [{ title: L, url: "https://x.example", type: wiki }] }\n',
      ),
      'spec.steps[0].links[0].type: must be one of docs, techdocs, runbook, repo, other',
    ],
    [
      'no steps',
      valid('no-steps', '  steps: []\n'),
      'template "no-steps", spec.steps: must have at least one step',
    ],
    [
      'an unknown field in a step',
      valid('typo', '  steps:\n    - { id: a, title: A, titel: B }\n'),
      'spec.steps[0]',
    ],
    [
      'no targets',
      'apiVersion: vitals/v1\nkind: OnboardingTemplate\nmetadata: { name: no-targets, title: T }\nspec:\n  targets: {}\n  steps: [{ id: a, title: A }]\n',
      'template "no-targets", spec.targets: must name at least one of groups, kinds, types, entityRefs',
    ],
    [
      'a group target that is a user',
      'apiVersion: vitals/v1\nkind: OnboardingTemplate\nmetadata: { name: user-target, title: T }\nspec:\n  targets: { groups: [user:default/jane] }\n  steps: [{ id: a, title: A }]\n',
      "spec.targets.groups[0]: 'user:default/jane' is not a group ref like group:default/name",
    ],
    [
      'a wrong apiVersion',
      valid('old').replace('vitals/v1', 'vitals/v0'),
      'template "old", apiVersion: must be vitals/v1',
    ],
    [
      'a template name with spaces',
      valid('"Payments team"'),
      'metadata.name: must be lower-case letters, digits and dashes',
    ],
    [
      'no metadata',
      'apiVersion: vitals/v1\nkind: OnboardingTemplate\nspec: { targets: { groups: [payments] }, steps: [{ id: a, title: A }] }\n',
      'document 1, metadata: is required',
    ],
    [
      'another kind of document',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x }\n',
      'template "x", kind: must be OnboardingTemplate, not "Component"',
    ],
    [
      'a list instead of a mapping',
      '- a\n- b\n',
      'document 1: must be a mapping',
    ],
    [
      'broken YAML',
      'apiVersion: vitals/v1\nmetadata: { name: [oops\n',
      'document 1 is not valid YAML',
    ],
  ])('names the problem of %s', (_what, yaml, expected) => {
    const message = problemOf(yaml);
    expect(message.startsWith(`${FILE}: `)).toBe(true);
    expect(message).toContain(expected);
  });

  it('keeps the valid templates of a file with a bad one', () => {
    const { templates, problems } = parseTemplateFile(
      FILE,
      `${valid('good')}---\n${valid('bad', '  steps: nope\n')}`,
    );
    expect(templates.map(t => t.template.metadata.name)).toEqual(['good']);
    expect(problems).toEqual([
      {
        source: FILE,
        template: 'bad',
        message: expect.stringContaining(
          'template "bad", spec.steps: is required (a list of steps)',
        ),
      },
    ]);
  });

  it('reports an empty file', () => {
    expect(parseTemplateFile(FILE, '').problems[0].message).toBe(
      `${FILE}: holds no templates`,
    );
  });
});

describe('mergeTemplates', () => {
  it('keeps the first of two templates with one name and reports the second', () => {
    const a = parseTemplateFile('a.yaml', valid('payments-team'));
    const b = parseTemplateFile('b.yaml', valid('payments-team'));
    const { templates, problems } = mergeTemplates([a, b]);
    expect(templates.get('payments-team')?.source).toBe('a.yaml');
    expect(problems.map(p => p.message)).toEqual([
      'b.yaml: template "payments-team", metadata.name: duplicate template name (also in a.yaml); this one is skipped',
    ]);
  });
});
