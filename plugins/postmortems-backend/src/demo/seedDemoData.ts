import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { PostmortemsSettings } from '../config';
import { IncidentRecord, PostmortemsStore } from '../database/PostmortemsStore';
import {
  DebtRegister,
  debtOf,
  incidentLinkSnapshot,
} from '../service/debtRegister';
import { IncidentMirror } from '../service/incidents';
import { dayOf } from '../service/views';
import { DebtItem } from '@vitals/plugin-tech-debt-common';

const DAY = 24 * 60 * 60 * 1000;
const PAYMENTS_API = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-service';
const SEEDER = 'user:default/jonas.berg';

const EMPTY = {
  summary: '',
  customerImpact: '',
  timeline: [],
  contributingFactors: '',
  whatWentWell: '',
  whatWasHard: '',
  lessons: '',
  extraSections: {},
};

const at = (incident: IncidentRecord, minutes: number) =>
  new Date(incident.createdAt + minutes * 60_000).toISOString();

/** A stable UUID for a demo postmortem, so that two seeds (never expected) would collide rather than duplicate. */
const demoId = (n: number) =>
  `7e0d5a10-9b1c-4c6e-8f00-${String(n).padStart(12, '0')}`;

/**
 * Postmortems for three demo incidents of Payments (from the DORA demo history, read through the DORA API): one
 * published, whose action items are the payments API's open debt items from the tech-debt demo (linked both ways), one
 * draft of the latest incident, and one in review past its due date. Returns false (try again later) until DORA has
 * the demo incidents and the register has the demo items; writes nothing when any postmortem exists.
 */
export async function seedDemoData(options: {
  store: PostmortemsStore;
  mirror: IncidentMirror;
  register: DebtRegister;
  auth: AuthService;
  settings: PostmortemsSettings;
  logger: LoggerService;
  appBaseUrl?: string;
  now?: number;
}): Promise<boolean> {
  const { store, mirror, register, auth, settings, logger } = options;
  const now = options.now ?? Date.now();
  const existing = await store.listPostmortems({
    readFilter: undefined,
    limit: 1,
    offset: 0,
  });
  if (existing.totalCount > 0) return false;

  await mirror.sync(now);
  const incidentsOf = async (entityRef: string) =>
    (
      await store.listEntityIncidents({ entityRef, limit: 1000, offset: 0 })
    ).items.map(i => i.incident);
  const [api, ledger] = await Promise.all([
    incidentsOf(PAYMENTS_API),
    incidentsOf(LEDGER),
  ]);
  const credentials = await auth.getOwnServiceCredentials();
  // The register's demo links its items to the latest DORA demo incidents; the published postmortem is about one of
  // those, so that its action items are linked both ways.
  let apiItems: DebtItem[] = [];
  let ledgerItems: DebtItem[] = [];
  let registerAnswered = false;
  try {
    [apiItems, ledgerItems] = await Promise.all([
      register.listOpenItems(credentials, PAYMENTS_API, 100),
      register.listOpenItems(credentials, LEDGER, 100),
    ]);
    registerAnswered = true;
  } catch (error) {
    logger.warn(
      `Postmortems demo: the tech-debt register cannot be read, the postmortems get no action items: ${error}`,
    );
  }
  const linkedTo = (candidates: DebtItem[], incident: IncidentRecord) =>
    candidates.filter(item =>
      (item.incidents ?? []).some(link => link.incidentId === incident.id),
    );
  // The register answers but its demo (items, then their incident links) is not in yet: try again later.
  if (registerAnswered && !apiItems.some(i => (i.incidents ?? []).length > 0)) {
    logger.info(
      'Postmortems demo: waiting for the tech-debt demo incident links',
    );
    return false;
  }
  const resolved = (i: IncidentRecord) => i.resolvedAt !== null;
  const published =
    api.find(i => resolved(i) && linkedTo(apiItems, i).length > 0) ??
    api.find(resolved);
  const draft = api.find(i => i !== published);
  const dueBefore = now - (settings.postmortemDueDays + 2) * DAY;
  const overdue =
    ledger.find(
      i => i.createdAt < dueBefore && linkedTo(ledgerItems, i).length,
    ) ?? ledger.find(i => i.createdAt < dueBefore);
  if (!published || !draft || !overdue) {
    logger.info('Postmortems demo: waiting for the DORA demo incidents');
    return false;
  }

  /** Records the items as action items, and refreshes their links with the postmortem (the plugin may refresh). */
  const addActionItems = async (
    postmortem: { id: string; title: string },
    incident: IncidentRecord,
    debtItems: DebtItem[],
    dueDates: string[],
    addedAt: number,
  ) => {
    let n = 0;
    for (const item of debtItems) {
      await store.putActionItem(
        {
          postmortemId: postmortem.id,
          debtItemId: item.id,
          origin: 'linked',
          dueDate: dueDates[n++ % dueDates.length],
          debt: debtOf(item),
        },
        SEEDER,
        addedAt,
      );
      try {
        await register.linkIncident(
          credentials,
          item.id,
          incident.id,
          incidentLinkSnapshot(postmortem, incident, options.appBaseUrl),
        );
      } catch (error) {
        logger.warn(
          `Postmortems demo: the register did not refresh the link of incident ${incident.id} on item ${item.id}: ${error}`,
        );
      }
    }
  };

  const p1 = await store.createPostmortem(
    {
      ...EMPTY,
      id: demoId(1),
      incidentId: published.id,
      entityRef: PAYMENTS_API,
      title: 'Card payments failed after retries against a slow card processor',
      templateId: 'blameless',
      authors: [SEEDER, 'user:default/amira.haddad'],
    },
    SEEDER,
    published.createdAt + 2 * DAY,
  );
  await store.updatePostmortem(
    p1.id,
    {
      summary:
        'For about an hour, card payments failed intermittently: the card processor slowed down, our client retried captures, and a retried capture that had already gone through was refused as a duplicate.',
      customerImpact:
        'About 6% of card payments failed with "try again later"; most customers retried and succeeded. No card was charged twice.',
      timeline: [
        {
          at: at(published, -20),
          text: 'The card processor reports degraded latency on its status page.',
        },
        {
          at: at(published, 0),
          text: 'The payment error-rate alert fires; the on-call engineer is paged.',
        },
        {
          at: at(published, 15),
          text: 'Logs show captures refused as duplicates after client retries.',
        },
        {
          at: at(published, 35),
          text: 'Capture retries are switched off with the feature flag; errors fall.',
        },
        {
          at: at(published, published.restoreMinutes ?? 60),
          text: 'Processor latency back to normal; incident resolved.',
        },
      ],
      contributingFactors:
        'Capture requests carry no idempotency key, so the processor cannot tell a retry from a new capture. The client retries on a timeout shorter than the processor latency during an incident, and nothing in testing exercises a slow processor.',
      whatWentWell:
        'The alert fired within minutes, and the retry flag stopped the failures at once.',
      whatWasHard:
        'The duplicate refusals looked like fraud-rule rejections at first; finding the retry pattern took a quarter of an hour.',
      lessons:
        'Captures need an idempotency key before retries are safe. The same retry path is behind the other recent incidents of this service; the fix is tracked as an action item.',
      status: 'in_review',
    },
    1,
    SEEDER,
    published.createdAt + 3 * DAY,
  );
  await store.updatePostmortem(
    p1.id,
    { status: 'published' },
    2,
    'user:default/amira.haddad',
    published.createdAt + 4 * DAY,
  );
  // One action item past its due date, so that the follow-through shows an overdue item.
  await addActionItems(
    p1,
    published,
    linkedTo(apiItems, published),
    [dayOf(now - 3 * DAY), dayOf(now + 21 * DAY)],
    published.createdAt + 4 * DAY,
  );

  const p2 = await store.createPostmortem(
    {
      ...EMPTY,
      id: demoId(2),
      incidentId: draft.id,
      entityRef: PAYMENTS_API,
      title: 'Refunds stuck in pending',
      templateId: 'blameless',
      authors: ['user:default/guest'],
    },
    'user:default/guest',
    Math.max(draft.createdAt, now - DAY),
  );
  await store.updatePostmortem(
    p2.id,
    {
      summary: 'Refunds stayed pending for about an hour.',
      timeline: [
        { at: at(draft, 0), text: 'Support reports refunds stuck in pending.' },
      ],
      contributingFactors:
        '@jonas.berg restarted the worker, which hid the backlog for a while.',
    },
    1,
    'user:default/guest',
    Math.max(draft.createdAt, now - DAY) + 60_000,
  );

  const p3 = await store.createPostmortem(
    {
      ...EMPTY,
      id: demoId(3),
      incidentId: overdue.id,
      entityRef: LEDGER,
      title: 'Ledger writes slowed down during the nightly reconciliation',
      templateId: 'blameless',
      authors: ['user:default/amira.haddad'],
    },
    'user:default/amira.haddad',
    overdue.createdAt + DAY,
  );
  await store.updatePostmortem(
    p3.id,
    {
      summary:
        'Ledger writes took up to 8 seconds while the nightly reconciliation ran an unindexed scan.',
      customerImpact: 'Payments were slow for 40 minutes; none failed.',
      timeline: [
        { at: at(overdue, 0), text: 'Write latency alert fires.' },
        {
          at: at(overdue, 40),
          text: 'Reconciliation finishes; latency recovers.',
        },
      ],
      contributingFactors:
        'The reconciliation job runs on the primary and its query plan changed after the table grew.',
      lessons: 'Run reconciliation on a replica.',
      status: 'in_review',
    },
    1,
    'user:default/amira.haddad',
    overdue.createdAt + 2 * DAY,
  );
  await addActionItems(
    p3,
    overdue,
    linkedTo(ledgerItems, overdue),
    [dayOf(now + 14 * DAY)],
    overdue.createdAt + 2 * DAY,
  );
  logger.info(
    `Seeded 3 demo postmortems (published ${published.id} with ${
      linkedTo(apiItems, published).length
    } action items, draft ${draft.id}, in review and overdue ${overdue.id})`,
  );
  return true;
}
