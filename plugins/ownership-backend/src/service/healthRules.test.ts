import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { loadExampleCatalog } from '@vitals/backend-test-utils';
import { OwnershipProblemKind } from '@vitals/plugin-ownership-common';
import { Knex } from 'knex';
import { DatabaseOwnershipStore } from '../database/DatabaseOwnershipStore';
import { createHealthRules, HealthRules } from './healthRules';
import { takeSnapshot } from './snapshot';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const NOW = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;

/** The problems the org report lists for an entity of the example org. */
async function problemsOf(
  store: DatabaseOwnershipStore,
  entityRef: string,
  periodDays = 180,
) {
  const page = await store.listProblems(
    { limit: 1000, offset: 0 },
    { cutoff: new Date(NOW.getTime() - periodDays * DAY), periodDays },
  );
  return page.rows.find(r => r.entityRef === entityRef)?.problems ?? [];
}

const kindsOf = (problems: Array<{ kind: OwnershipProblemKind }>) =>
  problems.map(p => p.kind);

describe('health rules on the example org', () => {
  let knex: Knex;
  let store: DatabaseOwnershipStore;

  async function snapshot(
    entities: Entity[],
    rules: HealthRules = createHealthRules(),
  ) {
    await takeSnapshot({
      catalog: catalogServiceMock({ entities }),
      credentials: mockCredentials.service(),
      store,
      rules,
      now: NOW,
      pageSize: 4, // several pages even for the small example org
    });
  }

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    store = await DatabaseOwnershipStore.create({
      database: mockServices.database({ knex }),
    });
  });

  afterEach(async () => {
    await knex.destroy();
  });

  it('no-owner: an entity that names no owner (a snapshot row the catalog schema would not allow for a Component)', async () => {
    const ownerless: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orphan-bucket', namespace: 'default' },
      spec: { type: 's3-bucket' },
    };
    await snapshot([...loadExampleCatalog(), ownerless]);
    const problems = await problemsOf(store, 'resource:default/orphan-bucket');
    expect(kindsOf(problems)).toEqual(['no-owner', 'no-contact']);
    expect(problems[0].message).toBe(
      'resource:default/orphan-bucket names no owner: set spec.owner to the team that runs it.',
    );
  });

  it('owner-unresolved: promo-engine names group:default/growth, which does not exist', async () => {
    await snapshot(loadExampleCatalog());
    const problems = await problemsOf(store, 'component:default/promo-engine');
    expect(kindsOf(problems)).toEqual(['owner-unresolved', 'no-contact']);
    expect(problems[0].message).toContain(
      'group:default/growth is not in the catalog',
    );
  });

  it('owner-no-members: legacy-reporting is owned by the disbanded Analytics group', async () => {
    await snapshot(loadExampleCatalog());
    const problems = await problemsOf(
      store,
      'component:default/legacy-reporting',
    );
    expect(kindsOf(problems)).toEqual([
      'owner-no-members',
      'no-contact',
      'confirmation-overdue',
    ]);
    expect(problems[0].message).toBe(
      'Analytics (disbanded) (group:default/analytics) has no members: nobody is there to own it.',
    );
  });

  it('owner-single-member: recommendations is owned by Data, a team of one', async () => {
    await snapshot(loadExampleCatalog());
    const problems = await problemsOf(
      store,
      'component:default/recommendations',
    );
    expect(kindsOf(problems)).toContain('owner-single-member');
    expect(problems.find(p => p.kind === 'owner-single-member')!.message).toBe(
      'Data (group:default/data) has a single member: bus factor 1.',
    );
  });

  it('no-contact: Data has no Slack channel or email and recommendations has none either; Payments services do', async () => {
    await snapshot(loadExampleCatalog());
    expect(
      kindsOf(await problemsOf(store, 'component:default/recommendations')),
    ).toContain('no-contact');
    // ledger-service has no annotation of its own but its team has a Slack channel and an email.
    expect(
      kindsOf(await problemsOf(store, 'component:default/ledger-service')),
    ).not.toContain('no-contact');
  });

  it('confirmation-overdue: never confirmed, or confirmed longer ago than the period; a fresh confirmation clears it', async () => {
    await snapshot(loadExampleCatalog());
    expect(
      kindsOf(await problemsOf(store, 'component:default/payments-api')),
    ).toEqual(['confirmation-overdue']);
    expect(
      (await problemsOf(store, 'component:default/payments-api'))[0].message,
    ).toBe(
      'Payments (group:default/payments) has never confirmed that it owns this.',
    );

    await store.recordConfirmation({
      entityRef: 'component:default/checkout-api',
      ownerRef: 'group:default/storefront',
      actor: 'user:default/maria.santos',
      comment: null,
      at: new Date(NOW.getTime() - 181 * DAY),
    });
    const overdue = await problemsOf(store, 'component:default/checkout-api');
    expect(overdue).toEqual([
      {
        kind: 'confirmation-overdue',
        message: `Ownership was last confirmed on ${new Date(
          NOW.getTime() - 181 * DAY,
        )
          .toISOString()
          .slice(
            0,
            10,
          )} by user:default/maria.santos; confirmations expire after 180 days.`,
      },
    ]);
    // With a longer period the same confirmation still counts.
    expect(
      await problemsOf(store, 'component:default/checkout-api', 365),
    ).toEqual([]);

    await store.recordConfirmation({
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/payments',
      actor: 'user:default/guest',
      comment: null,
      at: NOW,
    });
    expect(await problemsOf(store, 'component:default/payments-api')).toEqual(
      [],
    );
  });

  it('applies each check only to the kinds configured for it', async () => {
    await snapshot(
      loadExampleCatalog(),
      createHealthRules({
        kinds: ['Component', 'System'],
        checks: {
          'no-contact': { kinds: ['System'] },
          'confirmation-overdue': { enabled: false },
        },
      }),
    );
    // Components are no longer checked for contacts or confirmation; the missing members still count.
    expect(
      kindsOf(await problemsOf(store, 'component:default/legacy-reporting')),
    ).toEqual(['owner-no-members']);
    expect(await problemsOf(store, 'component:default/payments-api')).toEqual(
      [],
    );
    const summary = await store.getReportSummary(
      {},
      { cutoff: NOW, periodDays: 180 },
    );
    // 10 components and 3 systems; APIs and resources are not covered.
    expect(summary.total).toBe(13);
  });

  it('rejects a confirmation period that is not a whole number of days from 1 to 3660', () => {
    expect(() => createHealthRules({ confirmationPeriodDays: 0 })).toThrow(
      /confirmationPeriodDays/,
    );
    // A period so long that the cutoff would be before 1970 (or not a date at all) is refused at start.
    expect(() => createHealthRules({ confirmationPeriodDays: 1e9 })).toThrow(
      /confirmationPeriodDays.*1 to 3660/,
    );
    expect(
      createHealthRules({ confirmationPeriodDays: 3660 })
        .confirmationPeriodDays,
    ).toBe(3660);
    expect(createHealthRules().confirmationPeriodDays).toBe(180);
  });
});
