import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * Points the PostgreSQL 15 test database at a running server (Docker is never started for tests).
 *
 * @public
 */
export const POSTGRES15_CONNECTION_STRING_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every Vitals store and migrations test runs on: SQLite always, PostgreSQL 15 too when
 * `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` is set.
 *
 * @public
 */
export function vitalsTestDatabaseIds(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabaseId[] {
  return env[POSTGRES15_CONNECTION_STRING_VARIABLE]
    ? ['SQLITE_3', 'POSTGRES_15']
    : ['SQLITE_3'];
}

/**
 * `TestDatabases` for {@link vitalsTestDatabaseIds}, without Docker. Call it at the top of a test file (it registers an
 * `afterAll` that closes every database it handed out), then `describe.each(databases.eachSupportedId())`.
 *
 * @public
 */
export function vitalsTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: vitalsTestDatabaseIds(),
    disableDocker: true,
  });
}
