/*
 * Side by side with Backstage Tech Insights: the real tech-insights backend with its JSON rules engine module, and this
 * plugin, started in one test backend on the benchmark's database, answer the same boolean checks for the same
 * entities through their own HTTP APIs.
 *
 * - Facts: a Tech Insights fact retriever yields, for every entity, the values this plugin's catalog provider computes
 *   (the same function), under Tech Insights fact names. This plugin uses its catalog provider.
 * - Checks: the same conditions on both sides (fact == true, lifecycle == production), as json-rules-engine checks and
 *   as one scorecard.
 * - Timed: Tech Insights `POST /api/tech-insights/checks/run/:namespace/:kind/:name` (it runs its checks on every
 *   request) against `GET /api/scorecards/v1/entities/results?entityRef=` (stored results), one request at a time,
 *   interleaved per entity, plus Tech Insights' batch `POST /checks/run` for all the entities at once.
 *
 * Both sides' outcomes are compared per entity and check before anything is timed, so the checks are equivalent.
 */
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonRulesModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import {
  createBackendModule,
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/config';
import { elapsedMs, summarize } from '@vitals/backend-test-utils';
import { AddressInfo } from 'node:net';
import scorecardsPlugin from '../src';
import { factsOfEntity } from '../src/providers/catalogFactProvider';

const RETRIEVER_ID = 'vitalsCatalogFacts';
const SCORECARD_ID = 'tech-insights-comparison';
/** Timed passes over all the entities per side. */
const PASSES = 3;

/** The checks, each as a scorecard check on a catalog fact and as a Tech Insights fact with the value it must equal. */
const CHECKS: Array<{
  id: string;
  title: string;
  fact: string;
  value: boolean | string;
}> = [
  {
    id: 'has-owner',
    title: 'Has an owner',
    fact: 'catalog.hasOwner',
    value: true,
  },
  {
    id: 'has-description',
    title: 'Has a description',
    fact: 'catalog.hasDescription',
    value: true,
  },
  {
    id: 'has-techdocs',
    title: 'Has TechDocs',
    fact: 'catalog.hasTechDocs',
    value: true,
  },
  {
    id: 'has-adr-location',
    title: 'Has an ADR location',
    fact: 'catalog.hasAdrLocation',
    value: true,
  },
  {
    id: 'has-runbook',
    title: 'Has a runbook',
    fact: 'catalog.hasRunbook',
    value: true,
  },
  {
    id: 'has-system',
    title: 'Belongs to a system',
    fact: 'catalog.hasSystem',
    value: true,
  },
  {
    id: 'in-production',
    title: 'Lifecycle production',
    fact: 'catalog.lifecycle',
    value: 'production',
  },
];

/** Tech Insights fact names are plain keys: `catalog.hasOwner` → `hasOwner`. */
const tiFact = (fact: string) => fact.slice('catalog.'.length);

export interface ComparisonDatabase {
  label: string;
  /** The `backend.database` config of the test backend. */
  config: JsonObject;
}

export interface ComparisonResult {
  entities: number;
  checks: number;
  ours: Timings;
  theirs: Timings;
  theirsBatchMs: number;
  passes: number;
  timedPasses: number;
}

export interface Timings {
  p50: number;
  p95: number;
  totalMs: number;
}

/** Percentiles over every request; the total is per pass over all entities (the mean of the passes). */
function timingsOf(ms: number[], passes: number): Timings {
  const { p50, p95 } = summarize(ms);
  return { p50, p95, totalMs: ms.reduce((s, t) => s + t, 0) / passes };
}

/** Entities that pass and fail different checks. */
export function comparisonEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `ti-service-${String(i).padStart(3, '0')}`,
      namespace: 'default',
      ...(i % 4 ? { description: 'A service of the comparison' } : {}),
      annotations: {
        ...(i % 3 ? { 'backstage.io/techdocs-ref': 'dir:.' } : {}),
        ...(i % 5 ? {} : { 'backstage.io/adr-location': 'docs/adr' }),
      },
      links:
        i % 2
          ? [
              {
                url: `https://runbooks.example.com/${i}`,
                title: 'Runbook',
                type: 'runbook',
              },
            ]
          : [],
    },
    spec: {
      type: 'service',
      lifecycle: i % 7 ? 'production' : 'experimental',
      ...(i % 11 ? { owner: `group:default/team-${i % 10}` } : {}),
      ...(i % 6 ? { system: `system-${i % 4}` } : {}),
    },
  }));
}

/** The Tech Insights fact retriever: the catalog provider's values for every entity, under Tech Insights names. */
function catalogFactRetriever(entities: Entity[]): FactRetriever {
  return {
    id: RETRIEVER_ID,
    version: '0.1.0',
    title: 'Vitals catalog facts',
    description: 'The facts of the Vitals scorecards catalog provider',
    entityFilter: [{ kind: 'component' }],
    schema: Object.fromEntries(
      CHECKS.map(c => [
        tiFact(c.fact),
        {
          type:
            typeof c.value === 'boolean'
              ? ('boolean' as const)
              : ('string' as const),
          description: c.title,
        },
      ]),
    ),
    async handler() {
      return entities.map(entity => {
        const facts = factsOfEntity(entity);
        return {
          entity: {
            namespace: entity.metadata.namespace ?? 'default',
            kind: entity.kind,
            name: entity.metadata.name,
          },
          facts: Object.fromEntries(
            CHECKS.map(c => [
              tiFact(c.fact),
              facts[c.fact] as boolean | string,
            ]),
          ),
        };
      });
    },
  };
}

export async function compareWithTechInsights(options: {
  database: ComparisonDatabase;
  entities: number;
  warmup: number;
}): Promise<ComparisonResult> {
  const entities = comparisonEntities(options.entities);
  // The mock scheduler runs a task when triggered (and can hand out a factory); its type says neither.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: {
      skipTaskRunOnStartup: boolean;
    }): ServiceFactory<SchedulerService>;
  };
  const retrieverModule = createBackendModule({
    pluginId: 'tech-insights',
    moduleId: 'vitals-bench-catalog-facts',
    register(reg) {
      reg.registerInit({
        deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
        async init({ retrievers }) {
          retrievers.addFactRetrievers({
            [RETRIEVER_ID]: catalogFactRetriever(entities),
          });
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      scorecardsPlugin,
      techInsightsPlugin,
      techInsightsJsonRulesModule,
      retrieverModule,
      // Tasks run when triggered below, not at start-up.
      scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: options.database.config },
          scorecards: {
            definitions: [
              {
                id: SCORECARD_ID,
                title: 'Tech Insights comparison',
                appliesTo: { kind: ['Component'] },
                levels: [
                  { id: 'basic', title: 'Basic' },
                  { id: 'complete', title: 'Complete' },
                ],
                checks: CHECKS.map((c, i) => ({
                  id: c.id,
                  title: c.title,
                  fact: c.fact,
                  operator: '==',
                  threshold: c.value,
                  level: i < 3 ? 'basic' : 'complete',
                  howToFix: 'Edit catalog-info.yaml.',
                })),
              },
            ],
            providers: {
              techDebt: { enabled: false },
              dora: { enabled: false },
              ownership: { enabled: false },
            },
          },
          techInsights: {
            // A schedule is what registers a retriever; it runs when the benchmark triggers it.
            factRetrievers: { [RETRIEVER_ID]: { cadence: '0 3 1 1 *' } },
            factChecker: {
              checks: Object.fromEntries(
                CHECKS.map(c => [
                  c.id,
                  {
                    type: 'json-rules-engine',
                    name: c.title,
                    description: c.title,
                    factIds: [RETRIEVER_ID],
                    rule: {
                      conditions: {
                        all: [
                          {
                            fact: tiFact(c.fact),
                            operator: 'equal',
                            value: c.value,
                          },
                        ],
                      },
                    },
                  },
                ]),
              ),
            },
          },
        },
      }),
    ],
  });

  try {
    const base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
    const authorization = mockCredentials.user.header('user:default/bench');
    const call = async (
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      if (res.status !== 200)
        throw new Error(
          `${method} ${path}: ${res.status} ${JSON.stringify(json).slice(
            0,
            300,
          )}`,
        );
      return json;
    };

    await scheduler.triggerTask(RETRIEVER_ID);
    await scheduler.triggerTask('scorecards-evaluate');

    const refs = entities.map(e => stringifyEntityRef(e));
    const checkIds = CHECKS.map(c => c.id);
    const ours = (ref: string) =>
      call(
        'GET',
        `/scorecards/v1/entities/results?entityRef=${encodeURIComponent(ref)}`,
      );
    const theirs = (ref: string) => {
      const { kind, namespace, name } = {
        kind: 'component',
        namespace: 'default',
        name: ref.split('/')[1],
      };
      return call(
        'POST',
        `/tech-insights/checks/run/${namespace}/${kind}/${name}`,
        { checks: checkIds },
      );
    };

    // Equivalence first: every entity, every check, the same outcome on both sides.
    let passes = 0;
    for (const ref of refs) {
      const our = (await ours(ref)).results.find(
        (r: { scorecardId: string }) => r.scorecardId === SCORECARD_ID,
      );
      const their: Array<{ check: { id: string }; result: boolean }> =
        await theirs(ref);
      if (!our || their.length !== CHECKS.length) {
        throw new Error(
          `${ref}: ${our ? 'ours' : 'no result of ours'}, ${
            their.length
          } Tech Insights results (facts missing?)`,
        );
      }
      for (const id of checkIds) {
        const a = our.checks.find(
          (c: { checkId: string }) => c.checkId === id,
        )?.passed;
        const b = their.find(r => r.check.id === id)?.result;
        if (a !== b)
          throw new Error(`${ref} ${id}: scorecards ${a}, Tech Insights ${b}`);
        if (a) passes += 1;
      }
    }

    // Interleaved per entity (and which side goes first alternates), so that load from elsewhere on the machine falls on
    // both sides alike; PASSES passes over all entities after a warm-up.
    for (const ref of refs.slice(0, options.warmup)) {
      await ours(ref);
      await theirs(ref);
    }
    const timed = async (
      fn: (ref: string) => Promise<unknown>,
      ref: string,
      into: number[],
    ) => {
      const start = process.hrtime.bigint();
      await fn(ref);
      into.push(elapsedMs(start));
    };
    const ourMs: number[] = [];
    const theirMs: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      for (const [i, ref] of refs.entries()) {
        if ((i + pass) % 2 === 0) {
          await timed(ours, ref, ourMs);
          await timed(theirs, ref, theirMs);
        } else {
          await timed(theirs, ref, theirMs);
          await timed(ours, ref, ourMs);
        }
      }
    }

    await call('POST', '/tech-insights/checks/run', {
      checks: checkIds,
      entities: refs.slice(0, options.warmup),
    });
    const batchStart = process.hrtime.bigint();
    const batch: unknown[] = await call('POST', '/tech-insights/checks/run', {
      checks: checkIds,
      entities: refs,
    });
    const theirsBatchMs = elapsedMs(batchStart);
    if (batch.length !== refs.length)
      throw new Error(`batch answered ${batch.length} entities`);

    return {
      entities: refs.length,
      checks: CHECKS.length,
      ours: timingsOf(ourMs, PASSES),
      theirs: timingsOf(theirMs, PASSES),
      theirsBatchMs,
      passes,
      timedPasses: PASSES,
    };
  } finally {
    await backend.stop();
  }
}
