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
  const resolved = (i: IncidentRecord) => i.resolvedAt !== null;
  const olderThan = (days: number) => (i: IncidentRecord) =>
    now - i.createdAt > days * DAY;
  const published = api.find(i => resolved(i) && olderThan(20)(i));
  const draft = api.find(i => i !== published);
  const overdue = ledger.find(olderThan(settings.postmortemDueDays + 2));
  if (!published || !draft || !overdue) {
    logger.info('Postmortems demo: waiting for the DORA demo incidents');
    return false;
  }

  const credentials = await auth.getOwnServiceCredentials();
  let debtItems: DebtItem[] = [];
  try {
    debtItems = await register.listOpenItems(credentials, PAYMENTS_API, 2);
    if (debtItems.length === 0) {
      logger.info('Postmortems demo: waiting for the tech-debt demo items');
      return false;
    }
  } catch (error) {
    logger.warn(
      `Postmortems demo: the tech-debt register cannot be read, the published postmortem gets no action items: ${error}`,
    );
  }

  const p1 = await store.createPostmortem(
    {
      ...EMPTY,
      id: demoId(1),
      incidentId: published.id,
      entityRef: PAYMENTS_API,
      title:
        'Card payments failed while the ledger connection pool was exhausted',
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
        'For a little over an hour, card payments failed intermittently: the payments API ran out of database connections after a deployment doubled the number of calls it makes to the ledger per payment.',
      customerImpact:
        'About 6% of card payments failed with "try again later"; most customers retried and succeeded. No payment was taken twice.',
      timeline: [
        {
          at: at(published, -45),
          text: 'The deployment adding the fraud pre-check reaches production.',
        },
        {
          at: at(published, 0),
          text: 'The payment error-rate alert fires; the on-call engineer is paged.',
        },
        {
          at: at(published, 12),
          text: 'Dashboards show the ledger connection pool at its limit.',
        },
        {
          at: at(published, 40),
          text: 'The deployment is rolled back; errors fall within minutes.',
        },
        {
          at: at(published, published.restoreMinutes ?? 75),
          text: 'Error rate back to normal; incident resolved.',
        },
      ],
      contributingFactors:
        'The new pre-check opened a second ledger connection per payment. The pool size is fixed in code and nothing in review or load testing shows the number of connections a request holds. The error-rate alert fired, but no alert watches pool saturation.',
      whatWentWell:
        'The alert fired within minutes, and the rollback was one click.',
      whatWasHard:
        'Finding the cause took half an hour: the pool saturation was only visible on a dashboard nobody had open.',
      lessons:
        'Connection use per request belongs in load tests, and pool saturation needs an alert. Both are tracked as action items.',
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
  const dueDates = [dayOf(now - 3 * DAY), dayOf(now + 21 * DAY)];
  let n = 0;
  for (const item of debtItems) {
    const dueDate = dueDates[n++ % dueDates.length];
    await store.putActionItem(
      {
        postmortemId: p1.id,
        debtItemId: item.id,
        origin: 'linked',
        dueDate,
        debt: debtOf(item),
      },
      SEEDER,
      published.createdAt + 4 * DAY,
    );
    try {
      await register.linkIncident(
        credentials,
        item.id,
        published.id,
        incidentLinkSnapshot(
          { id: p1.id, title: p1.title },
          published,
          options.appBaseUrl,
        ),
      );
    } catch (error) {
      logger.warn(
        `Postmortems demo: the register did not link incident ${published.id} to item ${item.id}: ${error}`,
      );
    }
  }

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
  logger.info(
    `Seeded 3 demo postmortems (published ${published.id} with ${debtItems.length} action items, draft ${draft.id}, in review and overdue ${overdue.id})`,
  );
  return true;
}
