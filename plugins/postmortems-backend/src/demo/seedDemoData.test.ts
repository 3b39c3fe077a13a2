import {
  mockScheduler,
  startTrustBackend,
  TrustBackend,
  trustDatabases,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import postmortemsPlugin from '../index';
import { DEMO_SEED_TASK_ID, FOLLOW_THROUGH_TASK_ID } from '../plugin';

jest.setTimeout(300_000);

async function until(condition: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error('Timed out waiting for the demo');
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** The demo of the portal: the DORA and tech-debt demos, then the postmortems demo on top of them. */
describe('the postmortems demo', () => {
  let trust: TrustBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    trust = await startTrustBackend({
      features: [postmortemsPlugin, doraPlugin, techDebtPlugin],
      database: trustDatabases()[0],
      scheduler,
      config: { vitals: { demo: { enabled: true } } },
    });
  });

  afterAll(async () => {
    await trust?.stop();
  });

  const get = async (url: string) => {
    const res = await trust.call('get', `/api/postmortems/v1${url}`, 'member');
    expect(res.status).toBe(200);
    return res.body;
  };

  it('waits for the DORA and tech-debt demos, then seeds three postmortems once', async () => {
    await scheduler.triggerTask(DEMO_SEED_TASK_ID);
    expect((await get('/postmortems')).totalCount).toBe(0);

    // The other demos, then this one, each tried until it is in (a task the scheduler is running already is not run
    // again by triggerTask, so one try may return before the task is done).
    await scheduler.triggerTask('dora-demo-seed');
    await until(async () => {
      await scheduler.triggerTask('tech-debt-demo-seed');
      await scheduler.triggerTask('tech-debt-demo-incident-links');
      const items = await trust.call(
        'get',
        '/api/tech-debt/v1/items?entityRef=component:default/payments-api',
        'member',
      );
      return items.body.items?.some(
        (i: { incidents: unknown[] }) => i.incidents.length > 0,
      );
    });
    await until(async () => {
      await scheduler.triggerTask(DEMO_SEED_TASK_ID);
      return (await get('/postmortems')).totalCount > 0;
    });
    // Once: a further run writes nothing.
    await scheduler.triggerTask(DEMO_SEED_TASK_ID);

    const { items, totalCount } = await get('/postmortems');
    expect(totalCount).toBe(3);
    const byStatus = Object.fromEntries(
      items.map((p: { status: string }) => [p.status, p]),
    );
    expect(Object.keys(byStatus).sort()).toEqual([
      'draft',
      'in_review',
      'published',
    ]);

    // The published one: its action items are debt items of the register, linked to its incident there too.
    const published = await get(`/postmortems/${byStatus.published.id}`);
    expect(published.actionItems.length).toBeGreaterThan(0);
    for (const actionItem of published.actionItems) {
      const item = await trust.call(
        'get',
        `/api/tech-debt/v1/items/${actionItem.debtItemId}`,
        'member',
      );
      expect(
        item.body.incidents.map((l: { incidentId: string }) => l.incidentId),
      ).toContain(published.postmortem.incidentId);
    }
    expect(
      published.actionItems.some((a: { overdue: boolean }) => a.overdue),
    ).toBe(true);
    // The draft shows what the blameless check is for.
    expect(
      (await get(`/postmortems/${byStatus.draft.id}`)).postmortem.warnings.map(
        (w: { match: string }) => w.match,
      ),
    ).toContain('@jonas.berg');

    // The one in review is past its due date: an overdue postmortem of Payments.
    const inReview = (await get(`/postmortems/${byStatus.in_review.id}`))
      .postmortem;
    expect(Date.parse(inReview.incident.postmortemDueAt)).toBeLessThan(
      Date.now(),
    );
    await scheduler.triggerTask(FOLLOW_THROUGH_TASK_ID);
    const coverage = await get(
      `/coverage?team=group:default/payments&from=${inReview.incident.createdAt}`,
    );
    expect(coverage.overdue.postmortems[0]).toMatchObject({
      incident: { id: inReview.incidentId },
      postmortem: { id: inReview.id, status: 'in_review' },
    });
  });
});
