import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
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
import { catalogFactProvider } from './providers/catalogFactProvider';
import {
  createDoraFactProvider,
  createServiceDoraClient,
} from './providers/doraFactProvider';
import {
  createOnboardingFactProvider,
  createServiceOnboardingClient,
} from './providers/onboardingFactProvider';
import {
  createOwnershipFactProvider,
  createServiceOwnershipClient,
} from './providers/ownershipFactProvider';
import {
  createServiceTechDebtClient,
  createTechDebtFactProvider,
} from './providers/techDebtFactProvider';
import {
  createRouter,
  DEFAULT_REFRESH_INTERVAL_SECONDS,
} from './service/router';
import { ScorecardEvaluator } from './service/ScorecardEvaluator';

/**
 * DX scorecards backend: REST API under `/api/scorecards/v1`, scheduled evaluation, fact providers through
 * `scorecardsFactProvidersExtensionPoint`.
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
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, auth, discovery } = deps;
        deps.permissionsRegistry.addPermissions(scorecardsPermissions);

        // Fails start-up with every problem named (file, scorecard, check, field).
        const definitions = await loadScorecardDefinitions(config);
        const store = await DatabaseScorecardsStore.create({
          database: deps.database,
        });

        const providers: FactProvider[] = [catalogFactProvider];
        if (
          config.getOptionalBoolean('scorecards.providers.techDebt.enabled') ??
          true
        ) {
          providers.push(
            createTechDebtFactProvider({
              client: createServiceTechDebtClient({ discovery, auth }),
              logger,
            }),
          );
        }
        if (
          config.getOptionalBoolean('scorecards.providers.dora.enabled') ??
          true
        ) {
          const benchmark =
            config.getOptionalString('scorecards.providers.dora.benchmark') ??
            '2023';
          if (benchmark !== '2023' && benchmark !== '2021') {
            throw new Error(
              `scorecards.providers.dora.benchmark must be '2023' or '2021', not '${benchmark}'`,
            );
          }
          providers.push(
            createDoraFactProvider({
              client: createServiceDoraClient({ discovery, auth }),
              logger,
              benchmark,
            }),
          );
        }
        if (
          config.getOptionalBoolean('scorecards.providers.ownership.enabled') ??
          true
        ) {
          providers.push(
            createOwnershipFactProvider({
              client: createServiceOwnershipClient({ discovery, auth }),
              logger,
            }),
          );
        }
        if (
          config.getOptionalBoolean(
            'scorecards.providers.onboarding.enabled',
          ) ??
          true
        ) {
          providers.push(
            createOnboardingFactProvider({
              client: createServiceOnboardingClient({ discovery, auth }),
              logger,
            }),
          );
        }
        providers.push(...addedProviders);

        const evaluator = new ScorecardEvaluator({
          store,
          catalog: deps.catalog,
          auth,
          logger,
          definitions,
          providers,
          notifications: deps.notifications,
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

        const schedule = config.has('scorecards.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('scorecards.schedule'),
            )
          : {
              frequency: { minutes: 30 },
              timeout: { minutes: 20 },
              initialDelay: { seconds: 40 },
            };
        await scheduler.scheduleTask({
          id: 'scorecards-evaluate',
          ...schedule,
          scope: 'global',
          fn: async () => {
            await evaluator.evaluateAll();
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
          }),
        );
        logger.info(
          `Scorecards: ${
            definitions.length
          } definitions, fact providers ${providers.map(p => p.id).join(', ')}`,
        );
      },
    });
  },
});
