import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorMessageOf,
  existingTables,
  migrateUpDownUp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-ownership-backend',
  'migrations',
);
const TABLES = [
  'ownership_entities',
  'ownership_groups',
  'ownership_group_closure',
  'ownership_confirmations',
  'ownership_history',
  'ownership_group_figures',
  'ownership_group_confirmed',
];
const INIT_TABLES = TABLES.slice(0, 5);

/** A confirmation of the Payments API's owner. */
const confirmation = (confirmedBy: string) => ({
  entity_ref: 'component:default/payments-api',
  owner_ref: 'group:default/payments',
  confirmed_by: confirmedBy,
  confirmed_at: new Date(),
  comment: null,
});

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  it('migrates up, all the way down and up again', async () => {
    const schema = await migrateUpDownUp(knex, {
      directory: migrationsDir,
      tables: TABLES,
      whenUp: async () => {
        await knex('ownership_confirmations').insert(
          confirmation('user:default/guest'),
        );
        // One current confirmation per entity and owner.
        const duplicate = await errorMessageOf(
          knex('ownership_confirmations').insert(
            confirmation('user:default/jonas.berg'),
          ),
        );
        expect(duplicate).toMatch(/unique|duplicate/i);
      },
    });
    expect(schema).toMatchObject({
      up: { tables: TABLES },
      down: { tables: [], migrations: [] },
      upAgain: { tables: TABLES },
    });
  });

  it('adds the precomputed team figures, filled from the snapshot already stored, and removes them again', async () => {
    await knex.migrate.up({
      directory: migrationsDir,
      name: '20261126200000_init.js',
    });
    expect(await existingTables(knex, TABLES)).toEqual(INIT_TABLES);

    // A snapshot taken before the upgrade: engineering ⊃ payments, one confirmed entity and one never confirmed.
    await knex('ownership_groups').insert([
      {
        group_ref: 'group:default/engineering',
        title: 'Engineering',
        parent_ref: null,
        member_count: 0,
      },
      {
        group_ref: 'group:default/payments',
        title: 'Payments',
        parent_ref: 'group:default/engineering',
        member_count: 3,
      },
    ]);
    await knex('ownership_group_closure').insert([
      {
        ancestor_ref: 'group:default/engineering',
        descendant_ref: 'group:default/engineering',
        depth: 0,
      },
      {
        ancestor_ref: 'group:default/payments',
        descendant_ref: 'group:default/payments',
        depth: 0,
      },
      {
        ancestor_ref: 'group:default/engineering',
        descendant_ref: 'group:default/payments',
        depth: 1,
      },
    ]);
    const entity = (name: string, noContact: boolean) => ({
      entity_ref: `component:default/${name}`,
      kind: 'component',
      title: null,
      system_ref: null,
      owner_ref: 'group:default/payments',
      owner_kind: 'group',
      owner_exists: true,
      owner_title: 'Payments',
      owner_member_count: 3,
      contact_count: noContact ? 0 : 1,
      p_no_owner: false,
      p_owner_unresolved: false,
      p_owner_no_members: false,
      p_owner_single_member: false,
      p_no_contact: noContact,
      problem_count: noContact ? 1 : 0,
      confirmation_applies: true,
      snapshot_at: new Date(),
    });
    await knex('ownership_entities').insert([
      entity('payments-api', false),
      entity('ledger', true),
    ]);
    await knex('ownership_confirmations').insert(
      confirmation('user:default/guest'),
    );

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await existingTables(knex, TABLES)).toEqual(TABLES);
    const figures = await knex('ownership_group_figures').orderBy(
      'list_position',
    );
    expect(
      figures.map(f => [
        f.group_ref,
        Number(f.list_position),
        Number(f.owned_directly),
        Number(f.owned_total),
        Number(f.n_no_contact),
        Number(f.n_problem_free),
      ]),
    ).toEqual([
      ['group:default/engineering', 1, 0, 2, 1, 1],
      ['group:default/payments', 2, 2, 2, 1, 1],
    ]);
    const confirmed = await knex('ownership_group_confirmed').orderBy(
      'group_ref',
    );
    expect(
      confirmed.map(c => [c.group_ref, c.entity_ref, Number(c.problem_free)]),
    ).toEqual([
      ['group:default/engineering', 'component:default/payments-api', 1],
      ['group:default/payments', 'component:default/payments-api', 1],
    ]);

    await knex.migrate.down({ directory: migrationsDir });
    expect(await existingTables(knex, TABLES)).toEqual(INIT_TABLES);
    expect(
      await knex('ownership_entities')
        .count('* as n')
        .first()
        .then(r => Number(r?.n)),
    ).toBe(2);
  });
});
