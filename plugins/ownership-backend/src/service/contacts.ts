import { Entity } from '@backstage/catalog-model';
import {
  ContactChannel,
  safeContactUrl,
} from '@vitals/plugin-ownership-common';

const CONTACT_LINK_TYPES = new Set([
  'chat',
  'slack',
  'teams',
  'email',
  'mail',
  'contact',
  'support',
  'help',
]);
const ON_CALL_LINK_TYPES = new Set([
  'runbook',
  'oncall',
  'on-call',
  'pager',
  'incident',
]);

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The ways to reach the people behind an entity: Slack channels and emails (contacts), paging services and runbooks
 * (on-call). Read from the `slack.com/channel`, `pagerduty.com/service-id`, `pagerduty.com/integration-key` and
 * `opsgenie.com/team` annotations, `spec.profile.email` (groups and users) and `metadata.links` by type or URL.
 *
 * Catalog data is written by anyone who can open a pull request, so a channel's `url` is set only for http(s), mailto
 * and chat-app schemes (`safeContactUrl`); any other link (`javascript:`, `data:`, `tel:` …) is still listed, with its
 * title or address as text and `url: null`.
 */
export function channelsOf(
  entity: Entity,
  source: ContactChannel['source'],
): { contacts: ContactChannel[]; onCall: ContactChannel[] } {
  const contacts: ContactChannel[] = [];
  const onCall: ContactChannel[] = [];
  const slack = annotation(entity, 'slack.com/channel');
  if (slack) {
    for (const channel of slack
      .split(',')
      .map(c => c.trim().replace(/^#/, ''))
      .filter(Boolean)) {
      contacts.push({ type: 'slack', label: `#${channel}`, url: null, source });
    }
  }
  const email = (entity.spec?.profile as { email?: unknown } | undefined)
    ?.email;
  if (typeof email === 'string' && email.includes('@')) {
    contacts.push({
      type: 'email',
      label: email,
      url: safeContactUrl(`mailto:${email}`),
      source,
    });
  }
  const pagerDuty =
    annotation(entity, 'pagerduty.com/service-id') ??
    annotation(entity, 'pagerduty.com/integration-key');
  if (pagerDuty) {
    onCall.push({
      type: 'pagerduty',
      label: `PagerDuty ${pagerDuty}`,
      url: null,
      source,
    });
  }
  const opsgenie = annotation(entity, 'opsgenie.com/team');
  if (opsgenie) {
    onCall.push({
      type: 'opsgenie',
      label: `Opsgenie ${opsgenie}`,
      url: null,
      source,
    });
  }
  for (const link of entity.metadata.links ?? []) {
    if (typeof link?.url !== 'string') continue;
    const type = (link.type ?? link.icon ?? '').toLocaleLowerCase('en-US');
    const label = link.title ?? link.url;
    const url = safeContactUrl(link.url);
    if (/^\s*mailto:/i.test(link.url)) {
      contacts.push({ type: 'email', label, url, source });
    } else if (
      CONTACT_LINK_TYPES.has(type) ||
      /\.slack\.com\//.test(link.url)
    ) {
      contacts.push({ type: 'link', label, url, source });
    } else if (ON_CALL_LINK_TYPES.has(type)) {
      onCall.push({ type: 'link', label, url, source });
    }
  }
  return { contacts, onCall };
}

/** How many channels reach someone: contacts plus paging services (a runbook reaches nobody). */
export function reachableCount(channels: {
  contacts: ContactChannel[];
  onCall: ContactChannel[];
}): number {
  return (
    channels.contacts.length +
    channels.onCall.filter(c => c.type !== 'link').length
  );
}
