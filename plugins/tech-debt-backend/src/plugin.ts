import {
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DoraClient } from '@vitals/plugin-dora-common';
import { techDebtPermissions } from '@vitals/plugin-tech-debt-common';
import { DatabaseTechDebtStore } from './database/DatabaseTechDebtStore';
import { seedDemoData } from './demo/seedDemoData';
import { seedDemoIncidentLinks } from './demo/seedDemoIncidentLinks';
import {
  readTaskScheduleWithFallback,
  scheduleDemoSeed,
} from '@vitals/backend-common';
import { syncPlacementsFromCatalog } from './service/catalogSync';
import { createRouter } from './service/router';

/** The scheduled task that refreshes owner and system of items from the catalog. */
export const CATALOG_SYNC_TASK_ID = 'tech-debt-catalog-sync';
/** The demo seeding task (with `vitals.demo.enabled`), also the name of its exclusive lock. */
export const DEMO_SEED_TASK_ID = 'tech-debt-demo-seed';
/** The demo task that links a few demo items to the DORA demo's incidents (with `vitals.demo.enabled`). */
export const DEMO_INCIDENT_LINKS_TASK_ID = 'tech-debt-demo-incident-links';

/** Where the catalog sync's schedule is configured. */
export const CATALOG_SYNC_SCHEDULE_KEY = 'techDebt.schedules.catalogSync';
/** The old, plain-duration key of the catalog sync's frequency, still read (with a warning) when the schedule is not set. */
export const DEPRECATED_CATALOG_SYNC_FREQUENCY_KEY =
  'techDebt.catalogSyncFrequency';

/** The plugins whose service may refresh incident links (default `['postmortems']`). */
export const INCIDENT_LINK_REFRESHERS_KEY =
  'techDebt.incidentLinks.refreshingPlugins';

/** The catalog sync's schedule unless configured: every 10 minutes, the first 30 seconds after start, on one replica. */
export const DEFAULT_CATALOG_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    scope: 'global',
  };

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
        discovery: coreServices.discovery,
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

        await scheduler.scheduleTask({
          ...readTaskScheduleWithFallback(config, logger, {
            key: CATALOG_SYNC_SCHEDULE_KEY,
            deprecated: {
              key: DEPRECATED_CATALOG_SYNC_FREQUENCY_KEY,
              holds: 'frequency',
            },
            defaults: DEFAULT_CATALOG_SYNC_SCHEDULE,
          }),
          id: CATALOG_SYNC_TASK_ID,
          fn: async () => {
            await syncPlacementsFromCatalog({ store, catalog, auth, logger });
          },
        });

        // With `vitals.demo.enabled`: retries until the catalog has ingested components, then seeds once (never again
        // after the register has held any item).
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_SEED_TASK_ID,
          seed: async () =>
            ((await seedDemoData({ store, catalog, auth, logger })) ?? 0) > 0,
        });
        // Then a few demo items get the DORA demo incidents they came from, read through the DORA API as this plugin,
        // so that measured interest and the repeat-incidents report have something to show.
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_INCIDENT_LINKS_TASK_ID,
          seed: async () =>
            ((await seedDemoIncidentLinks({
              store,
              logger,
              dora: new DoraClient({
                discoveryApi: deps.discovery,
                fetchApi: {
                  fetch: async (input, init) => {
                    const { token } = await auth.getPluginRequestToken({
                      onBehalfOf: await auth.getOwnServiceCredentials(),
                      targetPluginId: 'dora',
                    });
                    const headers = new Headers(init?.headers);
                    headers.set('Authorization', `Bearer ${token}`);
                    return fetch(input, { ...init, headers });
                  },
                },
              }),
            })) ?? 0) > 0,
        });

        httpRouter.use(
          await createRouter({
            store,
            catalog,
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            incidentLinkRefreshers: config.getOptionalStringArray(
              INCIDENT_LINK_REFRESHERS_KEY,
            ),
          }),
        );
      },
    });
  },
});
