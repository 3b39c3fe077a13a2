import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techDebtPermissions } from '@vitals/plugin-tech-debt-common';
import { DatabaseTechDebtStore } from './database/DatabaseTechDebtStore';
import { seedDemoData } from './demo/seedDemoData';
import { runExclusively } from '@vitals/backend-common';
import { syncPlacementsFromCatalog } from './service/catalogSync';
import { createRouter } from './service/router';

/**
 * The tech-debt register backend: REST API under `/api/tech-debt/v1`.
 *
 * @public
 */
export const techDebtPlugin = createBackendPlugin({
  pluginId: 'tech-debt',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const {
          config,
          logger,
          database,
          httpRouter,
          scheduler,
          catalog,
          auth,
        } = deps;
        deps.permissionsRegistry.addPermissions(techDebtPermissions);

        const store = await DatabaseTechDebtStore.create({ database });

        // A duration: an object like { minutes: 10 } or a string like 'PT10M' / '10m'.
        const syncFrequency = config.has('techDebt.catalogSyncFrequency')
          ? readDurationFromConfig(config, {
              key: 'techDebt.catalogSyncFrequency',
            })
          : { minutes: 10 };
        await scheduler.scheduleTask({
          id: 'tech-debt-catalog-sync',
          frequency: syncFrequency,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          scope: 'global',
          fn: async () => {
            await syncPlacementsFromCatalog({ store, catalog, auth, logger });
          },
        });

        if (config.getOptionalBoolean('vitals.demo.enabled')) {
          // Retries every 20 seconds until the catalog has ingested components, then finds history and stops.
          await scheduler.scheduleTask({
            id: 'tech-debt-demo-seed',
            frequency: { seconds: 20 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 5 },
            scope: 'global',
            fn: async () => {
              // Never two seeds at once, even when a run outlives its timeout: the seed checks, then writes.
              await runExclusively(
                await database.getClient(),
                'tech-debt-demo-seed',
                () => seedDemoData({ store, catalog, auth, logger }),
              );
            },
          });
        }

        httpRouter.use(
          await createRouter({
            store,
            catalog,
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
      },
    });
  },
});
