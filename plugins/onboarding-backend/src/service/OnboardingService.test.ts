import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  errorMessageOf,
  exampleFile,
  loadExampleCatalog,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import { Checklist } from '@vitals/plugin-onboarding-common';
import { Knex } from 'knex';
import { DatabaseOnboardingStore } from '../database/DatabaseOnboardingStore';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { AuthorResolver } from './authors';
import { handleDoraIngested } from './doraEvents';
import { OnboardingService } from './OnboardingService';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const GUEST = 'user:default/guest';
const LI = 'user:default/li.wei';
const ADMIN = 'user:default/priya.nair';
const PAYMENTS_API = 'component:default/payments-api';
const SERVICE_CHECKLIST = `service-basics:${PAYMENTS_API}`;

const step = (checklist: Checklist | undefined, id: string) =>
  checklist?.steps.find(s => s.id === id);

describe.each(databases.eachSupportedId())(
  'OnboardingService on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseOnboardingStore;
    let service: OnboardingService;
    let authors: AuthorResolver;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseOnboardingStore.create({
        database: mockServices.database({ knex }),
      });
      const templates = TemplateRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            onboarding: {
              templates: [{ target: exampleFile('onboarding.yaml') }],
            },
          },
        }),
        {},
      );
      await templates.refresh();
      const catalog = catalogServiceMock({ entities: loadExampleCatalog() });
      const auth = mockServices.auth();
      service = new OnboardingService({
        store,
        templates,
        catalog,
        auth,
        logger: mockServices.logger.mock(),
        stalledAfterDays: 14,
      });
      authors = new AuthorResolver(catalog, () =>
        auth.getOwnServiceCredentials(),
      );
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('reads a person’s onboarding without starting it; starting it is its own write', async () => {
      expect(await service.getOnboarding(LI)).toEqual({
        userRef: LI,
        started: false,
        checklists: [],
      });
      expect(await store.peopleWithChecklists([LI])).toEqual([]);
      expect((await service.orgReport()).teams).toEqual([]);

      const started = await service.start(LI);
      expect(started).toMatchObject({ userRef: LI, started: true });
      expect(started!.checklists.map(c => c.id)).toContain(
        'engineering-basics',
      );
      expect(await service.getOnboarding(LI)).toEqual(started);
      expect((await service.orgReport()).teams).toEqual([
        expect.objectContaining({
          groupRef: 'group:default/storefront',
          onboarding: 1,
        }),
      ]);
      expect(
        await service.getOnboarding('user:default/nobody'),
      ).toBeUndefined();
      expect(await service.start('user:default/nobody')).toBeUndefined();
    });

    it('shows a service’s checklist to anyone without starting it; ticking one of its steps starts it', async () => {
      const preview = await service.getEntityChecklist(LI, PAYMENTS_API);
      expect(preview).toMatchObject({
        id: SERVICE_CHECKLIST,
        userRef: LI,
        done: 0,
        stalled: false,
      });
      expect(preview).not.toHaveProperty('startedAt');
      expect(await store.peopleWithChecklists([LI])).toEqual([]);
      // Li does not count as onboarding in Payments for having looked at one of its services.
      expect(await service.teamReport('group:default/payments')).toMatchObject({
        members: [],
      });

      const ticked = await service.setStepDone(
        LI,
        SERVICE_CHECKLIST,
        'clone-and-build',
        true,
      );
      expect(ticked).toMatchObject({
        id: SERVICE_CHECKLIST,
        done: 1,
        startedAt: expect.any(String),
      });
      expect(await service.getEntityChecklist(LI, PAYMENTS_API)).toMatchObject({
        startedAt: ticked.startedAt,
        done: 1,
      });
      await expect(
        service.setStepDone(
          LI,
          `service-basics:${PAYMENTS_API}x`,
          'clone-and-build',
          true,
        ),
      ).rejects.toThrow(/no checklist/);
      await expect(
        service.setStepDone(LI, 'payments-team', 'read-runbook', true),
      ).rejects.toThrow(/no checklist/);
    });

    it('starts an entity’s checklist on request, and refuses entities without one', async () => {
      const started = await service.start(LI, { entityRef: PAYMENTS_API });
      expect(started!.checklists.map(c => c.id)).toEqual([SERVICE_CHECKLIST]);
      await expect(
        service.start(LI, { entityRef: 'component:default/nope' }),
      ).rejects.toThrow('No entity component:default/nope in the catalog');
      await expect(
        service.start(LI, { entityRef: 'component:default/ci-pipelines' }),
      ).rejects.toThrow('No onboarding template targets');
    });

    it('lets DORA events complete steps of people who started, and start nobody', async () => {
      const payload = {
        changes: [
          {
            id: 'pr-1',
            entityRef: 'Component:default/Payments-API',
            sha: 'abc1234def',
            author: 'guest',
            mergedAt: '2026-10-03T10:00:00Z',
          },
        ],
        deployments: [],
      };
      await handleDoraIngested(payload, { store, authors, service });
      expect(await store.peopleWithChecklists([GUEST])).toEqual([]);

      const started = await service.start(GUEST);
      const checklist = started!.checklists.find(
        c => c.id === SERVICE_CHECKLIST,
      );
      expect(step(checklist, 'first-change')).toMatchObject({
        done: true,
        completedBy: 'automatic',
      });

      const later = {
        ...payload,
        changes: [],
        deployments: [
          {
            id: 'dep-1',
            entityRef: PAYMENTS_API,
            environment: 'production',
            finishedAt: '2026-10-03T12:00:00Z',
            commitShas: ['abc1234def'],
          },
        ],
      };
      expect(await handleDoraIngested(later, { store, authors, service })).toBe(
        1,
      );
      const history = await store.listHistory({
        userRef: GUEST,
        limit: 100,
        offset: 0,
      });
      expect(
        history.items.filter(
          i =>
            i.stepId === 'first-deploy' && i.checklistId === SERVICE_CHECKLIST,
        ),
      ).toHaveLength(1);
    });

    it('skips DORA records with dates out of range or values too long to store', async () => {
      const payload = {
        changes: [
          {
            id: 'pr-1',
            entityRef: PAYMENTS_API,
            sha: 'a'.repeat(101),
            author: 'guest',
            mergedAt: '2026-10-03T10:00:00Z',
          },
          {
            id: 'pr-2',
            entityRef: PAYMENTS_API,
            sha: 'bbb',
            author: 'guest',
            mergedAt: '+275760-09-13T00:00:00Z',
          },
          {
            id: 'pr-3',
            entityRef: PAYMENTS_API,
            sha: 'ccc',
            author: 'guest',
            mergedAt: '1969-12-31T23:59:59Z',
          },
        ],
        deployments: [
          {
            id: 'd'.repeat(201),
            entityRef: PAYMENTS_API,
            environment: 'production',
            finishedAt: '2026-10-03T12:00:00Z',
            commitShas: ['bbb'],
          },
        ],
      };
      await service.start(GUEST);
      expect(
        await handleDoraIngested(payload, { store, authors, service }),
      ).toBe(0);
      expect((await store.getUserState(GUEST)).shas).toEqual([]);
    });

    it('resets in one transaction: when the history cannot be written, no tick is lost', async () => {
      await service.start(GUEST);
      await service.setStepDone(GUEST, 'payments-team', 'read-runbook', true);
      const before = await store.listHistory({
        userRef: GUEST,
        limit: 100,
        offset: 0,
      });

      expect(
        (await store.getUserState(GUEST)).steps.filter(s => s.done).length,
      ).toBe(3);
      await knex.schema.renameTable(
        'onboarding_step_history',
        'onboarding_step_history_away',
      );
      expect(await knex.schema.hasTable('onboarding_step_history')).toBe(false);
      // errorMessageOf rather than rejects.toThrow: the driver's error may come from another realm than jest's.
      expect(
        await errorMessageOf(service.reset(GUEST, undefined, ADMIN)),
      ).toMatch(/onboarding_step_history/);
      await knex.schema.renameTable(
        'onboarding_step_history_away',
        'onboarding_step_history',
      );

      const after = await service.getOnboarding(GUEST);
      expect(
        step(
          after!.checklists.find(c => c.id === 'payments-team'),
          'read-runbook',
        )?.done,
      ).toBe(true);
      expect(
        await store.listHistory({ userRef: GUEST, limit: 100, offset: 0 }),
      ).toEqual(before);

      // The tick and the two membership steps are cleared; the membership steps complete again at once.
      expect(await service.reset(GUEST, undefined, ADMIN)).toBe(3);
      const reset = await service.getOnboarding(GUEST);
      const payments = reset!.checklists.find(c => c.id === 'payments-team');
      expect(step(payments, 'read-runbook')?.done).toBe(false);
      // Membership still holds, so that step is done again in the same write.
      expect(step(payments, 'payments-group')).toMatchObject({
        done: true,
        completedBy: 'automatic',
      });
      expect(
        (await store.getUserState(GUEST)).steps.find(
          s =>
            s.checklistId === 'payments-team' && s.stepId === 'payments-group',
        )?.done,
      ).toBe(true);
    });
  },
);
