import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  exampleFile,
  mockScheduler,
  startTrustBackend,
  TRUST_USERS,
  TrustBackend,
  TrustCaller,
  trustDatabaseCases,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import onboardingPlugin from '@vitals/plugin-onboarding-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import ownershipPlugin from '@vitals/plugin-ownership-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import scorecardsPlugin from '@vitals/plugin-scorecards-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import vitalsActionsPlugin from './index';

jest.setTimeout(300_000);

const PAYMENTS_API = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-service';

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

/**
 * The Vitals tools as an MCP client sees them: the MCP actions backend of the portal, the five Vitals backends with
 * their demo data, and the portal's real security (real user tokens, the Vitals permission policy). The client sends
 * a person's own token; each tool may do exactly what that person may do in the portal.
 */
describe.each(trustDatabaseCases())(
  'Vitals tools over MCP with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;
    const scheduler = mockScheduler();
    const clients = new Map<TrustCaller, Client>();

    const clientOf = async (who: TrustCaller) => {
      if (!clients.has(who)) {
        const transport = new StreamableHTTPClientTransport(
          new URL(`${trust.baseUrl}/api/mcp-actions/v1`),
          {
            requestInit: {
              headers: { Authorization: trust.authorization(who)! },
            },
          },
        );
        const client = new Client({ name: 'vitals-test', version: '1.0.0' });
        await client.connect(transport);
        clients.set(who, client);
      }
      return clients.get(who)!;
    };
    const callTool = async (
      who: TrustCaller,
      name: string,
      args: Record<string, unknown>,
    ) =>
      (await (
        await clientOf(who)
      ).callTool({
        name: `vitals-actions.${name}`,
        arguments: args,
      })) as ToolResult;

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [
          vitalsActionsPlugin,
          mcpActionsPlugin,
          techDebtPlugin,
          ownershipPlugin,
          doraPlugin,
          onboardingPlugin,
          scorecardsPlugin,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
        ],
        database,
        scheduler,
        config: {
          backend: { actions: { pluginSources: ['vitals-actions'] } },
          vitals: { demo: { enabled: true } },
          onboarding: {
            templates: [{ target: exampleFile('onboarding.yaml') }],
          },
          scorecards: { definitionFiles: [exampleFile('scorecards.yaml')] },
        },
      });
      // What the portal does on its own a few seconds after start: the demo data, a snapshot, an evaluation.
      for (const task of [
        'tech-debt-demo-seed',
        'dora-demo-seed',
        'ownership-demo-seed',
        'ownership-snapshot',
        'onboarding-demo-seed',
        'scorecards-evaluate',
      ]) {
        await scheduler.triggerTask(task);
      }
    });

    afterAll(async () => {
      for (const client of clients.values()) {
        await client.close();
      }
      await trust?.stop();
    });

    it('lists the Vitals tools with their input schemas and hints', async () => {
      const { tools } = await (await clientOf('member')).listTools();
      const byName = Object.fromEntries(tools.map(t => [t.name, t]));
      expect(Object.keys(byName).sort()).toEqual(
        [
          'confirm-ownership',
          'create-debt-item',
          'get-entity-health',
          'get-figure-items',
          'get-team-health',
          'get-team-next-actions',
          'list-worst-entities-for-check',
          'request-waiver',
        ].map(n => `vitals-actions.${n}`),
      );
      expect(byName['vitals-actions.get-entity-health']).toMatchObject({
        inputSchema: {
          type: 'object',
          properties: { entityRef: { type: 'string' } },
          required: ['entityRef'],
        },
        annotations: { readOnlyHint: true, destructiveHint: false },
      });
      expect(byName['vitals-actions.create-debt-item']).toMatchObject({
        inputSchema: {
          type: 'object',
          properties: {
            category: {
              type: 'string',
              enum: expect.arrayContaining(['code']),
            },
            impact: { type: 'integer', minimum: 1, maximum: 5 },
          },
        },
        annotations: { readOnlyHint: false, idempotentHint: false },
      });
    });

    it("reads an entity's health from every area, with the demo's real figures", async () => {
      const result = await callTool('member', 'get-entity-health', {
        entityRef: PAYMENTS_API,
      });
      expect(result.isError).toBeFalsy();
      const health = result.structuredContent!;
      expect(health.entityRef).toBe(PAYMENTS_API);
      // Each area read through its own API, with the same figures that API answers the portal.
      const summary = (
        await trust.call(
          'get',
          `/api/tech-debt/v1/summary?entityRef=${PAYMENTS_API}`,
          'member',
        )
      ).body;
      expect(summary.openCount).toBeGreaterThan(0);
      expect(health.techDebt).toMatchObject({
        available: true,
        openCount: summary.openCount,
        topItems: summary.top.map((i: { id: string }) =>
          expect.objectContaining({ id: i.id }),
        ),
      });
      expect(health.dora.available).toBe(true);
      expect(health.dora.deploymentFrequency.deployments).toBeGreaterThan(0);
      expect(health.dora.deploymentFrequency.tier).toMatch(
        /^(elite|high|medium|low)$/,
      );
      // The demo leaves payments-api for the guest to confirm.
      expect(health.ownership).toMatchObject({
        available: true,
        ownerRef: 'group:default/payments',
        healthy: false,
        problems: [expect.objectContaining({ kind: 'confirmation-overdue' })],
        confirmation: { status: 'never' },
      });
      expect(health.scorecards.available).toBe(true);
      expect(health.scorecards.results).toContainEqual(
        expect.objectContaining({
          scorecardId: 'production-readiness',
          title: 'Production readiness',
          failingChecks: expect.arrayContaining([
            expect.objectContaining({
              checkId: 'has-techdocs',
              title: 'Has TechDocs',
              howToFix: expect.stringContaining('mkdocs.yml'),
            }),
          ]),
        }),
      );
      // The guest's own checklist for the service, not started yet.
      expect(health.onboarding).toMatchObject({
        available: true,
        checklist: { started: false, done: 0, total: 4 },
      });
      // The text content carries the same, for clients that read only text.
      expect(JSON.parse(result.content[0].text!)).toEqual(health);
    });

    it("reads a team's health, the worst entities for a check and the items behind a figure", async () => {
      const team = (
        await callTool('nonMember', 'get-team-health', { groupRef: 'payments' })
      ).structuredContent!;
      expect(team.groupRef).toBe('group:default/payments');
      for (const area of [
        'techDebt',
        'dora',
        'ownership',
        'scorecards',
        'onboarding',
      ]) {
        expect({ area, available: team[area].available }).toEqual({
          area,
          available: true,
        });
      }
      expect(team.ownership.ownedTotal).toBeGreaterThan(0);

      const deployments = (
        await callTool('member', 'get-figure-items', {
          figure: 'dora.deployments',
          entityRef: PAYMENTS_API,
          limit: 5,
        })
      ).structuredContent!;
      const health = (
        await callTool('member', 'get-entity-health', {
          entityRef: PAYMENTS_API,
        })
      ).structuredContent!;
      // The deployments behind the deployment frequency: as many as the figure counts.
      expect(deployments.totalCount).toBe(
        health.dora.deploymentFrequency.deployments,
      );
      expect(deployments.items).toHaveLength(5);
      expect(deployments.items[0]).toMatchObject({
        entityRef: PAYMENTS_API,
        details: { environment: expect.any(String) },
      });

      const worst = await callTool('member', 'list-worst-entities-for-check', {
        scorecardId: 'production-readiness',
        checkId: 'has-techdocs',
      });
      expect(worst.isError).toBeFalsy();
      const scores = worst.structuredContent!.entities.map(
        (e: { score: number }) => e.score,
      );
      expect(worst.structuredContent!.failingCount).toBeGreaterThan(0);
      expect(scores).toEqual([...scores].sort((a, b) => a - b));

      const unknownCheck = await callTool(
        'member',
        'list-worst-entities-for-check',
        { scorecardId: 'production-readiness', checkId: 'no-such-check' },
      );
      expect(unknownCheck.isError).toBe(true);
      expect(unknownCheck.content[0].text).toMatch(
        /^InputError: .*has no check 'no-such-check'/,
      );
    });

    it("ranks a team's next best actions exactly as the group page's card does", async () => {
      const result = await callTool('member', 'get-team-next-actions', {
        groupRef: 'payments',
        limit: 5,
      });
      expect(result.isError).toBeFalsy();
      const list = result.structuredContent!;
      const http = (
        await trust.call(
          'get',
          '/api/scorecards/v1/next-actions?team=payments&limit=5',
          'member',
        )
      ).body;
      expect(list.groupRef).toBe('group:default/payments');
      expect(list.totalCount).toBe(http.totalCount);
      expect(list.totalCount).toBeGreaterThan(5);
      expect(
        list.actions.map((a: { id: string; rank: number }) => [a.id, a.rank]),
      ).toEqual(
        http.actions.map((a: { id: string; rank: number }) => [a.id, a.rank]),
      );
      const scores = list.actions.map((a: { score: number }) => a.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(list.actions[0]).toMatchObject({
        rank: 1,
        reason: expect.any(String),
        link: expect.stringMatching(/^\//),
      });
      expect(
        list.sources.every((s: { available: boolean }) => s.available),
      ).toBe(true);

      const unknown = await callTool('member', 'get-team-next-actions', {
        groupRef: 'group:default/no-such-team',
      });
      expect(unknown.isError).toBe(true);
      expect(unknown.content[0].text).toMatch(/^NotFoundError: /);
    });

    const itemsOf = async (entityRef: string) =>
      (
        await trust.call(
          'get',
          `/api/tech-debt/v1/items?entityRef=${entityRef}&limit=1000`,
          'member',
        )
      ).body.items as Array<{ title: string; createdBy: string }>;

    it('adds a debt item for an owner, visible in the register, and refuses anyone else', async () => {
      const item = {
        entityRef: PAYMENTS_API,
        title: 'Retry logic duplicated in three clients',
        category: 'code',
        impact: 3,
        effortDays: 2,
      };
      const refused = await callTool('nonMember', 'create-debt-item', {
        ...item,
        title: 'Filed by another team',
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(
        /^NotAllowedError: Could not add a debt item to component:default\/payments-api: /,
      );
      expect((await itemsOf(PAYMENTS_API)).map(i => i.title)).not.toContain(
        'Filed by another team',
      );

      const created = await callTool('member', 'create-debt-item', item);
      expect(created.isError).toBeFalsy();
      expect(created.structuredContent).toMatchObject({
        entityRef: PAYMENTS_API,
        ownerRef: 'group:default/payments',
        title: item.title,
        status: 'open',
        createdBy: TRUST_USERS.member,
      });
      const stored = await trust.call(
        'get',
        `/api/tech-debt/v1/items/${created.structuredContent!.id}`,
        'member',
      );
      expect(stored.body).toMatchObject({
        title: item.title,
        createdBy: TRUST_USERS.member,
      });

      const invalid = await callTool('member', 'create-debt-item', {
        ...item,
        trackerUrl: 'ftp://example.com/x',
      });
      expect(invalid.isError).toBe(true);
      expect(invalid.content[0].text).toMatch(/^InputError: .*trackerUrl/);
    });

    it("confirms ownership for a member of the owning team, and refuses another team's member", async () => {
      const ownershipOf = async (entity: string) =>
        (
          await trust.call(
            'get',
            `/api/ownership/v1/entities/${entity.replace(/[:]/, '/')}`,
            'member',
          )
        ).body.confirmation;
      const before = await ownershipOf(LEDGER);

      const refused = await callTool('nonMember', 'confirm-ownership', {
        entityRef: LEDGER,
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(
        /^NotAllowedError: Could not confirm the ownership of component:default\/ledger-service: /,
      );
      expect(await ownershipOf(LEDGER)).toEqual(before);

      const confirmed = await callTool('member', 'confirm-ownership', {
        entityRef: PAYMENTS_API,
        comment: 'Still ours',
      });
      expect(confirmed.isError).toBeFalsy();
      expect(confirmed.structuredContent).toMatchObject({
        entityRef: PAYMENTS_API,
        ownerRef: 'group:default/payments',
        confirmedBy: TRUST_USERS.member,
        comment: 'Still ours',
      });
      expect(await ownershipOf(PAYMENTS_API)).toMatchObject({
        status: 'current',
        lastConfirmedBy: TRUST_USERS.member,
      });
    });

    it('waives a check for an owner only', async () => {
      const waiver = {
        entityRef: PAYMENTS_API,
        scorecardId: 'production-readiness',
        checkId: 'has-techdocs',
        reason: 'The docs move to the new site this quarter',
        days: 30,
      };
      const refused = await callTool('nonMember', 'request-waiver', waiver);
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(/^NotAllowedError: /);

      const created = await callTool('member', 'request-waiver', waiver);
      expect(created.isError).toBeFalsy();
      expect(created.structuredContent).toMatchObject({
        entityRef: PAYMENTS_API,
        checkId: 'has-techdocs',
        createdBy: TRUST_USERS.member,
      });
      const waivers = await trust.call(
        'get',
        `/api/scorecards/v1/waivers?entityRef=${PAYMENTS_API}`,
        'member',
      );
      expect(
        waivers.body.waivers.map((w: { createdBy: string }) => w.createdBy),
      ).toEqual([TRUST_USERS.member]);
    });

    it('refuses a client without a token', async () => {
      const res = await fetch(`${trust.baseUrl}/api/mcp-actions/v1`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(401);
    });
  },
);
