import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ownershipPermissions } from '@vitals/plugin-ownership-common';
import { DatabaseOwnershipStore } from './database/DatabaseOwnershipStore';
import { seedDemoData } from './demo/seedDemoData';
import { readHealthRules } from './service/healthRules';
import { createRouter } from './service/router';
import { takeSnapshot } from './service/snapshot';
import { runExclusively } from '@vitals/backend-common';

export const SNAPSHOT_TASK_ID = 'ownership-snapshot';
export const DEMO_SEED_TASK_ID = 'ownership-demo-seed';

/**
 * Ownership health: a scheduled catalog snapshot, configurable health rules, confirmations and history, REST API
 * under `/api/ownership/v1`.
 *
 * @public
 */
export const ownershipPlugin = createBackendPlugin({
  pluginId: 'ownership',
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
        deps.permissionsRegistry.addPermissions(ownershipPermissions);

        const rules = readHealthRules(config);
        const store = await DatabaseOwnershipStore.create({ database });

        const frequency = config.has('ownership.snapshotFrequency')
          ? readDurationFromConfig(config, {
              key: 'ownership.snapshotFrequency',
            })
          : { minutes: 10 };
        await scheduler.scheduleTask({
          id: SNAPSHOT_TASK_ID,
          frequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 30 },
          scope: 'global',
          fn: async () => {
            const credentials = await auth.getOwnServiceCredentials();
            // Never two snapshots at once, even when a run outlives its timeout: each appends the changes it sees.
            await runExclusively(
              await database.getClient(),
              'ownership-snapshot',
              () =>
                takeSnapshot({ catalog, credentials, store, rules, logger }),
            );
          },
        });

        if (config.getOptionalBoolean('vitals.demo.enabled')) {
          // Retries every 20 seconds until the catalog has ingested components, seeds once, then takes a snapshot
          // right away so that the demo shows up without waiting for the next scheduled one.
          await scheduler.scheduleTask({
            id: DEMO_SEED_TASK_ID,
            frequency: { seconds: 20 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 5 },
            scope: 'global',
            fn: async () => {
              const run = await runExclusively(
                await database.getClient(),
                'ownership-demo-seed',
                () => seedDemoData({ store, catalog, auth, logger }),
              );
              const seeded = run.ran && run.result;
              if (seeded)
                await scheduler
                  .triggerTask(SNAPSHOT_TASK_ID)
                  .catch(() => undefined);
            },
          });
        }

        httpRouter.use(
          await createRouter({
            store,
            rules,
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
