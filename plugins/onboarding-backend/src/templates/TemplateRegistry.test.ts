import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseOnboardingStore } from '../database/DatabaseOnboardingStore';
import { TemplateRegistry } from './TemplateRegistry';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const template = (name: string, steps: string[] = ['a']) =>
  `apiVersion: vitals/v1\nkind: OnboardingTemplate\nmetadata: { name: ${name}, title: ${name} }\nspec:\n  targets: { groups: [payments] }\n  steps:\n${steps
    .map(id => `    - { id: ${id}, title: ${id} }\n`)
    .join('')}`;

let dir: string;
const FILE = 'team.yaml';
const write = (text: string) => fs.writeFileSync(path.join(dir, FILE), text);
const names = (registry: TemplateRegistry) =>
  registry
    .all()
    .map(t => t.template.metadata.name)
    .sort();
const stepsOf = (registry: TemplateRegistry, name: string) =>
  registry.get(name)?.template.spec.steps.map(s => s.id);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-templates-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TemplateRegistry in one process', () => {
  it('keeps serving the last good templates when their file becomes invalid or unreadable, with a warning', async () => {
    const logger = mockServices.logger.mock();
    const registry = new TemplateRegistry([FILE], { baseDir: dir, logger });
    write(`${template('one')}---\n${template('two')}`);
    expect(await registry.refresh()).toEqual(['one', 'two']);

    for (const broken of [
      'apiVersion: vitals/v1\nkind: [unclosed\n',
      '',
      undefined,
    ]) {
      if (broken === undefined) fs.rmSync(path.join(dir, FILE));
      else write(broken);
      expect(await registry.refresh()).toEqual([]);
      expect(names(registry)).toEqual(['one', 'two']);
      expect(registry.listProblems()).toEqual([
        expect.objectContaining({
          source: FILE,
          message: expect.stringContaining(
            'the 2 templates last read from it are still served',
          ),
        }),
      ]);
    }
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('still served'),
    );

    // Fixed again: the file's current templates are served, and the problems are gone.
    write(template('one', ['a', 'b']));
    expect(await registry.refresh()).toEqual(['one', 'two']);
    expect(names(registry)).toEqual(['one']);
    expect(stepsOf(registry, 'one')).toEqual(['a', 'b']);
    expect(registry.listProblems()).toEqual([]);
  });

  it('keeps the last valid version of a template that became invalid, and updates the others', async () => {
    const registry = new TemplateRegistry([FILE], { baseDir: dir });
    write(`${template('one')}---\n${template('two')}`);
    await registry.refresh();
    write(
      `${template('one', ['a', 'c'])}---\n${template('two').replace(
        'title: a',
        'titel: a',
      )}`,
    );
    expect(await registry.refresh()).toEqual(['one']);
    expect(stepsOf(registry, 'one')).toEqual(['a', 'c']);
    expect(stepsOf(registry, 'two')).toEqual(['a']);
    expect(registry.listProblems()).toEqual([
      expect.objectContaining({
        template: 'two',
        message: expect.stringMatching(
          /template "two".*; its last valid version is still served$/,
        ),
      }),
    ]);
  });

  it('serves nothing from a file that was never good, and says why', async () => {
    const registry = new TemplateRegistry([FILE], { baseDir: dir });
    expect(await registry.refresh()).toEqual([]);
    expect(registry.all()).toEqual([]);
    expect(registry.listProblems()).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`${FILE}: could not be read`),
      }),
    ]);
  });
});

describe.each(databases.eachSupportedId())(
  'TemplateRegistry shared by replicas on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseOnboardingStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseOnboardingStore.create({
        database: mockServices.database({ knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('serves every replica the same set, also one that starts while the file is broken', async () => {
      const first = new TemplateRegistry([FILE], { baseDir: dir, store });
      write(`${template('one')}---\n${template('two')}`);
      expect(await first.refresh()).toEqual(['one', 'two']);

      // A replica starting now reads a broken file: it serves the stored last good set, not nothing.
      write('kind: [unclosed\n');
      const second = new TemplateRegistry([FILE], { baseDir: dir, store });
      expect(await second.refresh()).toEqual([]);
      expect(names(second)).toEqual(['one', 'two']);
      expect(second.listProblems()[0].message).toContain('still served');

      // The file is fixed and re-read by one replica; the other picks the new set up with a sync.
      write(template('one', ['a', 'b']));
      expect(await second.refresh()).toEqual(['one', 'two']);
      expect(names(first)).toEqual(['one', 'two']);
      expect(await first.sync()).toBe(true);
      expect(names(first)).toEqual(['one']);
      expect(stepsOf(first, 'one')).toEqual(['a', 'b']);
      expect(first.listProblems()).toEqual([]);
      expect(await first.sync()).toBe(false);

      // Reading the same files again stores nothing new and reports no change.
      const revision = await store.getTemplateSetRevision();
      expect(await first.refresh()).toEqual([]);
      expect(await store.getTemplateSetRevision()).toBe(revision);
    });
  },
);
