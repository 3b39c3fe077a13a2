import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseGoalsStore } from '../database/DatabaseGoalsStore';
import { CampaignEvaluator } from './CampaignEvaluator';
import { FigureReader } from './FigureReader';
import { dueReminder, Snapshotter } from './Snapshotter';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

describe('dueReminder', () => {
  const campaign = { deadline: '2026-12-15', reminderDaysBefore: [14, 7, 1] };
  it('is the latest offset whose day has come, until the deadline', () => {
    expect(dueReminder(campaign, '2026-11-30')).toBeUndefined();
    expect(dueReminder(campaign, '2026-12-01')).toBe(14);
    expect(dueReminder(campaign, '2026-12-10')).toBe(7);
    expect(dueReminder(campaign, '2026-12-14')).toBe(1);
    expect(dueReminder(campaign, '2026-12-15')).toBe(1);
    expect(dueReminder(campaign, '2026-12-16')).toBeUndefined();
  });
});

describe('Snapshotter', () => {
  let knex: Knex;
  afterEach(async () => knex?.destroy());

  it('reminds the owners of open entities once per offset, whatever the re-runs', async () => {
    knex = await databases.init('SQLITE_3');
    const store = await DatabaseGoalsStore.create({
      database: mockServices.database({ knex }),
    });
    const sent: unknown[] = [];
    const evaluator = {
      evaluate: async () => ({
        entities: [
          {
            entityRef: 'component:default/a',
            ownerRef: 'group:default/payments',
            state: 'open' as const,
            failingChecks: ['s/c'],
            waivedChecks: [],
          },
          {
            entityRef: 'component:default/b',
            ownerRef: 'group:default/storefront',
            state: 'done' as const,
            failingChecks: [],
            waivedChecks: [],
          },
        ],
        teams: [],
      }),
    } as unknown as CampaignEvaluator;
    const snapshotter = new Snapshotter({
      store,
      reader: {} as FigureReader,
      evaluator,
      logger: mockServices.logger.mock(),
      notifications: { send: async n => void sent.push(n) },
    });
    const campaign = await store.createCampaign(
      {
        name: 'Docs',
        description: '',
        checks: [{ scorecardId: 's', checkId: 'c' }],
        selection: { kind: ['component'] },
        deadline: '2026-12-15',
        effortDaysPerEntity: null,
        reminderDaysBefore: [14, 7, 1],
      },
      'user:default/a',
      new Date('2026-11-01T00:00:00Z'),
    );
    for (const day of [
      '2026-12-01',
      '2026-12-01',
      '2026-12-02',
      '2026-12-08',
    ]) {
      await snapshotter.run(new Date(`${day}T06:00:00Z`));
    }
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: ['group:default/payments'] },
        payload: expect.objectContaining({ title: 'Docs: due in 14 days' }),
      }),
      expect.objectContaining({
        payload: expect.objectContaining({ title: 'Docs: due in 7 days' }),
      }),
    ]);
    const burnUp = await store.getBurnUp(campaign.id);
    expect(burnUp.filter(p => p.ownerRef === null).map(p => p.day)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-08',
    ]);
    expect(
      (await store.listCampaignEvents(campaign.id)).map(e => e.action),
    ).toEqual(['created', 'reminded', 'reminded']);
  });
});
