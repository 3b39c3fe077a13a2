import { mockServices } from '@backstage/backend-test-utils';
import {
  errorMessageOf,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseOnboardingStore } from './DatabaseOnboardingStore';
import { ChecklistRecord } from './OnboardingStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const U = 'user:default/jane';
const API = 'component:default/payments-api';
const T0 = new Date('2026-09-01T08:00:00Z');
const T1 = new Date('2026-09-03T10:00:00Z');
const T2 = new Date('2026-09-05T12:00:00Z');

const checklist = (
  id: string,
  overrides: Partial<ChecklistRecord> = {},
): ChecklistRecord => ({
  userRef: U,
  checklistId: id,
  templateId: id.split(':')[0],
  entityRef: null,
  teamRef: 'group:default/payments',
  teamTitle: 'Payments',
  origin: 'membership',
  active: true,
  startedAt: T0,
  doneCount: 0,
  totalCount: 3,
  lastProgressAt: null,
  completedAt: null,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseOnboardingStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseOnboardingStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseOnboardingStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('keeps a checklist’s start when it is written again, and round-trips progress, teams and the person', async () => {
      await store.saveProgress(U, {
        checklists: [checklist('payments-team')],
        stepStates: [
          {
            checklistId: 'payments-team',
            stepId: 'a',
            done: true,
            completedAt: T1,
            progressAt: T1,
            completedBy: 'user',
            evidence: null,
          },
        ],
        history: [
          {
            userRef: U,
            checklistId: 'payments-team',
            stepId: 'a',
            done: true,
            at: T1,
            by: 'user',
            actorRef: U,
          },
        ],
        teams: [
          {
            teamRef: 'group:default/payments',
            userRef: U,
            teamTitle: 'Payments',
            checklists: 1,
            doneCount: 1,
            totalCount: 3,
            startedAt: T0,
            completedAt: null,
            lastProgressAt: T1,
            firstChangeAt: null,
            firstDeployAt: null,
          },
        ],
        person: {
          userRef: U,
          displayName: 'Jane',
          startedAt: T0,
          firstChangeAt: null,
          firstDeployAt: null,
        },
      });
      await store.saveProgress(U, {
        checklists: [
          checklist('payments-team', {
            startedAt: T2,
            doneCount: 1,
            lastProgressAt: T1,
          }),
        ],
        stepStates: [],
        history: [],
      });

      const state = await store.getUserState(U);
      expect(state.checklists).toEqual([
        checklist('payments-team', { doneCount: 1, lastProgressAt: T1 }),
      ]);
      expect(state.steps).toEqual([
        {
          checklistId: 'payments-team',
          stepId: 'a',
          done: true,
          completedAt: T1,
          progressAt: T1,
          completedBy: 'user',
          evidence: null,
        },
      ]);
      expect(state.person).toEqual({
        userRef: U,
        displayName: 'Jane',
        startedAt: T0,
        firstChangeAt: null,
        firstDeployAt: null,
      });
      expect(await store.listTeamMembers(['group:default/payments'])).toEqual([
        expect.objectContaining({
          userRef: U,
          doneCount: 1,
          displayName: 'Jane',
          lastProgressAt: T1,
        }),
      ]);
      expect(await store.listTeamMembers(['group:default/other'])).toEqual([]);
      expect(await store.peopleWithTemplates(['payments-team'])).toEqual([U]);
    });

    it('records changes and deployments idempotently, in either order, keeping the earliest deployment', async () => {
      // The deployment arrives before the change it shipped.
      expect(
        await store.recordDeployments([
          { entityRef: API, deploymentId: 'd2', finishedAt: T2, shas: ['abc'] },
        ]),
      ).toEqual([]);
      expect(
        await store.recordChanges([
          {
            entityRef: API,
            sha: 'abc',
            userRef: U,
            changeId: 'pr-1',
            mergedAt: T1,
          },
        ]),
      ).toEqual([U]);
      expect(
        await store.recordChanges([
          {
            entityRef: API,
            sha: 'abc',
            userRef: U,
            changeId: 'pr-1',
            mergedAt: T1,
          },
        ]),
      ).toEqual([]);
      // An earlier deployment of the same sha wins; a later one changes nothing.
      expect(
        await store.recordDeployments([
          { entityRef: API, deploymentId: 'd1', finishedAt: T1, shas: ['abc'] },
        ]),
      ).toEqual([U]);
      expect(
        await store.recordDeployments([
          { entityRef: API, deploymentId: 'd3', finishedAt: T2, shas: ['abc'] },
        ]),
      ).toEqual([]);
      const { shas } = await store.getUserState(U);
      expect(shas).toEqual([
        {
          entityRef: API,
          sha: 'abc',
          changeId: 'pr-1',
          mergedAt: T1,
          deployedAt: T1,
          deploymentId: 'd1',
        },
      ]);
    });

    it('records the first docs visit only, and deletes the step states a reset clears with its history', async () => {
      expect(
        await store.recordVisit({
          userRef: U,
          entityRef: API,
          kind: 'docs',
          visitedAt: T1,
        }),
      ).toBe(true);
      expect(
        await store.recordVisit({
          userRef: U,
          entityRef: API,
          kind: 'docs',
          visitedAt: T2,
        }),
      ).toBe(false);
      expect((await store.getUserState(U)).visits).toEqual([
        { entityRef: API, kind: 'docs', visitedAt: T1 },
      ]);

      const state = (checklistId: string) => ({
        checklistId,
        stepId: 'a',
        done: true,
        completedAt: T1,
        progressAt: T1,
        completedBy: 'user' as const,
        evidence: null,
      });
      await store.saveProgress(U, {
        checklists: [checklist('one'), checklist('two')],
        stepStates: [state('one'), state('two')],
        history: [],
      });
      await store.saveProgress('user:default/other', {
        checklists: [checklist('one', { userRef: 'user:default/other' })],
        stepStates: [state('one')],
        history: [],
      });
      const reset = {
        userRef: U,
        checklistId: 'one',
        stepId: 'a',
        done: false,
        at: T2,
        by: 'reset' as const,
        actorRef: 'user:default/admin',
      };
      await store.saveProgress(U, {
        deleteStepStates: [{ checklistId: 'one', stepId: 'a' }],
        checklists: [],
        stepStates: [],
        history: [reset],
      });
      expect(
        (await store.getUserState(U)).steps.map(s => s.checklistId),
      ).toEqual(['two']);
      // Only the person's own rows go.
      expect(
        (await store.getUserState('user:default/other')).steps.map(
          s => s.checklistId,
        ),
      ).toEqual(['one']);
      expect(
        (await store.listHistory({ userRef: U, limit: 10, offset: 0 })).items,
      ).toEqual([expect.objectContaining({ checklistId: 'one', by: 'reset' })]);
    });

    it('writes a reset all or nothing: when the history cannot be written, the step states stay', async () => {
      const state = {
        checklistId: 'one',
        stepId: 'a',
        done: true,
        completedAt: T1,
        progressAt: T1,
        completedBy: 'user' as const,
        evidence: null,
      };
      await store.saveProgress(U, {
        checklists: [checklist('one')],
        stepStates: [state],
        history: [],
      });
      // A history row the database refuses (its NOT NULL column "by" is missing), on SQLite and PostgreSQL alike.
      const broken = {
        userRef: U,
        checklistId: 'one',
        stepId: 'a',
        done: false,
        at: T2,
        by: null as unknown as 'reset',
        actorRef: 'user:default/admin',
      };
      // errorMessageOf rather than rejects.toThrow: the driver's error may come from another realm than jest's.
      const message = await errorMessageOf(
        store.saveProgress(U, {
          deleteStepStates: [{ checklistId: 'one', stepId: 'a' }],
          checklists: [checklist('one', { doneCount: 0 })],
          stepStates: [],
          history: [broken],
        }),
      );
      expect(message).toMatch(/not.null|null value/i);
      expect((await store.getUserState(U)).steps).toEqual([state]);
      expect(
        (await store.listHistory({ userRef: U, limit: 10, offset: 0 }))
          .totalCount,
      ).toBe(0);
    });

    it('stores the template set with a compare-and-set revision', async () => {
      expect(await store.getTemplateSetRevision()).toBe(0);
      expect(await store.getTemplateSet()).toBeUndefined();
      const problems = [
        { source: 'a.yaml', message: 'a.yaml: holds no templates' },
      ];
      expect(
        await store.saveTemplateSet(
          {
            templates: [
              { source: 'b.yaml', template: { metadata: { name: 'x' } } },
            ],
            problems,
          },
          0,
        ),
      ).toBe(1);
      // A replica that read nothing (revision 0) or an old revision does not overwrite the newer set.
      expect(
        await store.saveTemplateSet({ templates: [], problems: [] }, 0),
      ).toBeUndefined();
      expect(
        await store.saveTemplateSet(
          { templates: [{ source: 'c.yaml' }], problems: [] },
          1,
        ),
      ).toBe(2);
      expect(
        await store.saveTemplateSet({ templates: [], problems: [] }, 1),
      ).toBeUndefined();
      expect(await store.getTemplateSetRevision()).toBe(2);
      expect(await store.getTemplateSet()).toEqual({
        revision: 2,
        templates: [{ source: 'c.yaml' }],
        problems: [],
        updatedAt: expect.any(Date),
      });
    });

    it('reads several people’s states at once, each with only their own rows', async () => {
      const OTHER = 'user:default/other';
      await store.saveProgress(U, {
        checklists: [checklist('payments-team')],
        stepStates: [
          {
            checklistId: 'payments-team',
            stepId: 'a',
            done: true,
            completedAt: T1,
            progressAt: T1,
            completedBy: 'user',
            evidence: null,
          },
        ],
        history: [],
        person: {
          userRef: U,
          displayName: 'Jane',
          startedAt: T0,
          firstChangeAt: null,
          firstDeployAt: null,
        },
      });
      await store.saveProgress(OTHER, {
        checklists: [
          checklist('b-team', { userRef: OTHER }),
          checklist('a-team', { userRef: OTHER }),
        ],
        stepStates: [],
        history: [],
      });
      await store.recordChanges([
        {
          entityRef: API,
          sha: 'abc',
          userRef: OTHER,
          changeId: 'pr-1',
          mergedAt: T1,
        },
      ]);
      await store.recordVisit({
        userRef: U,
        entityRef: API,
        kind: 'docs',
        visitedAt: T2,
      });

      const states = await store.getUserStates([
        U,
        OTHER,
        'user:default/nobody',
      ]);
      expect(states.get(U)).toEqual(await store.getUserState(U));
      expect(states.get(U)).toMatchObject({
        shas: [],
        visits: [{ entityRef: API }],
        person: { displayName: 'Jane' },
      });
      expect(states.get(U)!.steps).toHaveLength(1);
      expect(states.get(OTHER)!.checklists.map(c => c.checklistId)).toEqual([
        'a-team',
        'b-team',
      ]);
      expect(states.get(OTHER)).toMatchObject({
        steps: [],
        visits: [],
        person: null,
        shas: [{ sha: 'abc' }],
      });
      expect(states.get('user:default/nobody')).toEqual({
        checklists: [],
        steps: [],
        shas: [],
        visits: [],
        teams: [],
        person: null,
      });
    });

    it('records a sha given twice in one batch once, for its last author', async () => {
      const OTHER = 'user:default/other';
      const affected = await store.recordChanges([
        {
          entityRef: API,
          sha: 'abc',
          userRef: U,
          changeId: 'pr-1',
          mergedAt: T1,
        },
        {
          entityRef: API,
          sha: 'abc',
          userRef: OTHER,
          changeId: 'pr-2',
          mergedAt: T2,
        },
      ]);
      expect(affected.sort()).toEqual([OTHER, U].sort());
      expect((await store.getUserState(U)).shas).toEqual([]);
      expect((await store.getUserState(OTHER)).shas).toEqual([
        {
          entityRef: API,
          sha: 'abc',
          changeId: 'pr-2',
          mergedAt: T2,
          deployedAt: null,
          deploymentId: null,
        },
      ]);
    });

    it('pages the history newest first with the total', async () => {
      const history = [1, 2, 3].map(n => ({
        userRef: U,
        checklistId: 'c',
        stepId: `s${n}`,
        done: true,
        at: new Date(T0.getTime() + n * 1000),
        by: 'user' as const,
        actorRef: U,
      }));
      await store.saveProgress(U, {
        checklists: [],
        stepStates: [],
        history,
        person: undefined,
      });
      await store.saveProgress('user:default/other', {
        checklists: [],
        stepStates: [],
        history: [{ ...history[0], userRef: 'user:default/other' }],
      });
      const page = await store.listHistory({ userRef: U, limit: 2, offset: 0 });
      expect(page.totalCount).toBe(3);
      expect(page.items.map(i => i.stepId)).toEqual(['s3', 's2']);
      expect(
        (await store.listHistory({ limit: 10, offset: 0 })).totalCount,
      ).toBe(4);
    });
  },
);
