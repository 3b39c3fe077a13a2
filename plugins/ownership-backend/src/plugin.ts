import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ownershipPermissions } from '@vitals/plugin-ownership-common';
import { DatabaseOwnershipStore } from './database/DatabaseOwnershipStore';
import { seedDemoData } from './demo/seedDemoData';
import { readHealthRules } from './service/healthRules';
import { createRouter } from './service/router';
import { takeSnapshot } from './service/snapshot';
import { runExclusively, scheduleDemoSeed } from '@vitals/backend-common';
import { readSnapshotSchedule } from './schedules';

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

        await scheduler.scheduleTask({
          ...readSnapshotSchedule(config, logger),
          id: SNAPSHOT_TASK_ID,
          fn: async () => {
            const credentials = await auth.getOwnServiceCredentials();
            // Never two snapshots at once, even when a run outlives its timeout: each appends the changes it sees.
            await runExclusively(
              await database.getClient(),
              SNAPSHOT_TASK_ID,
              () =>
                takeSnapshot({ catalog, credentials, store, rules, logger }),
            );
          },
        });

        // With `vitals.demo.enabled`: retries until the catalog has ingested components, seeds once, then takes a
        // snapshot right away so that the demo shows up without waiting for the next scheduled one.
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_SEED_TASK_ID,
          seed: async () =>
            ((await seedDemoData({ store, catalog, auth, logger })) ?? 0) > 0,
          afterSeed: () =>
            scheduler.triggerTask(SNAPSHOT_TASK_ID).catch(() => undefined),
        });

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
