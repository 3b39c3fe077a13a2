import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp } from '@vitals/backend-test-utils';
import { doraEventSchema } from '@vitals/plugin-dora-common';
import express from 'express';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { DoraStore } from '../database/DoraStore';
import { createRouter } from '../service/router';
import resolved from './__fixtures__/pagerduty-incident-resolved.json';
import { mapPagerDutyEvent, verifyPagerDutySignature } from './pagerduty';
import { WebhookIngestor } from './WebhookIngestor';

const SECRET = 'pd-secret';
const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
const triggered = () => {
  const payload = structuredClone(resolved);
  payload.event.event_type = 'incident.triggered';
  payload.event.occurred_at = payload.event.data.created_at;
  payload.event.data.status = 'triggered';
  return payload;
};

describe('PagerDuty v3 webhooks', () => {
  it('maps incident.triggered to an open incident and incident.resolved to a resolved one', () => {
    expect(mapPagerDutyEvent(triggered())).toEqual({
      serviceId: 'PPAYAPI',
      event: {
        type: 'incident',
        id: 'pagerduty:PGR0VU2',
        createdAt: '2026-11-20T09:16:27Z',
        severity: 'P1',
        url: 'https://example-corp.pagerduty.com/incidents/PGR0VU2',
      },
    });
    const event = mapPagerDutyEvent(resolved)!.event;
    expect(
      doraEventSchema.parse({
        ...event,
        entityRef: 'component:default/payments-api',
      }),
    ).toMatchObject({
      id: 'pagerduty:PGR0VU2',
      createdAt: '2026-11-20T09:16:27.000Z',
      resolvedAt: '2026-11-20T10:47:36.503Z',
    });
    const acknowledged = structuredClone(resolved);
    acknowledged.event.event_type = 'incident.acknowledged';
    expect(mapPagerDutyEvent(acknowledged)).toBeUndefined();
  });

  it('verifies v1 signatures in constant time, accepting any of several during secret rotation', () => {
    const body = Buffer.from(JSON.stringify(resolved));
    expect(verifyPagerDutySignature(body, sign(body.toString()), SECRET)).toBe(
      true,
    );
    expect(
      verifyPagerDutySignature(
        body,
        `${sign('x', 'old')},${sign(body.toString())}`,
        SECRET,
      ),
    ).toBe(true);
    expect(
      verifyPagerDutySignature(body, sign(body.toString(), 'wrong'), SECRET),
    ).toBe(false);
    expect(
      verifyPagerDutySignature(body, sign(`${body.toString()} `), SECRET),
    ).toBe(false);
    expect(verifyPagerDutySignature(body, 'v1=zz', SECRET)).toBe(false);
    expect(verifyPagerDutySignature(body, undefined, SECRET)).toBe(false);
  });

  describe('POST /v1/webhooks/pagerduty', () => {
    const ingest = jest.fn(async (events: unknown[]) => events.length);
    let app: express.Express;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;

    beforeEach(async () => {
      ingest.mockClear();
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'payments-api',
              namespace: 'default',
              annotations: { 'pagerduty.com/service-id': 'PPAYAPI' },
            },
            spec: {
              type: 'service',
              lifecycle: 'production',
              owner: 'group:default/payments',
            },
          },
        ],
      });
      const store = {} as DoraStore;
      auditor = mockServices.auditor.mock();
      const ingestor = new WebhookIngestor({
        ingest: { ingest },
        auditor,
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });
      const router = await createRouter({
        store,
        ingest: { ingest },
        catalog,
        auth: mockServices.auth(),
        httpAuth: mockServices.httpAuth(),
        permissions: mockServices.permissions(),
        auditor,
        logger: mockServices.logger.mock(),
        pagerDuty: { secret: SECRET, ingestor },
      });
      app = routerTestApp(router);
    });

    /** Posts a payload as PagerDuty does: JSON, signed with the configured secret. */
    const postSigned = (payload: object) => {
      const body = JSON.stringify(payload);
      return request(app)
        .post('/v1/webhooks/pagerduty')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', sign(body))
        .send(body);
    };

    it('ingests a signed webhook as an incident of the entity with the service annotation', async () => {
      const res = await postSigned(resolved);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 1 });
      expect(ingest.mock.calls[0][0]).toEqual([
        expect.objectContaining({
          type: 'incident',
          id: 'pagerduty:PGR0VU2',
          entityRef: 'component:default/payments-api',
          resolvedAt: '2026-11-20T10:47:36.503Z',
        }),
      ]);
      // Audited like POST /v1/events: the service, the entities and the number of events, then the outcome.
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'dora-webhook-ingest',
          meta: expect.objectContaining({
            source: 'pagerduty',
            service: 'PPAYAPI',
            entities: ['component:default/payments-api'],
            events: 1,
          }),
        }),
      );
      const audit = await auditor.createEvent.mock.results[0].value;
      expect(audit.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({ accepted: 1 }),
      });
      expect(audit.fail).not.toHaveBeenCalled();
    });

    it('audits a failed write as a failure and answers 500', async () => {
      ingest.mockRejectedValueOnce(new Error('database is down'));
      const res = await postSigned(resolved);
      expect(res.status).toBe(500);
      const audit = await auditor.createEvent.mock.results[0].value;
      expect(audit.fail).toHaveBeenCalledWith(
        expect.objectContaining({
          error: expect.objectContaining({ message: 'database is down' }),
          meta: expect.objectContaining({ service: 'PPAYAPI' }),
        }),
      );
      expect(audit.success).not.toHaveBeenCalled();
    });

    it('rejects unsigned and wrongly signed webhooks with 401 and writes nothing', async () => {
      const body = JSON.stringify(resolved);
      const unsigned = await request(app)
        .post('/v1/webhooks/pagerduty')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(unsigned.status).toBe(401);
      const forged = await request(app)
        .post('/v1/webhooks/pagerduty')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', sign(body, 'guessed'))
        .send(body);
      expect(forged.status).toBe(401);
      expect(ingest).not.toHaveBeenCalled();
    });

    it('accepts and ignores an incident of a service no entity carries', async () => {
      const payload = structuredClone(resolved);
      payload.event.data.service.id = 'PUNKNOWN';
      const res = await postSigned(payload);
      expect(res.body).toEqual({ accepted: 0 });
      expect(ingest).not.toHaveBeenCalled();
      // Nothing was written, so nothing is audited (the ignored webhook is logged).
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });
  });
});
