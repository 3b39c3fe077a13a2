import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { onboardingPermissions } from '@vitals/plugin-onboarding-common';
import { DatabaseOnboardingStore } from './database/DatabaseOnboardingStore';
import { seedDemoData } from './demo/seedDemoData';
import { AuthorResolver } from './service/authors';
import { subscribeToDora } from './service/doraEvents';
import { OnboardingService } from './service/OnboardingService';
import { createRouter } from './service/router';
import { TemplateRegistry } from './templates/TemplateRegistry';

export const TEMPLATES_TASK_ID = 'onboarding-templates-refresh';
export const DEMO_SEED_TASK_ID = 'onboarding-demo-seed';

/** A fingerprint of what a template's progress depends on: its step ids and kinds. */
function stepsFingerprint(registry: TemplateRegistry): Map<string, string> {
  return new Map(
    registry.all().map(({ template }) => [
      template.metadata.name,
      JSON.stringify(template.spec.steps.map(s => [s.id, s.kind, s.entityRef, s.group])),
    ]),
  );
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
        const templates = TemplateRegistry.fromConfig(config, { reader: deps.urlReader, logger });
        await templates.refresh();
        const service = new OnboardingService({
          store,
          templates,
          catalog,
          auth,
          logger,
          stalledAfterDays: config.getOptionalNumber('onboarding.stalledAfterDays') ?? 14,
        });

        // Every replica keeps its own copy of the templates, so the re-read runs on each (scope local). When a
        // template's steps change, the people with its checklists get their totals recomputed.
        await scheduler.scheduleTask({
          id: TEMPLATES_TASK_ID,
          frequency: config.has('onboarding.refreshFrequency')
            ? readDurationFromConfig(config, { key: 'onboarding.refreshFrequency' })
            : { minutes: 5 },
          timeout: { minutes: 2 },
          initialDelay: { minutes: 1 },
          scope: 'local',
          fn: async () => {
            const before = stepsFingerprint(templates);
            await templates.refresh();
            const after = stepsFingerprint(templates);
            const changed = [...new Set([...before.keys(), ...after.keys()])].filter(id => before.get(id) !== after.get(id));
            if (changed.length) await service.reevaluate(await store.peopleWithTemplates(changed));
          },
        });

        const authors = new AuthorResolver(catalog, () => auth.getOwnServiceCredentials());
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
              await seedDemoData({ service, store, logger });
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
          }),
        );
      },
    });
  },
});
