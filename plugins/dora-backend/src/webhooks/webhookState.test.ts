import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  doraEventSchema,
  DORA_INGESTED_TOPIC,
} from '@vitals/plugin-dora-common';
import express from 'express';
import { Knex } from 'knex';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { createRouter } from '../service/router';
import resolved from './__fixtures__/pagerduty-incident-resolved.json';
import { githubExamples } from './__testUtils__/githubExamples';
import { WebhookIngestor } from './WebhookIngestor';

/*
 * Webhooks through the real store: a webhook never moves an event to another entity (refused, logged, audited), and a
 * late or replayed webhook never undoes newer state.
 */

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const SECRET = 'pd-secret';
const sign = (body: string) =>
  `v1=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
});

const ENTITIES = [
  component('payments-api', {
    'pagerduty.com/service-id': 'PPAYAPI',
    'github.com/project-slug': 'example-corp/payments-api',
  }),
  component('checkout-api', {
    'github.com/project-slug': 'example-corp/checkout-api',
  }),
];

const triggered = () => {
  const payload = structuredClone(resolved);
  payload.event.event_type = 'incident.triggered';
  payload.event.occurred_at = payload.event.data.created_at;
  payload.event.data.status = 'triggered';
  return payload;
};

describe.each(databases.eachSupportedId())(
  'webhooks with the store on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let store: DatabaseDoraStore;
    let events: ReturnType<typeof mockServices.events.mock>;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let logger: ReturnType<typeof mockServices.logger.mock>;
    let githubHandler: (event: {
      topic: string;
      eventPayload: unknown;
    }) => Promise<void>;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      events = mockServices.events.mock();
      auditor = mockServices.auditor.mock();
      logger = mockServices.logger.mock();
      const catalog = catalogServiceMock({ entities: ENTITIES });
      const ingest = new PublishingDoraIngestService({ store, events, logger });
      const ingestor = new WebhookIngestor({
        ingest,
        auditor,
        catalog,
        auth: mockServices.auth(),
        logger,
      });
      await ingestor.subscribe(events);
      githubHandler = (events.subscribe as jest.Mock).mock.calls[0][0].onEvent;
      const router = await createRouter({
        store,
        ingest,
        catalog,
        auth: mockServices.auth(),
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions: mockServices.permissions(),
        auditor,
        logger,
        pagerDuty: { secret: SECRET, ingestor },
      });
      app = routerTestApp(router);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const postPagerDuty = (payload: object) => {
      const body = JSON.stringify(payload);
      return request(app)
        .post('/v1/webhooks/pagerduty')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', sign(body))
        .send(body);
    };
    const incident = () =>
      knex('dora_incidents').where({ id: 'pagerduty:PGR0VU2' }).first();

    it('keeps a PagerDuty incident resolved when incident.triggered arrives after incident.resolved', async () => {
      expect((await postPagerDuty(resolved)).status).toBe(200);
      const stored = await incident();
      expect(Number(stored.resolved_at)).toBe(
        Date.parse('2026-11-20T10:47:36.503Z'),
      );
      const late = await postPagerDuty(triggered());
      expect(late.status).toBe(200);
      // Nothing changed: not the resolution, not when the row was last written.
      expect(await incident()).toEqual(stored);
      expect((await postPagerDuty(resolved)).status).toBe(200);
      expect(await incident()).toEqual(stored);
    });

    it('refuses a PagerDuty incident whose id another entity holds with 409, audited and logged', async () => {
      // Someone posted PagerDuty's id for checkout-api before the webhook came.
      await store.ingest([
        doraEventSchema.parse({
          type: 'incident',
          id: 'pagerduty:PGR0VU2',
          entityRef: 'component:default/checkout-api',
          createdAt: '2026-11-20T09:00:00Z',
        }),
      ]);
      const res = await postPagerDuty(resolved);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'belongs to component:default/checkout-api',
      );
      expect(await incident()).toMatchObject({
        entity_ref: 'component:default/checkout-api',
        resolved_at: null,
      });
      const audit = await auditor.createEvent.mock.results[0].value;
      expect(audit.fail).toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Refused a pagerduty webhook for component:default/payments-api',
        ),
      );
    });

    it('refuses a GitHub deployment whose id another entity holds: logged, audited, not retried, nothing moved', async () => {
      const payload = githubExamples('deployment_status').find(
        p => p.deployment_status.state === 'success',
      );
      payload.repository.full_name = 'example-corp/payments-api';
      const id = `github:example-corp/payments-api:deployment:${payload.deployment.id}`;
      await store.ingest([
        doraEventSchema.parse({
          type: 'deployment',
          id,
          entityRef: 'component:default/checkout-api',
          environment: 'production',
          status: 'failure',
          finishedAt: '2019-05-15T15:20:00Z',
          commitShas: [],
        }),
      ]);
      await expect(
        githubHandler({
          topic: 'github.deployment_status',
          eventPayload: payload,
        }),
      ).resolves.toBeUndefined();
      expect(
        await knex('dora_deployments').where({ id }).first(),
      ).toMatchObject({
        entity_ref: 'component:default/checkout-api',
        status: 'failure',
      });
      const audit = await auditor.createEvent.mock.results[0].value;
      expect(audit.fail).toHaveBeenCalledWith(
        expect.objectContaining({
          error: expect.objectContaining({ name: 'ConflictError' }),
        }),
      );
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Refused a github webhook'),
      );
    });

    it('keeps the newer GitHub deployment status and publishes nothing for a late or repeated one', async () => {
      const [success, failure] = ['success', 'failure'].map(state => {
        const payload = githubExamples('deployment_status').find(
          p => p.deployment_status.state === 'success',
        );
        payload.repository.full_name = 'example-corp/payments-api';
        payload.deployment_status.state = state;
        payload.deployment_status.created_at =
          state === 'success' ? '2026-11-20T12:00:00Z' : '2026-11-20T11:00:00Z';
        return payload;
      });
      await githubHandler({
        topic: 'github.deployment_status',
        eventPayload: success,
      });
      const published = () =>
        (events.publish as jest.Mock).mock.calls.filter(
          ([e]) => e.topic === DORA_INGESTED_TOPIC,
        ).length;
      expect(published()).toBe(1);
      // The failure status was created earlier and delivered late; then GitHub redelivers the success.
      await githubHandler({
        topic: 'github.deployment_status',
        eventPayload: failure,
      });
      await githubHandler({
        topic: 'github.deployment_status',
        eventPayload: success,
      });
      expect(await knex('dora_deployments').select('status')).toEqual([
        { status: 'success' },
      ]);
      expect(published()).toBe(1);
    });

    it('reopens a GitHub incident issue only by an action newer than its close', async () => {
      const opened = githubExamples('issues').find(p => p.action === 'opened');
      opened.repository.full_name = 'example-corp/payments-api';
      opened.issue.labels = [{ name: 'incident' }];
      const at = (issue: object, action: string, fields: object) => {
        const payload = structuredClone(opened);
        payload.action = action;
        Object.assign(payload.issue, issue, fields);
        return payload;
      };
      const closed = at(opened.issue, 'closed', {
        state: 'closed',
        closed_at: '2026-11-20T12:00:00Z',
        updated_at: '2026-11-20T12:00:00Z',
      });
      const lateOpen = at(opened.issue, 'labeled', {
        state: 'open',
        closed_at: null,
        updated_at: '2026-11-20T11:00:00Z',
      });
      const reopened = at(opened.issue, 'reopened', {
        state: 'open',
        closed_at: '2026-11-20T12:00:00Z',
        updated_at: '2026-11-20T13:00:00Z',
      });
      const resolvedAt = async () =>
        (await knex('dora_incidents').first()).resolved_at;
      await githubHandler({ topic: 'github.issues', eventPayload: closed });
      await githubHandler({ topic: 'github.issues', eventPayload: lateOpen });
      expect(Number(await resolvedAt())).toBe(
        Date.parse('2026-11-20T12:00:00Z'),
      );
      await githubHandler({ topic: 'github.issues', eventPayload: reopened });
      expect(await resolvedAt()).toBeNull();
    });
  },
);
