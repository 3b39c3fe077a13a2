import {
  coreServices,
  createBackendPlugin,
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { onboardingPermissions } from '@vitals/plugin-onboarding-common';
import { DatabaseOnboardingStore } from './database/DatabaseOnboardingStore';
import { seedDemoData } from './demo/seedDemoData';
import { readTaskSchedule, scheduleDemoSeed } from '@vitals/backend-common';
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

/** Where the templates' refresh schedule is configured. */
export const TEMPLATES_SCHEDULE_KEY = 'onboarding.schedules.templatesRefresh';
/** The old, plain-duration key of the refresh frequency, still read when the schedule is not configured. */
export const DEPRECATED_REFRESH_FREQUENCY_KEY = 'onboarding.refreshFrequency';

/** The templates' refresh unless configured: every 5 minutes (and at start), the first a minute after start. */
export const DEFAULT_TEMPLATES_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: { minutes: 1 },
    scope: 'global',
  };

/**
 * The templates' refresh schedule: `onboarding.schedules.templatesRefresh` (a Backstage schedule: `frequency` and
 * `timeout` required; `initialDelay` a minute unless given), else the deprecated `onboarding.refreshFrequency` with a
 * warning in the log, else {@link DEFAULT_TEMPLATES_SCHEDULE}.
 */
export function readTemplatesSchedule(
  config: Config,
  logger: LoggerService,
): SchedulerServiceTaskScheduleDefinition {
  const deprecated = config.has(DEPRECATED_REFRESH_FREQUENCY_KEY);
  if (config.has(TEMPLATES_SCHEDULE_KEY)) {
    if (deprecated) {
      logger.warn(
        `${DEPRECATED_REFRESH_FREQUENCY_KEY} is ignored: ${TEMPLATES_SCHEDULE_KEY} is set; remove the old key`,
      );
    }
    const schedule = readTaskSchedule(
      config,
      TEMPLATES_SCHEDULE_KEY,
      DEFAULT_TEMPLATES_SCHEDULE,
    );
    return {
      ...schedule,
      initialDelay:
        schedule.initialDelay ?? DEFAULT_TEMPLATES_SCHEDULE.initialDelay,
    };
  }
  if (deprecated) {
    logger.warn(
      `${DEPRECATED_REFRESH_FREQUENCY_KEY} is deprecated: set ${TEMPLATES_SCHEDULE_KEY}: { frequency, timeout } instead`,
    );
    return {
      ...DEFAULT_TEMPLATES_SCHEDULE,
      frequency: readDurationFromConfig(config, {
        key: DEPRECATED_REFRESH_FREQUENCY_KEY,
      }),
    };
  }
  return DEFAULT_TEMPLATES_SCHEDULE;
}

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
          ...readTemplatesSchedule(config, logger),
          id: TEMPLATES_TASK_ID,
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

        // With `vitals.demo.enabled`: retries until the catalog has ingested the example users, then seeds once.
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_SEED_TASK_ID,
          seed: async () =>
            Boolean(await seedDemoData({ service, store, logger })),
        });

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
