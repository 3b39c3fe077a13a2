/**
 * Vitals for AI agents: the Vitals actions for the Backstage actions registry, served to MCP clients by
 * `@backstage/plugin-mcp-actions-backend`.
 *
 * @packageDocumentation
 */
export { vitalsActionsPlugin as default } from './plugin';
