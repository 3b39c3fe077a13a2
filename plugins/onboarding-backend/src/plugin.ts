import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { onboardingPermissions } from '@vitals/plugin-onboarding-common';
import { DatabaseOnboardingStore } from './database/DatabaseOnboardingStore';
import { seedDemoData } from './demo/seedDemoData';
import { runExclusively } from '@vitals/backend-common';
import { AuthorResolver } from './service/authors';
import { subscribeToDora } from './service/doraEvents';
import { OnboardingService } from './service/OnboardingService';
import { createRouter } from './service/router';
import { TemplateRegistry } from './templates/TemplateRegistry';

export const TEMPLATES_TASK_ID = 'onboarding-templates-refresh';
export const TEMPLATES_SYNC_TASK_ID = 'onboarding-templates-sync';
export const DEMO_SEED_TASK_ID = 'onboarding-demo-seed';

/** How often each replica checks for a template set another replica stored: replicas agree within this. */
export const TEMPLATES_SYNC_FREQUENCY = { seconds: 10 };

/** `onboarding.stalledAfterDays`: a whole number of days, 1 to 3650; default 14. */
export function readStalledAfterDays(config: Config): number {
  const days = config.getOptionalNumber('onboarding.stalledAfterDays') ?? 14;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(
      `Invalid config onboarding.stalledAfterDays: must be a whole number of days from 1 to 3650, not ${days}`,
    );
  }
  return days;
}

/**
 * Onboarding checklists: templates from app-config, per-person progress, automatic steps from DORA events, team and
 * org reports; REST API under `/api/onboarding/v1`.
 *
 * @public
 */
export const onboardingPlugin = createBackendPlugin({
  pluginId: 'onboarding',
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
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger, database, scheduler, catalog, auth } = deps;
        deps.permissionsRegistry.addPermissions(onboardingPermissions);

        const store = await DatabaseOnboardingStore.create({ database });
        const templates = TemplateRegistry.fromConfig(config, {
          reader: deps.urlReader,
          logger,
          store,
        });
        const service = new OnboardingService({
          store,
          templates,
          catalog,
          auth,
          logger,
          stalledAfterDays: readStalledAfterDays(config),
        });

        // The templates live in the database, so that every replica serves the same set (and a file that breaks
        // keeps its last good templates). One replica at a time re-reads the files (scope global) and stores the
        // result; when a template's steps changed, it recomputes the totals of the people with its checklists.
        const refreshTemplates = async () => {
          const changed = await templates.refresh();
          if (changed.length)
            await service.reevaluate(await store.peopleWithTemplates(changed));
        };
        await refreshTemplates();
        await scheduler.scheduleTask({
          id: TEMPLATES_TASK_ID,
          frequency: config.has('onboarding.refreshFrequency')
            ? readDurationFromConfig(config, {
                key: 'onboarding.refreshFrequency',
              })
            : { minutes: 5 },
          timeout: { minutes: 2 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: refreshTemplates,
        });
        // Every replica picks up the stored set within TEMPLATES_SYNC_FREQUENCY (one small query when unchanged).
        await scheduler.scheduleTask({
          id: TEMPLATES_SYNC_TASK_ID,
          frequency: TEMPLATES_SYNC_FREQUENCY,
          timeout: { seconds: 30 },
          initialDelay: TEMPLATES_SYNC_FREQUENCY,
          scope: 'local',
          fn: async () => {
            await templates.sync();
          },
        });

        const authors = new AuthorResolver(catalog, () =>
          auth.getOwnServiceCredentials(),
        );
        await subscribeToDora(deps.events, { store, authors, service, logger });

        if (config.getOptionalBoolean('vitals.demo.enabled')) {
          // Retries every 20 seconds until the catalog has ingested the example users, seeds once.
          await scheduler.scheduleTask({
            id: DEMO_SEED_TASK_ID,
            frequency: { seconds: 20 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 5 },
            scope: 'global',
            fn: async () => {
              // Never two seeds at once, even when a run outlives its timeout: the seed checks, then writes.
              await runExclusively(
                await database.getClient(),
                'onboarding-demo-seed',
                () => seedDemoData({ service, store, logger }),
              );
            },
          });
        }

        deps.httpRouter.use(
          await createRouter({
            service,
            store,
            templates,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
          }),
        );
      },
    });
  },
});
