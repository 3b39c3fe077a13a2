import { LoggerService } from '@backstage/backend-plugin-api';
import { OnboardingStore } from '../database/OnboardingStore';
import { OnboardingService } from '../service/OnboardingService';

const DAY = 86_400_000;

/**
 * Engineers of the example org (examples/org.yaml) at different stages, on the example templates
 * (examples/onboarding.yaml). Their first merged changes and deployments arrive through DORA's events. The start dates
 * line up with the table of demo authors in plugins/dora-backend/src/demo/seedDemoData.ts, which has amira.haddad
 * author changes from 141 days ago and li.wei from 12 days ago (so about 9 and 12 days to first change), and neither
 * sofia.rossi nor tom.okafor author any yet; keep the two in step. The guest is left alone, so that it starts with
 * fresh checklists.
 */
const STAGES: Array<{
  userRef: string;
  /** Days ago the checklists started. */
  startedDaysAgo: number;
  /** Manual steps ticked: [checklist id, step id, days ago]. */
  ticks: Array<[string, string, number]>;
  /** Docs opened: [entity ref, days ago]. */
  visits?: Array<[string, number]>;
}> = [
  {
    // Done: every manual step ticked within her first three weeks, docs opened.
    userRef: 'user:default/amira.haddad',
    startedDaysAgo: 150,
    ticks: [
      ['engineering-basics', 'laptop-and-accounts', 149],
      ['engineering-basics', 'read-engineering-handbook', 147],
      ['engineering-basics', 'meet-your-buddy', 146],
      ['payments-team', 'read-runbook', 140],
      ['payments-team', 'pci-training', 138],
      ['payments-team', 'shadow-on-call', 131],
      ['service-basics:component:default/payments-api', 'clone-and-build', 148],
      [
        'service-basics:component:default/ledger-service',
        'clone-and-build',
        144,
      ],
      [
        'service-basics:component:default/fraud-detector',
        'clone-and-build',
        136,
      ],
    ],
    visits: [
      ['component:default/payments-api', 148],
      ['component:default/ledger-service', 144],
      ['component:default/fraud-detector', 136],
    ],
  },
  {
    // Mid-way: the team basics ticked, the services not yet.
    userRef: 'user:default/li.wei',
    startedDaysAgo: 24,
    ticks: [
      ['engineering-basics', 'laptop-and-accounts', 23],
      ['engineering-basics', 'read-engineering-handbook', 20],
      ['engineering-basics', 'meet-your-buddy', 22],
      ['service-basics:component:default/checkout-api', 'clone-and-build', 6],
    ],
    visits: [['component:default/checkout-api', 6]],
  },
  {
    // Stalled: two ticks in the first days, nothing since (and no changes of her own yet).
    userRef: 'user:default/sofia.rossi',
    startedDaysAgo: 45,
    ticks: [
      ['engineering-basics', 'laptop-and-accounts', 44],
      ['engineering-basics', 'meet-your-buddy', 43],
    ],
  },
  {
    // Just started.
    userRef: 'user:default/tom.okafor',
    startedDaysAgo: 2,
    ticks: [['engineering-basics', 'laptop-and-accounts', 1]],
  },
];

/**
 * Seeds the demo onboarding once. Returns the number of people seeded, 0 when already seeded, or null when the
 * catalog does not have the example users yet (try again later).
 */
export async function seedDemoData(options: {
  service: OnboardingService;
  store: OnboardingStore;
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { service, store, logger } = options;
  const now = (options.now ?? new Date()).getTime();
  const refs = STAGES.map(s => s.userRef);
  if ((await store.peopleWithChecklists(refs)).length) return 0;
  let seeded = 0;
  for (const stage of STAGES) {
    const onboarding = await service.start(stage.userRef, {
      startedAt: new Date(now - stage.startedDaysAgo * DAY),
    });
    if (!onboarding) {
      if (seeded === 0) return null; // the catalog has not read examples/org.yaml yet
      continue;
    }
    const ids = new Set(onboarding.checklists.map(c => c.id));
    for (const [checklistId, stepId, daysAgo] of stage.ticks) {
      if (!ids.has(checklistId)) continue; // the templates were changed; seed what still exists
      await service
        .setStepDone(
          stage.userRef,
          checklistId,
          stepId,
          true,
          new Date(now - daysAgo * DAY),
        )
        .catch(() => undefined);
    }
    for (const [entityRef, daysAgo] of stage.visits ?? []) {
      await service.reportVisit(
        stage.userRef,
        entityRef,
        'docs',
        new Date(now - daysAgo * DAY),
      );
    }
    seeded++;
  }
  logger.info(`Seeded demo onboarding progress for ${seeded} people`);
  return seeded;
}
