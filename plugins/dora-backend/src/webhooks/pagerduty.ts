import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnresolvedDoraEvent } from './github';

/** An incident for the entities of a PagerDuty service, before the service is resolved to catalog entities. */
export interface ServiceEvent {
  /** PagerDuty service id, as in the catalog annotation `pagerduty.com/service-id`. */
  serviceId: string;
  event: UnresolvedDoraEvent;
}

/**
 * Whether `X-PagerDuty-Signature` holds a valid signature of the raw body: `v1=<hex HMAC-SHA256 of the body with the
 * secret>`, several comma-separated while PagerDuty rotates secrets. Compared in constant time.
 */
export function verifyPagerDutySignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secret: string,
): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  let valid = false;
  for (const part of value.split(',')) {
    const [version, hex] = part.trim().split('=', 2);
    if (version !== 'v1' || !hex || !/^[0-9a-f]+$/i.test(hex)) continue;
    const given = Buffer.from(hex, 'hex');
    // Every candidate is compared, so the time does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected))
      valid = true;
  }
  return valid;
}

/**
 * Maps a PagerDuty v3 webhook (`{ event: { event_type, occurred_at, data: <incident> } }`) to an incident:
 * `incident.triggered` opens it (created at the incident's `created_at`), `incident.resolved` resolves it (at the
 * event's `occurred_at`). Other event types are none of ours.
 */
export function mapPagerDutyEvent(payload: any): ServiceEvent | undefined {
  const event = payload?.event;
  const incident = event?.data;
  const type = event?.event_type;
  if (type !== 'incident.triggered' && type !== 'incident.resolved')
    return undefined;
  if (event.resource_type && event.resource_type !== 'incident')
    return undefined;
  const serviceId = incident?.service?.id;
  const createdAt =
    incident?.created_at ??
    (type === 'incident.triggered' ? event.occurred_at : undefined);
  if (
    typeof incident?.id !== 'string' ||
    typeof serviceId !== 'string' ||
    typeof createdAt !== 'string'
  ) {
    return undefined;
  }
  const resolvedAt =
    type === 'incident.resolved' ? event.occurred_at : undefined;
  const severity = incident.priority?.summary ?? incident.urgency;
  const url = incident.html_url;
  return {
    serviceId,
    event: {
      type: 'incident',
      id: `pagerduty:${incident.id}`,
      createdAt,
      ...(typeof resolvedAt === 'string' ? { resolvedAt } : {}),
      ...(typeof severity === 'string' && severity ? { severity } : {}),
      ...(typeof url === 'string' && /^https?:\/\//i.test(url) ? { url } : {}),
    },
  };
}
