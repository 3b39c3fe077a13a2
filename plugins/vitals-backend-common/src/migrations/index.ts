export {
  migrateToLatest,
  repairMigrationLockTable,
  withMigrationLock,
  withSerialisedMigrations,
} from './migrationLock';
export type {
  MigrationLockOptions,
  MigrationLockPurpose,
  MigrationLockRepair,
} from './migrationLock';
export { replicaSafeDatabaseServiceFactory } from './replicaSafeDatabaseServiceFactory';
