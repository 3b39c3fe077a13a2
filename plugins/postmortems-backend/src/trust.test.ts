import {
  mockScheduler,
  startTrustBackend,
  TrustBackend,
  TrustCaller,
  trustDatabaseCases,
  TRUST_USERS,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import postmortemsPlugin from './index';
import { INCIDENT_SYNC_TASK_ID } from './plugin';

jest.setTimeout(240_000);

const DAY = 24 * 60 * 60 * 1000;
const API = 'component:default/payments-api';
const SHOP = 'component:default/storefront-web';
const OPENED = new Date(Date.now() - 10 * DAY).toISOString();

/**
 * Postmortems with real tokens behind the portal's policy, on the real DORA and tech-debt backends: a member of
 * Payments (the guest, owner of payments-api), a member of Storefront (Li Wei), a Platform admin, the portal's CI
 * token, and nobody.
 */
describe.each(trustDatabaseCases())(
  'postmortems with real tokens, on %s',
  (_id, database) => {
    let trust: TrustBackend;
    const scheduler = mockScheduler();

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: [postmortemsPlugin, doraPlugin, techDebtPlugin],
        database,
        scheduler,
        config: { app: { baseUrl: 'http://portal.test' } },
      });
      // CI reports two incidents through DORA, as it would from PagerDuty: one of Payments', one of Storefront's.
      const sent = await trust.call('post', '/api/dora/v1/events', 'ci').send({
        events: [
          {
            type: 'incident',
            id: 'pagerduty:PAY1',
            entityRef: API,
            createdAt: OPENED,
            severity: 'SEV2',
            url: 'https://example.pagerduty.com/incidents/PAY1',
          },
          {
            type: 'incident',
            id: 'pagerduty:SHOP1',
            entityRef: SHOP,
            createdAt: OPENED,
            resolvedAt: new Date(
              Date.parse(OPENED) + 30 * 60_000,
            ).toISOString(),
            severity: 'SEV1',
          },
        ],
      });
      if (sent.status !== 200) {
        throw new Error(`DORA refused the incidents: ${sent.text}`);
      }
    });

    afterAll(async () => {
      await trust?.stop();
    });

    const call = (
      method: 'get' | 'post' | 'patch' | 'put' | 'delete',
      url: string,
      who: TrustCaller,
    ) => trust.call(method, `/api/postmortems/v1${url}`, who);

    let postmortemId: string;
    let debtItemId: string;

    it('lets only an owner of the affected entity start a postmortem', async () => {
      const body = { incidentId: 'pagerduty:PAY1', entityRef: API };
      expect(
        (await call('post', '/postmortems', 'nonMember').send(body)).status,
      ).toBe(403);
      expect((await call('post', '/postmortems', 'ci').send(body)).status).toBe(
        403,
      );
      expect(
        (await call('post', '/postmortems', 'none').send(body)).status,
      ).toBe(401);
      const created = await call('post', '/postmortems', 'member').send(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'draft',
        authors: [TRUST_USERS.member],
        ownerRef: 'group:default/payments',
        incident: {
          id: 'pagerduty:PAY1',
          severity: 'SEV2',
          resolvedAt: null,
          qualifying: true,
        },
      });
      postmortemId = created.body.id;
      // An incident DORA does not have for the entity.
      expect(
        (
          await call('post', '/postmortems', 'member').send({
            incidentId: 'pagerduty:SHOP1',
            entityRef: API,
          })
        ).status,
      ).toBe(404);
    });

    it('hides the draft from other teams, and shows it to the owning team and the admins', async () => {
      expect(
        (await call('get', `/postmortems/${postmortemId}`, 'nonMember')).status,
      ).toBe(404);
      expect(
        (await call('get', `/postmortems/${postmortemId}/history`, 'nonMember'))
          .status,
      ).toBe(404);
      const listed = async (who: TrustCaller) =>
        (
          await call('get', `/postmortems?entityRef=${API}`, who)
        ).body.items.map((p: { id: string }) => p.id);
      expect(await listed('nonMember')).toEqual([]);
      expect(await listed('member')).toEqual([postmortemId]);
      expect(await listed('admin')).toEqual([postmortemId]);
      const detail = await call(
        'get',
        `/postmortems/${postmortemId}`,
        'member',
      );
      expect(detail.status).toBe(200);
      expect(detail.body.canEdit).toBe(true);
      const asAdmin = await call(
        'get',
        `/postmortems/${postmortemId}`,
        'admin',
      );
      expect(asAdmin.body.canEdit).toBe(false);
    });

    it('refuses a stale edit with 409', async () => {
      const first = await call(
        'patch',
        `/postmortems/${postmortemId}`,
        'member',
      ).send({
        version: 1,
        summary: 'Card payments failed for an hour.',
      });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      const stale = await call(
        'patch',
        `/postmortems/${postmortemId}`,
        'member',
      ).send({
        version: 1,
        summary: 'Another take.',
      });
      expect(stale.status).toBe(409);
      expect(
        (await call('get', `/postmortems/${postmortemId}`, 'member')).body
          .postmortem.summary,
      ).toBe('Card payments failed for an hour.');
    });

    it('creates an action item as a debt item in the register, linked to the incident both ways', async () => {
      const created = await call(
        'post',
        `/postmortems/${postmortemId}/action-items`,
        'member',
      ).send({
        title: 'Idempotency keys on card captures',
        category: 'code',
        impact: 4,
        effortDays: 3,
      });
      expect(created.status).toBe(201);
      debtItemId = created.body.debtItemId;
      const item = await trust.call(
        'get',
        `/api/tech-debt/v1/items/${debtItemId}`,
        'member',
      );
      expect(item.status).toBe(200);
      expect(item.body).toMatchObject({
        entityRef: API,
        createdBy: TRUST_USERS.member,
        status: 'open',
        incidents: [
          {
            incidentId: 'pagerduty:PAY1',
            entityRef: API,
            resolvedAt: null,
            severity: 'SEV2',
            postmortemId,
            postmortemUrl: `http://portal.test/postmortems/${postmortemId}`,
          },
        ],
      });
      // The register moves the item on; the postmortem shows its live status.
      await trust
        .call('patch', `/api/tech-debt/v1/items/${debtItemId}`, 'member')
        .send({
          version: item.body.version,
          status: 'in_progress',
          assignee: 'user:default/jonas.berg',
        });
      const detail = await call(
        'get',
        `/postmortems/${postmortemId}`,
        'member',
      );
      expect(detail.body.actionItems).toEqual([
        expect.objectContaining({
          debtItemId,
          origin: 'created',
          open: true,
          debt: expect.objectContaining({
            status: 'in_progress',
            assignee: 'user:default/jonas.berg',
            ownerRef: 'group:default/payments',
          }),
        }),
      ]);
    });

    it('lets everyone read the published postmortem, and nobody but the owners change it or its items', async () => {
      const complete = {
        customerImpact: '6% of payments failed.',
        timeline: [{ at: OPENED, text: 'Alert fires.' }],
        contributingFactors: 'Captures carry no idempotency key.',
        lessons: 'Retries need idempotency keys.',
      };
      const review = await call(
        'patch',
        `/postmortems/${postmortemId}`,
        'member',
      ).send({
        version: 2,
        status: 'in_review',
        ...complete,
      });
      expect(review.status).toBe(200);
      expect(
        (
          await call('patch', `/postmortems/${postmortemId}`, 'member').send({
            version: 3,
            status: 'published',
          })
        ).status,
      ).toBe(200);
      const read = await call(
        'get',
        `/postmortems/${postmortemId}`,
        'nonMember',
      );
      expect(read.status).toBe(200);
      expect(read.body.canEdit).toBe(false);
      expect(
        (
          await call('patch', `/postmortems/${postmortemId}`, 'nonMember').send(
            { version: 4, lessons: 'x' },
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await call(
            'post',
            `/postmortems/${postmortemId}/action-items`,
            'nonMember',
          ).send({
            title: 'x',
            category: 'code',
            impact: 1,
            effortDays: 1,
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(
            'delete',
            `/postmortems/${postmortemId}/action-items/${debtItemId}`,
            'nonMember',
          )
        ).status,
      ).toBe(403);
      // Publishing did not close the action item.
      expect(
        (
          await trust.call(
            'get',
            `/api/tech-debt/v1/items/${debtItemId}`,
            'member',
          )
        ).body.status,
      ).toBe('in_progress');
    });

    it('does not let a member link a debt item of another team to its postmortem', async () => {
      const shopItem = await trust
        .call('post', '/api/tech-debt/v1/items', 'nonMember')
        .send({
          entityRef: SHOP,
          title: 'Storefront debt',
          category: 'code',
          impact: 2,
          effortDays: 1,
        });
      expect(shopItem.status).toBe(201);
      const linked = await call(
        'put',
        `/postmortems/${postmortemId}/action-items/${shopItem.body.id}`,
        'member',
      ).send({});
      expect(linked.status).toBe(403);
      expect(
        (
          await call(
            'get',
            `/postmortems/${postmortemId}/action-items`,
            'member',
          )
        ).body.items,
      ).toHaveLength(1);
    });

    it('keeps its copy of the incidents and the register’s link up to date when the incident is resolved', async () => {
      const resolvedAt = new Date(
        Date.parse(OPENED) + 90 * 60_000,
      ).toISOString();
      expect(
        (
          await trust.call('post', '/api/dora/v1/events', 'ci').send({
            events: [
              {
                type: 'incident',
                id: 'pagerduty:PAY1',
                entityRef: API,
                createdAt: OPENED,
                resolvedAt,
                severity: 'SEV2',
              },
            ],
          })
        ).status,
      ).toBe(200);
      await scheduler.triggerTask(INCIDENT_SYNC_TASK_ID);
      const incidents = await call(
        'get',
        `/incidents?entityRef=${API}`,
        'member',
      );
      expect(incidents.body.items[0].incident).toMatchObject({
        id: 'pagerduty:PAY1',
        restoreMinutes: 90,
      });
      const item = await trust.call(
        'get',
        `/api/tech-debt/v1/items/${debtItemId}`,
        'member',
      );
      expect(item.body.incidents[0]).toMatchObject({
        incidentId: 'pagerduty:PAY1',
        resolvedAt: new Date(resolvedAt).toISOString(),
        restoreMinutes: 90,
      });
      // Storefront's incident came with the sync: due, qualifying, and without a postmortem.
      const coverage = await call('get', '/coverage', 'nonMember');
      expect(coverage.status).toBe(200);
      expect(coverage.body.teams).toEqual([
        expect.objectContaining({
          teamRef: 'group:default/storefront',
          due: 1,
          published: 0,
          coverage: 0,
        }),
        expect.objectContaining({
          teamRef: 'group:default/payments',
          due: 1,
          published: 1,
          coverage: 1,
          openActionItems: 1,
        }),
      ]);
      expect(coverage.body.repeatIncidentsError).toBeNull();
    });
  },
);
