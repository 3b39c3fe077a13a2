import {
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readTaskSchedule, scheduleDemoSeed } from '@vitals/backend-common';
import { goalsPermissions } from '@vitals/plugin-goals-common';
import { DatabaseGoalsStore } from './database/DatabaseGoalsStore';
import { seedDemoData } from './demo/seedDemoData';
import { StakeholderReporter } from './report/StakeholderReporter';
import {
  createAreaClients,
  createScorecardsClientAs,
} from './service/areaClients';
import { CampaignEvaluator } from './service/CampaignEvaluator';
import { AreaFigureReader } from './service/FigureReader';
import { createOrgGroupResolver } from './service/orgGroup';
import { createRouter } from './service/router';
import { Snapshotter } from './service/Snapshotter';

/** The daily snapshot of key results and campaigns. */
export const SNAPSHOT_TASK_ID = 'goals-snapshot';
/** The demo seeding task (with `vitals.demo.enabled`), also the name of its exclusive lock. */
export const DEMO_SEED_TASK_ID = 'goals-demo-seed';
/** Where the snapshot's schedule is configured. */
export const SNAPSHOT_SCHEDULE_KEY = 'goals.schedules.snapshot';

/** The snapshot's schedule unless configured: daily, the first 2 minutes after start, on one replica. */
export const DEFAULT_SNAPSHOT_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 2 },
    scope: 'global',
  };

/**
 * Vitals goals and campaigns: REST API under `/api/goals/v1`.
 *
 * @public
 */
export const goalsPlugin = createBackendPlugin({
  pluginId: 'goals',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, database, scheduler, catalog, auth } = deps;
        deps.permissionsRegistry.addPermissions(goalsPermissions);

        const store = await DatabaseGoalsStore.create({ database });
        const clients = createAreaClients({ auth, discovery: deps.discovery });
        const orgGroupRef = createOrgGroupResolver({
          configured: config.getOptionalString('goals.orgGroupRef'),
          catalog,
          auth,
        });
        const reader = new AreaFigureReader(clients, orgGroupRef);
        const evaluator = new CampaignEvaluator({
          catalog,
          scorecards: clients.scorecards,
          techDebt: clients.techDebt,
          credentials: () => auth.getOwnServiceCredentials(),
        });
        const snapshotter = new Snapshotter({
          store,
          reader,
          evaluator,
          logger,
          notifications: deps.notifications,
        });

        await scheduler.scheduleTask({
          ...readTaskSchedule(
            config,
            SNAPSHOT_SCHEDULE_KEY,
            DEFAULT_SNAPSHOT_SCHEDULE,
          ),
          id: SNAPSHOT_TASK_ID,
          fn: async () => {
            const done = await snapshotter.run();
            logger.info(
              `Snapshot of ${done.keyResults} key results and ${done.campaigns} campaigns`,
            );
          },
        });

        // With `vitals.demo.enabled`: waits until the catalog has the demo teams, then seeds once (never again after
        // the plugin has held a goal).
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_SEED_TASK_ID,
          seed: () => seedDemoData({ store, reader, evaluator, logger }),
          afterSeed: async () => {
            await scheduler.triggerTask(SNAPSHOT_TASK_ID);
          },
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            reader,
            evaluator,
            snapshotter,
            reporter: new StakeholderReporter({
              store,
              catalog,
              dora: clients.dora,
              techDebt: clients.techDebt,
              orgGroupRef,
              credentials: () => auth.getOwnServiceCredentials(),
            }),
            scorecardsAs: createScorecardsClientAs({
              auth,
              discovery: deps.discovery,
            }),
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
