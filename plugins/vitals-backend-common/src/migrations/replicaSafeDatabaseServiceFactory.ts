import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { withSerialisedMigrations } from './migrationLock';

/**
 * Backstage's database service (`@backstage/backend-defaults/database`: the same config, connections and per-plugin
 * databases), except that on PostgreSQL every plugin's `knex.migrate.latest` waits for the other backend replicas'
 * migrations of the same table and repairs knex's lock table first (see `withMigrationLock`). Several replicas can then
 * start together on an empty or half-migrated database, and a replica killed mid-migration never blocks the next
 * start. Backstage's own plugins (catalog, auth, scheduler, notifications, events, ...) need no change.
 *
 * ```ts
 * backend.add(replicaSafeDatabaseServiceFactory);
 * ```
 *
 * @public
 */
export const replicaSafeDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    // As Backstage's own factory: an in-memory SQLite database when backend.database is not configured.
    const databaseConfig = config.getOptional('backend.database')
      ? config
      : new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        });
    return DatabaseManager.fromConfig(databaseConfig, {
      rootLifecycle,
      rootLogger,
    });
  },
  async factory(
    { pluginMetadata, lifecycle, logger },
    databaseManager,
  ): Promise<DatabaseService> {
    const database = databaseManager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    let client: Promise<Knex> | undefined;
    return {
      migrations: database.migrations,
      getClient() {
        if (!client) {
          client = database
            .getClient()
            .then(knex => withSerialisedMigrations(knex, { logger }));
          // Let a later call try again, as Backstage's database manager does.
          client.catch(() => {
            client = undefined;
          });
        }
        return client;
      },
    };
  },
});
