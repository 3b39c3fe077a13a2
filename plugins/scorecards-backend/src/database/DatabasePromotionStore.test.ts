import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { Knex } from 'knex';
import { DatabasePromotionStore } from './DatabasePromotionStore';
import { DatabaseScorecardsStore } from './DatabaseScorecardsStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const CAMPAIGN = {
  kind: 'campaign' as const,
  id: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  title: 'TechDocs for every service',
};
const techDocs = {
  scorecardId: 'prod',
  checkId: 'techdocs',
  levelId: 'bronze',
  configuredLevel: 'gold',
};
const runbook = {
  scorecardId: 'prod',
  checkId: 'runbook',
  levelId: 'bronze',
  configuredLevel: 'silver',
};
const at = (iso: string) => new Date(iso);

describe.each(databases.eachSupportedId())(
  'DatabasePromotionStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabasePromotionStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      // The scorecards store runs the plugin's migrations, the promotions table's among them.
      const scorecards = await DatabaseScorecardsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
      store = scorecards.promotions as DatabasePromotionStore;
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('promotes checks with their origin, lists those in force, and keeps a withdrawn one on record', async () => {
      const promoted = await store.promote(
        [techDocs, runbook],
        CAMPAIGN,
        'user:default/priya.nair',
        at('2026-12-07T10:00:00Z'),
      );
      expect(promoted).toEqual([
        expect.objectContaining({
          ...techDocs,
          origin: CAMPAIGN,
          createdBy: 'user:default/priya.nair',
          createdAt: '2026-12-07T10:00:00.000Z',
          withdrawnAt: null,
          version: 1,
          created: true,
        }),
        expect.objectContaining({ checkId: 'runbook', created: true }),
      ]);
      expect((await store.listPromotions()).map(p => p.checkId).sort()).toEqual(
        ['runbook', 'techdocs'],
      );

      const withdrawn = await store.withdraw(
        promoted[0].id,
        1,
        'user:default/sam',
        at('2026-12-08T09:00:00Z'),
      );
      expect(withdrawn).toMatchObject({
        withdrawnAt: '2026-12-08T09:00:00.000Z',
        withdrawnBy: 'user:default/sam',
        version: 2,
      });
      expect((await store.listPromotions()).map(p => p.checkId)).toEqual([
        'runbook',
      ]);
      expect(
        (await store.listPromotions({ includeWithdrawn: true })).map(
          p => p.checkId,
        ),
      ).toHaveLength(2);
      expect(await store.getPromotion(promoted[0].id)).toMatchObject({
        withdrawnBy: 'user:default/sam',
      });
    });

    it('answers a promotion again to the same level unchanged, and refuses another level with a 409 naming the first', async () => {
      const [first] = await store.promote(
        [techDocs],
        CAMPAIGN,
        'user:default/priya.nair',
        at('2026-12-07T10:00:00Z'),
      );
      const [again] = await store.promote(
        [techDocs],
        { kind: 'manual', id: null, title: null },
        'user:default/sam',
        at('2026-12-09T10:00:00Z'),
      );
      expect(again).toMatchObject({
        id: first.id,
        created: false,
        createdBy: 'user:default/priya.nair',
        origin: CAMPAIGN,
      });

      const refused = store.promote(
        [runbook, { ...techDocs, levelId: 'silver' }],
        CAMPAIGN,
        'user:default/sam',
        at('2026-12-09T10:00:00Z'),
      );
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toThrow(
        "Check 'techdocs' of 'prod' is already required at level 'bronze' (promoted by campaign 'TechDocs for every service' on 2026-12-07",
      );
      // All or none: the runbook check listed first was not promoted either.
      expect((await store.listPromotions()).map(p => p.checkId)).toEqual([
        'techdocs',
      ]);
    });

    it('lets one of two concurrent promotions of a check to different levels win; the other gets a 409', async () => {
      const outcomes = await Promise.allSettled([
        store.promote([techDocs], CAMPAIGN, 'user:default/a', new Date()),
        store.promote(
          [{ ...techDocs, levelId: 'silver' }],
          CAMPAIGN,
          'user:default/b',
          new Date(),
        ),
      ]);
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find(o => o.status === 'rejected') as
        | PromiseRejectedResult
        | undefined;
      expect(failed?.reason).toBeInstanceOf(ConflictError);
      expect(await store.listPromotions()).toHaveLength(1);
    });

    it('withdraws only with the current version, never twice, and says so for an unknown id', async () => {
      const [p] = await store.promote(
        [techDocs],
        CAMPAIGN,
        'user:default/a',
        new Date(),
      );
      await expect(
        store.withdraw(p.id, 2, 'user:default/a', new Date()),
      ).rejects.toThrow(/your version 2, current 1/);
      await store.withdraw(p.id, 1, 'user:default/a', new Date());
      await expect(
        store.withdraw(p.id, 2, 'user:default/a', new Date()),
      ).rejects.toThrow(/already withdrawn by user:default\/a/);
      await expect(
        store.withdraw(
          '6a1b8f5e-1111-4222-8333-444455556666',
          1,
          'user:default/a',
          new Date(),
        ),
      ).rejects.toThrow(NotFoundError);
      // Withdrawn, the check may be promoted again, to another level.
      const [next] = await store.promote(
        [{ ...techDocs, levelId: 'silver' }],
        CAMPAIGN,
        'user:default/b',
        new Date(),
      );
      expect(next).toMatchObject({ levelId: 'silver', created: true });
    });
  },
);
