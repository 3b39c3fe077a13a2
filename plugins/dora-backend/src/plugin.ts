import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scheduleDemoSeed } from '@vitals/backend-common';
import { doraPermissions } from '@vitals/plugin-dora-common';
import { DatabaseDoraStore } from './database/DatabaseDoraStore';
import { seedDemoData } from './demo/seedDemoData';
import { PublishingDoraIngestService } from './ingest/DoraIngestService';
import {
  readFlowSettings,
  readMaxConcurrentWrites,
  readFlowTeamFiguresConfig,
} from './service/flowConfig';
import { refreshFlowTeamFigures } from './service/flowTeams';
import { refreshPipelineFigures } from './service/pipelines';
import { createRouter } from './service/router';
import { WebhookIngestor } from './webhooks/WebhookIngestor';

/**
 * DORA delivery metrics: event ingestion and the metrics, drill-down, series and data-health API under
 * `/api/dora/v1`.
 *
 * @public
 */
export const doraPlugin = createBackendPlugin({
  pluginId: 'dora',
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
        events: eventsServiceRef,
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
        deps.permissionsRegistry.addPermissions(doraPermissions);

        const productionEnvironments = config.getOptionalStringArray(
          'dora.productionEnvironments',
        );
        const store = await DatabaseDoraStore.create({
          database,
          productionEnvironments,
        });
        // Every write (HTTP, webhooks, demo seeding) goes through this: it stores, then publishes on the events service.
        const ingest = new PublishingDoraIngestService({
          store,
          events: deps.events,
          logger,
          productionEnvironments,
          maxConcurrentWrites: readMaxConcurrentWrites(config),
        });

        // GitHub webhooks arrive through the events backend's GitHub module, which verifies their signatures.
        const webhooks = new WebhookIngestor({
          ingest,
          auditor: deps.auditor,
          catalog,
          auth,
          logger,
          // GitHub's pull request and review webhooks each tell part of a change: completed from the stored one.
          changes: store.flow,
        });
        await webhooks.subscribe(deps.events);
        const pagerDutySecret = config.getOptionalString(
          'dora.webhooks.pagerduty.secret',
        );
        if (pagerDutySecret) {
          // PagerDuty cannot send a Backstage token; the route verifies PagerDuty's HMAC signature instead and rejects
          // anything unsigned or wrongly signed with 401.
          httpRouter.addAuthPolicy({
            path: '/v1/webhooks/pagerduty',
            allow: 'unauthenticated',
          });
        }

        // With `vitals.demo.enabled`: retries every 20 seconds until the catalog has ingested components, then finds
        // events and does nothing more.
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: 'dora-demo-seed',
          // The number of events written, or null while the catalog has no components yet.
          seed: async () =>
            Boolean(
              await seedDemoData({ store, ingest, catalog, auth, logger }),
            ),
          // A year of history for 50 components goes through the ingest service in batches.
          schedule: { timeout: { minutes: 5 } },
        });

        // The flow org page's figures, kept per group and window: one replica at a time computes those whose entities
        // were written since, so that a request reads them instead of every pull request of the org.
        const flow = readFlowSettings(config);
        const teamFigures = readFlowTeamFiguresConfig(config);
        await scheduler.scheduleTask({
          ...teamFigures.schedule,
          id: 'dora-flow-team-figures',
          fn: async () => {
            const started = Date.now();
            const refresh = await refreshFlowTeamFigures({
              stores: { flow: store.flow, figures: store.flowFigures },
              catalog,
              credentials: await auth.getOwnServiceCredentials(),
              now: started,
              settings: flow,
              teamFigures: teamFigures.settings,
            });
            logger.debug(
              `Flow team figures refreshed in ${Date.now() - started} ms: ${
                refresh.computed
              } figures of ${refresh.groups} groups in ${
                refresh.windows
              } windows computed again`,
            );
            // The pipeline table of each team the Flow page lists, for the same windows.
            const pipelinesStarted = Date.now();
            const pipelines = await refreshPipelineFigures({
              stores: { runs: store, figures: store.pipelineFigures },
              catalog,
              credentials: await auth.getOwnServiceCredentials(),
              now: pipelinesStarted,
              type: 'team',
              leadMs: teamFigures.settings.maxStaleMs,
            });
            logger.debug(
              `Pipeline figures of teams refreshed in ${
                Date.now() - pipelinesStarted
              } ms: ${pipelines.computed} figures of ${
                pipelines.groups
              } teams in ${pipelines.windows} windows computed again`,
            );
          },
        });

        httpRouter.use(
          await createRouter({
            store,
            ingest,
            catalog,
            logger,
            auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            pagerDuty: pagerDutySecret
              ? { secret: pagerDutySecret, ingestor: webhooks }
              : undefined,
            flow,
            flowTeamFigures: teamFigures.settings,
          }),
        );
      },
    });
  },
});
