/*
 * The Vitals portal backend: the Backstage core (catalog, auth, permissions, events, notifications) and every Vitals
 * backend plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { replicaSafeDatabaseServiceFactory } from '@vitals/backend-common';

const backend = createBackend();

// Backstage's database service, except that on PostgreSQL every plugin's migrations wait for those of the other
// replicas and repair a lock knex left behind: replicas may start together (docs/adr/0005-replicas-and-migrations.md).
backend.add(replicaSafeDatabaseServiceFactory);

// Serves the built frontend in production; in development the frontend has its own dev server.
backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in for local use; it signs in as user:default/guest, a member of an example team.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// The Vitals policy decides every permission (Backstage's own included) and adds its rule to the catalog.
backend.add(import('@vitals/plugin-permission-backend-module-vitals-policy'));

backend.add(import('@backstage/plugin-events-backend'));
// GitHub webhooks at /api/events/http/github, signature-checked with events.modules.github.webhookSecret and
// republished as github.<event> topics (the DORA plugin subscribes to deployment_status, pull_request and issues).
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Vitals
backend.add(import('@vitals/plugin-tech-debt-backend'));
backend.add(import('@vitals/plugin-ownership-backend'));
backend.add(import('@vitals/plugin-dora-backend'));
backend.add(import('@vitals/plugin-onboarding-backend'));
backend.add(import('@vitals/plugin-scorecards-backend'));
// Blameless postmortems per DORA incident; action items become tech-debt items (issue 13).
backend.add(import('@vitals/plugin-postmortems-backend'));
backend.add(import('@vitals/plugin-goals-backend'));

// Vitals for AI agents: the Vitals actions (vitals-actions:get-entity-health, ...) registered with the actions
// registry, and the MCP server that serves the actions of backend.actions.pluginSources at /api/mcp-actions/v1. Each
// tool runs with the caller's own token, so an agent may do exactly what its person may do in the portal.
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(import('@vitals/plugin-vitals-actions-backend'));

// When a plugin fails to start, Backstage logs it and keeps the process running, unready for good (its handler of
// unhandled rejections only logs). Exit instead, so that a process manager starts the backend again.
backend.start().catch(error => {
  process.stderr.write(
    `The backend did not start, exiting: ${error?.stack ?? error}\n`,
  );
  process.exit(1);
});
