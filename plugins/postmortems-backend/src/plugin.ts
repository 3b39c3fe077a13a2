import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { scheduleDemoSeed } from '@vitals/backend-common';
import { postmortemsPermissions } from '@vitals/plugin-postmortems-common';
import { readPostmortemsSettings } from './config';
import { DatabasePostmortemsStore } from './database/DatabasePostmortemsStore';
import { seedDemoData } from './demo/seedDemoData';
import { postmortemResourceRef, postmortemRules } from './permissions/rules';
import { DebtRegister } from './service/debtRegister';
import { runFollowThrough } from './service/followThrough';
import { syncIncidents } from './service/incidentSync';
import { IncidentMirror } from './service/incidents';
import { PeopleDirectory } from './service/people';
import { createRouter } from './service/router';
import { TemplateRegistry } from './templates/TemplateRegistry';

/** The task that reads DORA's incidents into the plugin's copy. */
export const INCIDENT_SYNC_TASK_ID = 'postmortems-incident-sync';
/** The follow-through job: overdue postmortems and action items, notified to the owning teams. */
export const FOLLOW_THROUGH_TASK_ID = 'postmortems-follow-through';
/** Re-reading the template files (on every replica). */
export const TEMPLATES_TASK_ID = 'postmortems-templates-refresh';
/** The demo seeding task (with `vitals.demo.enabled`), also the name of its exclusive lock. */
export const DEMO_SEED_TASK_ID = 'postmortems-demo-seed';

/**
 * Postmortems: a blameless postmortem per DORA incident, action items as tech-debt items, follow-through and
 * coverage; REST API under `/api/postmortems/v1` (src/schema/openapi.yaml).
 *
 * @public
 */
export const postmortemsPlugin = createBackendPlugin({
  pluginId: 'postmortems',
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
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, database, scheduler, auth, discovery } = deps;
        const settings = readPostmortemsSettings(config);
        const appBaseUrl = config.getOptionalString('app.baseUrl');

        const store = await DatabasePostmortemsStore.create({ database });
        // Reads are decided per postmortem: the policy may answer with conditions (published, author, owning team),
        // which the router applies itself and the permission backend can apply through getResources.
        deps.permissionsRegistry.addResourceType({
          resourceRef: postmortemResourceRef,
          permissions: postmortemsPermissions.filter(
            p => p.resourceType === postmortemResourceRef.resourceType,
          ),
          rules: postmortemRules,
          getResources: async refs =>
            Promise.all(
              refs.map(async id => {
                const record = await store.getPostmortem(id);
                return record
                  ? {
                      status: record.status,
                      authors: record.authors,
                      ownerRef: record.incident.ownerRef,
                    }
                  : undefined;
              }),
            ),
        });
        deps.permissionsRegistry.addPermissions(
          postmortemsPermissions.filter(
            p => p.resourceType !== postmortemResourceRef.resourceType,
          ),
        );

        const templates = await TemplateRegistry.create({
          targets: settings.templateTargets,
          defaultTemplateId: settings.defaultTemplateId,
          reader: deps.urlReader,
          logger,
        });
        const mirror = new IncidentMirror({
          store,
          discovery,
          auth,
          catalog: deps.catalog,
          logger,
          lookbackDays: settings.incidentLookbackDays,
          refreshDays: settings.incidentRefreshDays,
        });
        const register = new DebtRegister({ discovery, auth });

        await scheduler.scheduleTask({
          ...settings.schedules.incidentSync,
          id: INCIDENT_SYNC_TASK_ID,
          fn: async () => {
            await syncIncidents({
              mirror,
              store,
              register,
              auth,
              logger,
              appBaseUrl,
            });
          },
        });
        await scheduler.scheduleTask({
          ...settings.schedules.followThrough,
          id: FOLLOW_THROUGH_TASK_ID,
          fn: async () => {
            await runFollowThrough({
              store,
              register,
              auth,
              notifications: deps.notifications,
              settings,
              logger,
            });
          },
        });
        await scheduler.scheduleTask({
          ...settings.schedules.templatesRefresh,
          id: TEMPLATES_TASK_ID,
          fn: () => templates.refresh(),
        });

        // With `vitals.demo.enabled`: retries until DORA has the demo incidents and the register the demo items,
        // then seeds once (never again after any postmortem exists).
        await scheduleDemoSeed({
          config,
          scheduler,
          database,
          id: DEMO_SEED_TASK_ID,
          seed: () =>
            seedDemoData({
              store,
              mirror,
              register,
              auth,
              settings,
              logger,
              appBaseUrl,
            }),
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            templates,
            incidents: mirror,
            register,
            people: new PeopleDirectory({
              catalog: deps.catalog,
              auth,
              logger,
            }),
            settings,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            appBaseUrl,
          }),
        );
      },
    });
  },
});
