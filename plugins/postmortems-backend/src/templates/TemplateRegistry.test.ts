import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTemplateFile, TemplateRegistry } from './TemplateRegistry';

const template = (
  name: string,
  title: string,
  sections = '    - { id: summary, title: Summary, required: true }',
) => `apiVersion: vitals/v1
kind: PostmortemTemplate
metadata:
  name: ${name}
  title: ${title}
spec:
  sections:
${sections}
`;

describe('TemplateRegistry', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-templates-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) =>
    fs.writeFileSync(path.join(dir, file), text);

  it('serves the shipped blameless template when nothing is configured', async () => {
    const registry = await TemplateRegistry.create({
      targets: [],
      defaultTemplateId: 'blameless',
    });
    const { templates, defaultTemplateId, problems } = registry.list();
    expect({
      ids: templates.map(t => t.id),
      defaultTemplateId,
      problems,
    }).toEqual({
      ids: ['blameless'],
      defaultTemplateId: 'blameless',
      problems: [],
    });
    expect(
      registry
        .defaultTemplate()
        .sections.filter(s => s.required)
        .map(s => s.id),
    ).toEqual([
      'summary',
      'customerImpact',
      'timeline',
      'contributingFactors',
      'lessons',
    ]);
  });

  it('adds configured templates, lets one replace the shipped template, and keeps the last good version of a broken file', async () => {
    write(
      'teams.yaml',
      `${template('blameless', 'Our blameless')}---\n${template(
        'security',
        'Security incident',
      )}`,
    );
    const registry = await TemplateRegistry.create({
      targets: ['teams.yaml'],
      defaultTemplateId: 'security',
      baseDir: dir,
      logger: mockServices.logger.mock(),
    });
    expect(registry.get('blameless')?.title).toBe('Our blameless');
    expect(registry.defaultTemplate().id).toBe('security');

    // The file breaks: both templates stay, with a problem naming the file.
    write('teams.yaml', 'apiVersion: [oops');
    await registry.refresh();
    expect(registry.get('security')?.title).toBe('Security incident');
    expect(registry.list().problems).toEqual([
      expect.objectContaining({
        source: 'teams.yaml',
        message: expect.stringMatching(/teams.yaml: .*still served/),
      }),
    ]);

    // One template becomes invalid: it keeps its last good version; the other changes.
    write(
      'teams.yaml',
      `${template('blameless', 'Ours, v2')}---\n${template(
        'security',
        'Security',
        '    - { id: "Bad id", title: X }',
      )}`,
    );
    await registry.refresh();
    expect(registry.get('blameless')?.title).toBe('Ours, v2');
    expect(registry.get('security')?.title).toBe('Security incident');
    expect(registry.list().problems[0].message).toMatch(
      /template "security": spec.sections.0.id: .*its last valid version is still served/,
    );
  });

  it('says so when the default template names none, and starts new postmortems from the shipped one', async () => {
    const registry = await TemplateRegistry.create({
      targets: [path.join(dir, 'missing.yaml')],
      defaultTemplateId: 'nope',
    });
    expect(registry.defaultTemplate().id).toBe('blameless');
    expect(registry.list().problems.map(p => p.message)).toEqual([
      expect.stringMatching(/missing.yaml: could not be read/),
      "postmortems.defaultTemplate names no template ('nope'); new postmortems start from 'blameless'",
    ]);
  });

  it('names the document and field of every problem of a file', () => {
    const parsed = parseTemplateFile(
      'f.yaml',
      `${template(
        'ok',
        'Ok',
      )}---\nkind: PostmortemTemplate\nmetadata: { name: broken }\n`,
    );
    expect(parsed.templates.map(t => t.id)).toEqual(['ok']);
    expect(parsed.problems[0]).toMatchObject({
      template: 'broken',
      message: expect.stringMatching(
        /^f.yaml: template "broken": apiVersion: must be vitals\/v1/,
      ),
    });
  });
});
