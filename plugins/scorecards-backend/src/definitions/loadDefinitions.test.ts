import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadScorecardDefinitions } from './loadDefinitions';

const examples = path.resolve(__dirname, '../../../../examples');

describe('loadScorecardDefinitions', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-defs-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const inline = {
    id: 'inline',
    title: 'Inline',
    levels: [{ id: 'one', title: 'One' }],
    checks: [
      {
        id: 'owner',
        title: 'Owner',
        fact: 'catalog.hasOwner',
        operator: '==',
        threshold: true,
        level: 'one',
      },
    ],
  };

  it('reads app-config definitions and the example file', async () => {
    const definitions = await loadScorecardDefinitions(
      new ConfigReader({
        scorecards: {
          definitions: [inline],
          definitionFiles: ['scorecards.yaml'],
        },
      }),
      { baseDir: examples },
    );
    expect(definitions.map(d => d.id)).toEqual([
      'inline',
      'production-readiness',
      'delivery-performance',
      'flow-and-ci',
    ]);
  });

  it('reports every problem with its file, scorecard, check and field', async () => {
    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      [
        'scorecards:',
        '  - id: broken',
        '    title: Broken',
        '    levels: [{ id: gold, title: Gold }]',
        '    checks:',
        '      - { id: fast, title: Fast, fact: x.latency, operator: "<", threshold: fast, level: gold }',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'not-yaml.yaml'), 'scorecards: [');
    const config = new ConfigReader({
      scorecards: {
        definitions: [
          { ...inline, checks: [{ ...inline.checks[0], level: 'two' }] },
        ],
        definitionFiles: ['bad.yaml', 'not-yaml.yaml', 'missing.yaml'],
      },
    });
    await expect(
      loadScorecardDefinitions(config, { baseDir: dir }),
    ).rejects.toMatchObject({
      problems: [
        expect.stringMatching(/^not-yaml\.yaml: cannot be read as YAML/),
        expect.stringMatching(
          /^missing\.yaml: cannot be read as YAML \(ENOENT/,
        ),
        "app-config scorecards.definitions[0]: scorecard 'inline', check 'owner', field 'level': 'two' is not a level of this scorecard (levels: one)",
        "bad.yaml scorecards[0]: scorecard 'broken', check 'fast', field 'threshold': must be a number for operator '<'",
      ],
    });
  });

  it('rejects a file without a list of scorecards', async () => {
    fs.writeFileSync(path.join(dir, 'object.yaml'), 'title: not a list');
    await expect(
      loadScorecardDefinitions(
        new ConfigReader({ scorecards: { definitionFiles: ['object.yaml'] } }),
        { baseDir: dir },
      ),
    ).rejects.toThrow(
      "object.yaml: must hold a list of scorecards, or an object with a 'scorecards' list",
    );
  });

  it('accepts no definitions at all', async () => {
    expect(await loadScorecardDefinitions(new ConfigReader({}))).toEqual([]);
  });
});
