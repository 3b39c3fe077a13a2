import { vitalsTestDatabaseIds, vitalsTestDatabases } from './databases';

describe('vitalsTestDatabaseIds', () => {
  it('is SQLite alone without a PostgreSQL connection string', () => {
    expect(vitalsTestDatabaseIds({})).toEqual(['SQLITE_3']);
    expect(
      vitalsTestDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: '',
      }),
    ).toEqual(['SQLITE_3']);
  });

  it('adds PostgreSQL 15 when its connection string is set', () => {
    expect(
      vitalsTestDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
          'postgresql://postgres@127.0.0.1:5432',
      }),
    ).toEqual(['SQLITE_3', 'POSTGRES_15']);
  });
});

describe('vitalsTestDatabases', () => {
  const databases = vitalsTestDatabases();

  it('supports exactly the databases of this environment, never one that needs Docker', () => {
    const withPostgres = Boolean(
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
    );
    expect(databases.eachSupportedId()).toEqual(
      withPostgres ? [['SQLITE_3'], ['POSTGRES_15']] : [['SQLITE_3']],
    );
    expect(databases.supports('MYSQL_8')).toBe(false);
  });
});
