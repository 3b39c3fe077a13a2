import {
  coreServices,
  createBackendFeatureLoader,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { scorecardsPermissions } from '@vitals/plugin-scorecards-common';
import {
  FactProvider,
  scorecardsFactProvidersExtensionPoint,
} from '@vitals/plugin-scorecards-node';
import { DatabaseScorecardsStore } from './database/DatabaseScorecardsStore';
import { loadScorecardDefinitions } from './definitions/loadDefinitions';
import {
  BUILT_IN_PROVIDER_ORDER,
  builtInFactProviderModules,
} from './providers/modules';
import { readEvaluateAtStartSchedule, readEvaluateSchedule } from './schedules';
import { scheduleDemoSeed } from '@vitals/backend-common';
import { seedDemoHistory } from './demo/seedDemoHistory';
import { scheduleStartupEvaluation } from './service/startupEvaluation';
import {
  createRouter,
  DEFAULT_REFRESH_INTERVAL_SECONDS,
} from './service/router';
import { ScorecardEvaluator } from './service/ScorecardEvaluator';
import { createNextActionsService } from './service/NextActions';

/** The demo history seeding task (with `vitals.demo.enabled`), also the name of its exclusive lock. */
export const DEMO_SEED_TASK_ID = 'scorecards-demo-seed';

/**
 * The built-in providers first, in a fixed order, then the others in the order their modules added them: the order
 * `GET /definitions` lists the facts in, whichever module happened to initialise first.
 */
function inListingOrder(providers: FactProvider[]): FactProvider[] {
  const rank = (p: FactProvider) => {
    const i = BUILT_IN_PROVIDER_ORDER.indexOf(p.id);
    return i === -1 ? BUILT_IN_PROVIDER_ORDER.length : i;
  };
  return providers
    .map((provider, index) => ({ provider, index }))
    .sort((a, b) => rank(a.provider) - rank(b.provider) || a.index - b.index)
    .map(({ provider }) => provider);
}

/**
 * DX scorecards backend: REST API under `/api/scorecards/v1`, scheduled evaluation, and the fact providers that
 * modules add through `scorecardsFactProvidersExtensionPoint` of `@vitals/plugin-scorecards-node`. This is the plugin
 * alone: the built-in providers are modules (`scorecardsModuleCatalogFacts` and the others), which the package's
 * default export installs with it.
 *
 * @public
 */
export const scorecardsPlugin = createBackendPlugin({
  pluginId: 'scorecards',
  register(env) {
    const addedProviders: FactProvider[] = [];
    env.registerExtensionPoint(scorecardsFactProvidersExtensionPoint, {
      addFactProvider(...providers) {
        addedProviders.push(...providers);
      },
    });

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
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, auth } = deps;
        deps.permissionsRegistry.addPermissions(scorecardsPermissions);

        // Fails start-up with every problem named (file, scorecard, check, field).
        const definitions = await loadScorecardDefinitions(config);
        const store = await DatabaseScorecardsStore.create({
          database: deps.database,
        });

        const providers = inListingOrder(addedProviders);

        const evaluator = new ScorecardEvaluator({
          store,
          catalog: deps.catalog,
          auth,
          logger,
          definitions,
          providers,
          notifications: deps.notifications,
          promotions: store.promotions,
        });

        const refreshIntervalSeconds =
          config.getOptionalNumber('scorecards.refresh.minIntervalSeconds') ??
          DEFAULT_REFRESH_INTERVAL_SECONDS;
        if (
          !Number.isInteger(refreshIntervalSeconds) ||
          refreshIntervalSeconds < 1 ||
          refreshIntervalSeconds > 86_400
        ) {
          throw new Error(
            `scorecards.refresh.minIntervalSeconds must be a whole number of seconds from 1 to 86400, not ${refreshIntervalSeconds}`,
          );
        }

        const schedule = readEvaluateSchedule(config, logger);
        await scheduler.scheduleTask({
          id: 'scorecards-evaluate',
          ...schedule,
          fn: async () => {
            await evaluator.evaluateAll();
          },
        });

        // With `vitals.demo.enabled`: once entities have results, seeds months of weekly history before them (once,
        // and never again for an entity that has history), so that the history and trend charts show a line.
        const demo = await scheduleDemoSeed({
          config,
          scheduler,
          database: deps.database,
          id: DEMO_SEED_TASK_ID,
          seed: async () =>
            ((await seedDemoHistory({ store, definitions, logger })) ?? 0) > 0,
        });
        // Evaluates the entities without results soon after start (a fresh database, a catalog still ingesting), so
        // that nobody waits for the first scheduled run; the demo history follows at once.
        await scheduleStartupEvaluation({
          scheduler,
          evaluator,
          logger,
          schedule: readEvaluateAtStartSchedule(config),
          afterEvaluation: async () => {
            if (demo)
              await scheduler
                .triggerTask(DEMO_SEED_TASK_ID)
                .catch(() => undefined);
          },
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            evaluator,
            catalog: deps.catalog,
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            refreshIntervalSeconds,
            promotions: store.promotions,
            // A promotion moves checks between levels: evaluate now (on one replica) rather than in up to 30 minutes.
            onDefinitionsChanged: () =>
              scheduler.triggerTask('scorecards-evaluate'),
            nextActions: createNextActionsService({
              store,
              catalog: deps.catalog,
              discovery: deps.discovery,
              auth,
              logger,
              definitions: () => evaluator.definitions,
            }),
          }),
        );
        logger.info(
          `Scorecards: ${definitions.length} definitions, fact providers ${
            providers.map(p => p.id).join(', ') || 'none'
          }`,
        );
      },
    });
  },
});

/**
 * The scorecards plugin with the modules of its built-in fact providers (catalog, tech debt, DORA, ownership,
 * onboarding): the package's default export.
 *
 * @public
 */
export const scorecardsPluginWithBuiltInProviders = createBackendFeatureLoader({
  *loader() {
    yield scorecardsPlugin;
    yield* builtInFactProviderModules;
  },
});
