import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseScorecardsStore } from './DatabaseScorecardsStore';
import { DatabaseWaiverStore } from './DatabaseWaiverStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

/**
 * Opens the pool's connections (five in tests) before concurrent requests, so that they really run side by side:
 * on a cold pool each waits for a new connection and the first has finished by then.
 */
const openConnections = (db: Knex) =>
  Promise.all(
    [1, 2, 3, 4, 5].map(() =>
      db.client.config.client === 'pg'
        ? db.raw('select pg_sleep(0.05)')
        : db.raw('select 1'),
    ),
  );

describe.each(databases.eachSupportedId())(
  'DatabaseWaiverStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseWaiverStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      // The scorecards store runs the plugin's migrations, the waiver table's among them.
      await DatabaseScorecardsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
      store = new DatabaseWaiverStore(knex);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const future = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const newWaiver = {
      entityRef: 'component:default/api',
      scorecardId: 'prod',
      checkId: 'docs',
      reason: 'Docs move to the new site in Q1',
      expiresAt: future,
    };

    it('creates, lists, updates with a version and revokes a waiver', async () => {
      const created = await store.createWaiver(newWaiver, 'user:default/alice');
      expect(created).toMatchObject({
        ...newWaiver,
        createdBy: 'user:default/alice',
        version: 1,
        revokedAt: null,
      });
      expect(await store.getWaiver(created.id)).toEqual(created);
      expect(
        await store.listActiveWaivers(
          ['component:default/api', 'component:default/other'],
          new Date(),
        ),
      ).toEqual([created]);

      const updated = await store.updateWaiver(
        created.id,
        { reason: 'Postponed' },
        1,
        'user:default/bob',
      );
      expect(updated).toMatchObject({
        reason: 'Postponed',
        version: 2,
        updatedBy: 'user:default/bob',
      });
      await expect(
        store.updateWaiver(
          created.id,
          { reason: 'stale' },
          1,
          'user:default/alice',
        ),
      ).rejects.toThrow(ConflictError);

      await expect(
        store.revokeWaiver(created.id, 1, 'user:default/alice'),
      ).rejects.toThrow(ConflictError);
      const revoked = await store.revokeWaiver(
        created.id,
        2,
        'user:default/bob',
      );
      expect(revoked).toMatchObject({
        revokedBy: 'user:default/bob',
        version: 3,
      });
      expect(
        await store.listActiveWaivers(['component:default/api'], new Date()),
      ).toEqual([]);
      expect(
        await store.listWaivers({
          entityRef: 'component:default/api',
          limit: 10,
        }),
      ).toHaveLength(1);
      expect(
        await store.listWaivers({
          entityRef: 'component:default/api',
          activeAt: new Date(),
          limit: 10,
        }),
      ).toEqual([]);
    });

    it('allows one waiver in force per entity and check', async () => {
      await store.createWaiver(newWaiver, 'user:default/alice');
      await expect(
        store.createWaiver(newWaiver, 'user:default/bob'),
      ).rejects.toThrow(ConflictError);
      await store.createWaiver(
        { ...newWaiver, checkId: 'owner' },
        'user:default/bob',
      );
    });

    it('lets exactly one of several concurrent waivers for one check in; the others get a conflict', async () => {
      await openConnections(knex);
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map(i =>
          store.createWaiver(
            { ...newWaiver, reason: `Reason ${i}` },
            `user:default/u${i}`,
          ),
        ),
      );
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      const refusals = outcomes.flatMap(o =>
        o.status === 'rejected' ? [(o.reason as Error).name] : [],
      );
      expect(refusals).toEqual([
        'ConflictError',
        'ConflictError',
        'ConflictError',
        'ConflictError',
        'ConflictError',
      ]);
      expect(
        await store.listActiveWaivers([newWaiver.entityRef], new Date()),
      ).toHaveLength(1);
    });

    it('applies a waiver to its entity whatever case the ref was written in', async () => {
      const created = await store.createWaiver(
        { ...newWaiver, entityRef: 'component:default/Payments-API' },
        'user:default/alice',
      );
      expect(created.entityRef).toBe('component:default/payments-api');
      expect(
        await store.listActiveWaivers(
          ['component:default/payments-api'],
          new Date(),
        ),
      ).toEqual([created]);
      expect(
        await store.listActiveWaivers(
          ['Component:Default/PAYMENTS-API'],
          new Date(),
        ),
      ).toEqual([created]);
      expect(
        await store.listWaivers({
          entityRef: 'component:default/PAYMENTS-api',
          limit: 10,
        }),
      ).toEqual([created]);
      await expect(
        store.createWaiver(
          { ...newWaiver, entityRef: 'component:default/payments-api' },
          'user:default/bob',
        ),
      ).rejects.toThrow(ConflictError);
    });

    it('lets a new waiver replace an expired one, and refuses to put the expired one back in force over it', async () => {
      const expired = await store.createWaiver(newWaiver, 'user:default/alice');
      await knex('scorecard_waivers')
        .where({ id: expired.id })
        .update({ expires_at: new Date(Date.now() - 1000) });
      const replacement = await store.createWaiver(
        { ...newWaiver, reason: 'Still moving' },
        'user:default/bob',
      );
      expect(
        await store.listActiveWaivers([newWaiver.entityRef], new Date()),
      ).toEqual([replacement]);
      const conflict = await store
        .updateWaiver(
          expired.id,
          { expiresAt: future },
          1,
          'user:default/alice',
        )
        .catch((e: Error) => e);
      expect((conflict as Error).name).toBe('ConflictError');
      // A withdrawn waiver frees the check.
      await store.revokeWaiver(replacement.id, 1, 'user:default/bob');
      const again = await store.updateWaiver(
        expired.id,
        { expiresAt: future },
        1,
        'user:default/alice',
      );
      expect(
        await store.listActiveWaivers([newWaiver.entityRef], new Date()),
      ).toEqual([again]);
    });

    it('stops listing a waiver as active once it has expired', async () => {
      const created = await store.createWaiver(newWaiver, 'user:default/alice');
      const later = new Date(Date.parse(future) + 1000);
      expect(
        await store.listActiveWaivers(['component:default/api'], later),
      ).toEqual([]);
      expect(
        await store.listActiveWaivers(['component:default/api'], new Date()),
      ).toEqual([created]);
    });
    it('serves the same waivers through the scorecards store, the one object the router and evaluator hold', async () => {
      const scorecards = await DatabaseScorecardsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
      const created = await scorecards.createWaiver(
        newWaiver,
        'user:default/alice',
      );
      expect(await store.getWaiver(created.id)).toEqual(created);
      expect(
        await scorecards.listActiveWaivers([newWaiver.entityRef], new Date()),
      ).toEqual([created]);
      const revoked = await scorecards.revokeWaiver(
        created.id,
        1,
        'user:default/bob',
      );
      expect(await store.getWaiver(created.id)).toEqual(revoked);
    });
  },
);
