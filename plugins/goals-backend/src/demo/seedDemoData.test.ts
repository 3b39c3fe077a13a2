import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  exampleFile,
  loadExampleCatalog,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import { FigureDescriptor } from '@vitals/plugin-goals-common';
import {
  EntityScorecardResult,
  evaluateScorecard,
  FactValue,
  parseScorecardDefinitions,
} from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import { parse } from 'yaml';
import { DatabaseGoalsStore } from '../database/DatabaseGoalsStore';
import { CampaignEvaluator } from '../service/CampaignEvaluator';
import { FigureReader } from '../service/FigureReader';
import { goalView } from '../service/goalView';
import { baselineFor, DEMO_CAMPAIGN, seedDemoData } from './seedDemoData';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const NOW = new Date('2026-12-06T22:00:00Z');

/** What the demo DORA figures answer, by team and metric. */
const LIVE: Record<string, number> = {
  'group:default/payments/leadTimeForChanges': 30,
  'group:default/payments/deploymentFrequency': 3,
  'group:default/storefront/changeFailureRate': 20,
  'group:default/storefront/leadTimeForChanges': 60,
};

const reader = (available = true): FigureReader => ({
  read: async (figure: FigureDescriptor) => ({
    value: available ? LIVE[`${figure.scope.ref}/${figure.metric}`] : null,
    available,
    reason: available ? null : 'The dora area did not answer',
    at: NOW,
  }),
});

const entity = (
  name: string,
  owner: string,
  state: 'done' | 'waived' | 'open',
) => ({
  entityRef: `component:default/${name}`,
  ownerRef: `group:default/${owner}`,
  state,
  failingChecks: state === 'open' ? ['production-readiness/has-techdocs'] : [],
  waivedChecks: state === 'waived' ? ['production-readiness/has-runbook'] : [],
});
const evaluator = {
  evaluate: async () => ({
    entities: [
      entity('a', 'payments', 'done'),
      entity('b', 'payments', 'waived'),
      entity('c', 'storefront', 'done'),
      entity('d', 'storefront', 'open'),
    ],
    teams: [],
  }),
} as unknown as CampaignEvaluator;

describe('baselineFor', () => {
  it('solves the progress formula for the baseline', () => {
    // From 50 to a target of 20, at 30 now: 20 of 30 gained = 2/3.
    expect(baselineFor(30, 20, 2 / 3)).toBe(50);
  });
});

describe.each(databases.eachSupportedId())('seedDemoData on %p', databaseId => {
  let knex: Knex;
  afterEach(async () => knex?.destroy());

  it('seeds Payments on track and Storefront at risk on the live figures, and a campaign whose burn-up moves, once', async () => {
    knex = await databases.init(databaseId);
    const store = await DatabaseGoalsStore.create({
      database: mockServices.database({ knex }),
    });
    const logger = mockServices.logger.mock();
    expect(
      await seedDemoData({
        store,
        reader: reader(false),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(false);
    expect((await store.listGoals({ limit: 10, offset: 0 })).totalCount).toBe(
      0,
    );

    expect(
      await seedDemoData({
        store,
        reader: reader(),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(true);
    const { goals } = await store.listGoals({ limit: 10, offset: 0 });
    const byOwner = Object.fromEntries(
      goals.map(g => [g.ownerRef, goalView(g, NOW)]),
    );
    // 6 December: 66.9 of 92 days of 2026-Q4, 72.7 % expected.
    expect(byOwner['group:default/payments']).toMatchObject({
      period: '2026-Q4',
      expectedProgress: 72.7,
      status: 'on_track',
    });
    expect(byOwner['group:default/payments'].keyResults[0]).toMatchObject({
      current: 30,
      target: 18,
      progress: 77.7,
    });
    expect(byOwner['group:default/storefront']).toMatchObject({
      status: 'at_risk',
    });
    expect(byOwner['group:default/storefront'].keyResults[0].progress).toBe(
      54.7,
    );

    const { campaigns } = await store.listCampaigns({
      today: '2026-12-06',
      limit: 10,
      offset: 0,
    });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ deadline: '2026-12-27' });
    const burnUp = (await store.getBurnUp(campaigns[0].id)).filter(
      p => p.ownerRef === null,
    );
    expect(burnUp).toHaveLength(28);
    expect(burnUp[0]).toMatchObject({
      day: '2026-11-08',
      entities: 4,
      done: 0,
    });
    expect(burnUp[27]).toMatchObject({ day: '2026-12-05', done: 3, waived: 1 });
    const dones = burnUp.map(p => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));

    expect(
      await seedDemoData({
        store,
        reader: reader(),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(false);
    expect((await store.listGoals({ limit: 10, offset: 0 })).totalCount).toBe(
      2,
    );
  });
});

/**
 * The catalog facts the demo campaign's checks read, worked out from an example entity the way the scorecards'
 * catalog provider does. A check on another fact fails the test, so that a new demo check is added here.
 */
function catalogFacts(example: Entity): Record<string, FactValue> {
  const spec = (example.spec ?? {}) as Record<string, unknown>;
  const present = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '';
  return {
    'catalog.hasOwner': present(spec.owner),
    'catalog.hasDescription': present(example.metadata.description),
    'catalog.system': present(spec.system) ? String(spec.system) : null,
    'catalog.annotations': Object.keys(
      example.metadata.annotations ?? {},
    ).sort(),
  };
}

/**
 * Scorecards as the demo portal has it: examples/scorecards.yaml evaluated on the example catalog; `evaluated: false`
 * is the portal before scorecards' first evaluation (no results yet).
 */
function exampleScorecards(entities: Entity[], state: { evaluated: boolean }) {
  const definitions = parseScorecardDefinitions(
    (
      parse(fs.readFileSync(exampleFile('scorecards.yaml'), 'utf8')) as {
        scorecards: unknown[];
      }
    ).scorecards.map(definition => ({
      source: 'examples/scorecards.yaml',
      definition,
    })),
  );
  const readiness = definitions.find(d => d.id === 'production-readiness')!;
  const used = new Set(
    DEMO_CAMPAIGN.checks.map(
      c => readiness.checks.find(k => k.id === c.checkId)?.fact,
    ),
  );
  for (const fact of used) {
    if (!fact || !(fact in catalogFacts(entities[0]))) {
      throw new Error(
        `The demo campaign asks a check this test cannot read: ${fact}`,
      );
    }
  }
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  return {
    getEntityResultsBatch: async (refs: string[]) => ({
      entities: refs.map(entityRef => {
        const example = byRef.get(entityRef)!;
        const results: EntityScorecardResult[] = state.evaluated
          ? [
              {
                ...evaluateScorecard(readiness, catalogFacts(example)),
                entityRef,
                ownerRef: null,
                systemRef: null,
                evaluatedAt: NOW.toISOString(),
                changedAt: NOW.toISOString(),
              },
            ]
          : [];
        return { entityRef, results };
      }),
    }),
  };
}

describe.each(databases.eachSupportedId())(
  'the demo campaign on the example catalog, on %p',
  databaseId => {
    let knex: Knex;
    afterEach(async () => knex?.destroy());

    it('waits for the scorecard results, then seeds a burn-up that rises to where the services stand now', async () => {
      knex = await databases.init(databaseId);
      const store = await DatabaseGoalsStore.create({
        database: mockServices.database({ knex }),
      });
      const entities = loadExampleCatalog();
      const scorecards = { evaluated: false };
      const liveEvaluator = new CampaignEvaluator({
        // The in-memory catalog stops at the first criterion given as a list (kind), where the real catalog ANDs
        // them all: it is given the example services only, as the real one answers the campaign's selection.
        catalog: catalogServiceMock({
          entities: entities.filter(
            e => e.kind !== 'Component' || e.spec?.type === 'service',
          ),
        }),
        scorecards: exampleScorecards(entities, scorecards),
        techDebt: {
          getBudget: async () => {
            throw new Error('not installed');
          },
        },
        credentials: async () => mockCredentials.service(),
      });
      const seed = () =>
        seedDemoData({
          store,
          reader: reader(),
          evaluator: liveEvaluator,
          logger: mockServices.logger.mock(),
          now: NOW,
        });

      // Before scorecards' first evaluation nothing is written: a burn-up drawn then would stay at 0 for good.
      expect(await seed()).toBe(false);
      expect((await store.listGoals({ limit: 1, offset: 0 })).totalCount).toBe(
        0,
      );
      expect(
        (
          await store.listCampaigns({
            today: '2026-12-06',
            limit: 1,
            offset: 0,
          })
        ).totalCount,
      ).toBe(0);

      scorecards.evaluated = true;
      expect(await seed()).toBe(true);
      const { campaigns } = await store.listCampaigns({
        today: '2026-12-06',
        limit: 10,
        offset: 0,
      });
      expect(campaigns.map(c => c.name)).toEqual([DEMO_CAMPAIGN.name]);
      const burnUp = (await store.getBurnUp(campaigns[0].id)).filter(
        p => p.ownerRef === null,
      );
      const dones = burnUp.map(p => p.done);
      // The eight example services; six pass the Bronze checks today, none was counted done on launch day.
      expect(burnUp.map(p => p.entities)).toEqual(Array(28).fill(8));
      expect(dones[0]).toBe(0);
      expect(dones[27]).toBe(6);
      expect(new Set(dones).size).toBeGreaterThan(3);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));

      // The last seeded day agrees with the live evaluation: the two open services are the ones that link no source.
      const live = await liveEvaluator.evaluate({
        ...DEMO_CAMPAIGN,
        deadline: '2026-12-27',
      });
      const stateOf = (list: Array<{ entityRef: string; state: string }>) =>
        Object.fromEntries(list.map(e => [e.entityRef, e.state]));
      expect(stateOf(await store.getCampaignEntities(campaigns[0].id))).toEqual(
        stateOf(live.entities),
      );
      expect(
        live.entities.filter(e => e.state === 'open').map(e => e.entityRef),
      ).toEqual([
        'component:default/legacy-reporting',
        'component:default/promo-engine',
      ]);
      expect(
        live.entities.find(e => e.state === 'open')!.failingChecks,
      ).toEqual(['production-readiness/source-linked']);
    });
  },
);
