import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import { readPostmortemsSettings } from '../config';
import { DatabasePostmortemsStore } from '../database/DatabasePostmortemsStore';
import { DebtRegister } from './debtRegister';
import { runFollowThrough } from './followThrough';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const API = 'component:default/payments-api';
const SHOP = 'component:default/storefront-web';
const PAYMENTS = 'group:default/payments';
const STOREFRONT = 'group:default/storefront';
const ITEM = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';
const DONE = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e02';

const settings = readPostmortemsSettings(mockServices.rootConfig());

describe.each(databases.eachSupportedId())(
  'the follow-through job on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabasePostmortemsStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const incident = (id: string, entityRef: string, daysAgo: number) => ({
        id,
        entityRef,
        createdAt: NOW - daysAgo * DAY,
        resolvedAt: NOW - daysAgo * DAY + 3_600_000,
        severity: 'SEV2',
        url: null,
        deploymentId: null,
        restoreMinutes: 60,
      });
      await store.upsertIncidents(
        [
          incident('pd-1', API, 30),
          incident('pd-2', API, 8),
          incident('pd-new', API, 1),
          incident('shop-1', SHOP, 12),
          incident('old', API, 200),
        ],
        NOW,
      );
      await store.setOwners(
        new Map([
          [API, PAYMENTS],
          [SHOP, STOREFRONT],
        ]),
      );
      // pd-1 has a published postmortem with two action items past their due date, one of them done in the register.
      const pm = await store.createPostmortem(
        {
          id: '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11',
          incidentId: 'pd-1',
          entityRef: API,
          title: 'Pool exhausted',
          templateId: 'blameless',
          authors: ['user:default/guest'],
          summary: '',
          customerImpact: '',
          timeline: [],
          contributingFactors: '',
          whatWentWell: '',
          whatWasHard: '',
          lessons: '',
          extraSections: {},
        },
        'user:default/guest',
        NOW,
      );
      await store.updatePostmortem(pm.id, { status: 'in_review' }, 1, 'x', NOW);
      await store.updatePostmortem(pm.id, { status: 'published' }, 2, 'x', NOW);
      for (const debtItemId of [ITEM, DONE]) {
        await store.putActionItem(
          {
            postmortemId: pm.id,
            debtItemId,
            origin: 'created',
            dueDate: '2026-11-20',
            debt: null,
          },
          'user:default/guest',
          NOW,
        );
      }
      const items = new Map<string, DebtItem>([
        [
          ITEM,
          {
            id: ITEM,
            title: 'Saturation alert',
            status: 'in_progress',
            entityRef: API,
            ownerRef: PAYMENTS,
            assignee: null,
          } as DebtItem,
        ],
        [
          DONE,
          {
            id: DONE,
            title: 'Load test',
            status: 'resolved',
            entityRef: API,
            ownerRef: PAYMENTS,
            assignee: null,
          } as DebtItem,
        ],
      ]);
      const register = {
        getItems: jest.fn(
          async (_c: unknown, ids: string[]) =>
            new Map(
              ids.filter(id => items.has(id)).map(id => [id, items.get(id)!]),
            ),
        ),
      } as unknown as DebtRegister;
      const sent: any[] = [];
      let failing = false;
      const notifications = {
        send: jest.fn(async (n: unknown) => {
          if (failing) throw new Error('notifications backend down');
          sent.push(n);
        }),
      };
      const run = (options: { notify?: boolean } = {}) =>
        runFollowThrough({
          store,
          register,
          auth: mockServices.auth(),
          notifications,
          settings: { ...settings, notify: options.notify ?? true },
          logger: mockServices.logger.mock(),
          now: NOW,
        });
      return { store, run, sent, setFailing: (f: boolean) => (failing = f) };
    }

    it('reads the action items again, lists what is overdue and tells each team once', async () => {
      const { run, sent, store } = await setup();
      const first = await run();
      expect(first).toEqual({
        actionItemsChecked: 2,
        // pd-2 (8 days, none) and shop-1 (12 days); not pd-new (not due), not old (beyond the 90-day lookback).
        missingPostmortems: 2,
        // The resolved item is done, whatever its due date.
        overdueActionItems: 1,
        notified: 3,
        teamsNotified: [PAYMENTS, STOREFRONT],
      });
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: PAYMENTS },
          payload: expect.objectContaining({
            title: 'payments: 1 postmortem and 1 action item overdue',
            description:
              'Incident pd-2 on payments-api (SEV2): postmortem not started, due 3 days ago. Action item "Saturation alert" of "Pool exhausted", due 2026-11-20.',
            link: '/postmortems?team=group%3Adefault%2Fpayments',
            topic: 'postmortems',
            scope: `postmortems:follow-through:${PAYMENTS}`,
          }),
        },
        {
          recipients: { type: 'entity', entityRef: STOREFRONT },
          payload: expect.objectContaining({
            title: 'storefront: 1 postmortem overdue',
          }),
        },
      ]);
      expect(
        (
          await store.listActionItems('0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11')
        ).map(i => i.debt?.status),
      ).toEqual(['in_progress', 'resolved']);
      // A second run, on this replica or another, tells nobody again.
      expect((await run()).notified).toBe(0);
      expect(sent).toHaveLength(2);
    });

    it('does not notify twice when two runs overlap', async () => {
      const { run, sent } = await setup();
      const runs = await Promise.all([run(), run()]);
      expect(runs.map(r => r.notified).sort()).toEqual([0, 3]);
      expect(sent).toHaveLength(2);
    });

    it('tries a notice again on the next run when sending failed, and sends nothing when notifying is off', async () => {
      const { run, sent, setFailing } = await setup();
      expect((await run({ notify: false })).notified).toBe(0);
      setFailing(true);
      expect((await run()).notified).toBe(0);
      setFailing(false);
      expect((await run()).notified).toBe(3);
      expect(sent).toHaveLength(2);
    });
  },
);
