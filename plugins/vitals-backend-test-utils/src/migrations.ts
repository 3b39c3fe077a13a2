import { Knex } from 'knex';

/**
 * Those of `tables` that exist, in the order given.
 *
 * @public
 */
export async function existingTables(
  knex: Knex,
  tables: readonly string[],
): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    if (await knex.schema.hasTable(table)) found.push(table);
  }
  return found;
}

/**
 * What a database holds of a plugin's schema at one point of a migrations test.
 *
 * @public
 */
export interface SchemaState {
  /** Those of the plugin's tables that exist, in the order given. */
  tables: string[];
  /** The file names of the migrations knex has recorded as done, oldest first. */
  migrations: string[];
}

/**
 * The schema after migrating up, after rolling every migration back, and after migrating up again.
 *
 * @public
 */
export interface MigrationRoundTrip {
  up: SchemaState;
  down: SchemaState;
  upAgain: SchemaState;
}

/**
 * The plugin's tables that exist and the migrations recorded as done.
 *
 * @public
 */
export async function schemaState(
  knex: Knex,
  options: { directory: string; tables: readonly string[] },
): Promise<SchemaState> {
  const [completed] = await knex.migrate.list({ directory: options.directory });
  return {
    tables: await existingTables(knex, options.tables),
    migrations: (completed as Array<{ name: string }>).map(m => m.name),
  };
}

/**
 * Migrates to the latest version, runs `whenUp` (rows and assertions against the full schema), rolls every migration
 * back and migrates up again, and returns the schema at each of the three points for the test to assert on.
 *
 * @public
 */
export async function migrateUpDownUp(
  knex: Knex,
  options: {
    directory: string;
    tables: readonly string[];
    whenUp?: () => Promise<void>;
  },
): Promise<MigrationRoundTrip> {
  const { directory } = options;
  await knex.migrate.latest({ directory });
  const up = await schemaState(knex, options);
  await options.whenUp?.();
  await knex.migrate.rollback({ directory }, true);
  const down = await schemaState(knex, options);
  await knex.migrate.latest({ directory });
  const upAgain = await schemaState(knex, options);
  return { up, down, upAgain };
}

/**
 * The error message a query fails with, or undefined when it succeeds. Tests compare messages (e.g. `/unique/i`)
 * because a driver's error may come from another realm than jest's, which `rejects.toThrow` does not recognise.
 *
 * @public
 */
export async function errorMessageOf(
  query: PromiseLike<unknown>,
): Promise<string | undefined> {
  return Promise.resolve(query).then(
    () => undefined,
    (error: unknown) => String((error as Error)?.message ?? error),
  );
}
