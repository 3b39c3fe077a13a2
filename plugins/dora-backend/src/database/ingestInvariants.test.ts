import { mockServices } from '@backstage/backend-test-utils';
import { seededRandom, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  doraEventSchema,
  DoraEventInput,
  leadTimeParts,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { DatabaseDoraStore } from './DatabaseDoraStore';

/*
 * Ingestion keeps links, lead times and failure flags up to date incrementally, touching only what a batch can affect.
 * These tests send random streams of events (out of order, re-sent with other times, commits and statuses, duplicates
 * within a batch, incidents naming deployments that come later or never, and now and then an id or a named deployment
 * of the other entity) and compare every stored link with the contract computed from scratch over the events the
 * rules keep: a batch reusing another entity's id is refused whole, and an update older than the stored state is
 * ignored.
 */

jest.setTimeout(120_000);

const databases = vitalsTestDatabases();

const ENTITIES = [
  'component:default/payments-api',
  'component:default/ledger-service',
];
const SHAS = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'];
const ENVIRONMENTS = ['production', 'PROD', 'staging'];
const BASE = Date.parse('2026-01-05T00:00:00Z');
const MINUTE = 60_000;

/** Random batches of events; instants on a coarse grid so that ties in finishedAt happen. */
function randomBatches(seed: number): DoraEventInput[][] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]) =>
    values[Math.floor(random() * values.length)];
  const at = (maxHours: number) =>
    new Date(
      BASE + Math.floor(random() * maxHours) * 30 * MINUTE,
    ).toISOString();
  // Each id has its entity; one event in twenty is sent for the other one (to be refused).
  const entityOf = (n: number) =>
    ENTITIES[(random() < 0.05 ? n + 1 : n) % ENTITIES.length];
  const event = (): DoraEventInput => {
    const roll = random();
    if (roll < 0.4) {
      const n = Math.floor(random() * 8);
      return {
        type: 'deployment',
        id: `d${n}`,
        entityRef: entityOf(n),
        environment: pick(ENVIRONMENTS),
        status: random() < 0.8 ? 'success' : 'failure',
        finishedAt: at(40),
        commitShas: SHAS.filter(() => random() < 0.3),
      };
    }
    if (roll < 0.75) {
      const times: Record<string, string> = {};
      if (random() < 0.7) times.authoredAt = at(20);
      if (random() < 0.6) times.createdAt = at(25);
      if (random() < 0.6 || Object.keys(times).length === 0)
        times.mergedAt = at(30);
      if (random() < 0.3) times.firstReviewAt = at(28);
      const n = Math.floor(random() * 8);
      return {
        type: 'change',
        id: `c${n}`,
        entityRef: entityOf(n),
        sha: pick(SHAS),
        ...times,
      };
    }
    const createdAt = at(45);
    const n = Math.floor(random() * 6);
    return {
      type: 'incident',
      id: `i${n}`,
      entityRef: entityOf(n),
      createdAt,
      ...(random() < 0.5
        ? {
            resolvedAt: new Date(
              Date.parse(createdAt) + Math.floor(random() * 300) * MINUTE,
            ).toISOString(),
          }
        : {}),
      ...(random() < 0.25
        ? { deploymentId: pick(['d1', 'd2', 'd-never-sent']) }
        : {}),
      ...(random() < 0.1 ? { updatedAt: at(60) } : {}),
    };
  };
  return Array.from({ length: 14 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 8) }, event),
  );
}

type Deployment = Extract<ParsedDoraEvent, { type: 'deployment' }>;
type Change = Extract<ParsedDoraEvent, { type: 'change' }>;
type Incident = Extract<ParsedDoraEvent, { type: 'incident' }>;

/** The latest of an event's own timestamps: the version of its state. */
function version(e: ParsedDoraEvent): number {
  const times = Object.entries(e)
    .filter(([key, value]) => key.endsWith('At') && typeof value === 'string')
    .map(([, value]) => Date.parse(value as string));
  return Math.max(...times);
}

/**
 * The rules of a write, applied batch by batch from scratch: which batches are refused (an id stored or sent for the
 * other entity: 409; an incident naming a deployment of the other entity: 400) and the version of every event kept
 * (an update older than the stored state is ignored; equal or newer replaces it).
 */
function simulate(batches: ParsedDoraEvent[][]) {
  const latest = new Map<string, ParsedDoraEvent>();
  const refused: Array<string | undefined> = [];
  for (const batch of batches) {
    const sent = new Map<string, ParsedDoraEvent>();
    let refusal: string | undefined;
    for (const event of batch) {
      const key = `${event.type}:${event.id}`;
      const owner = sent.get(key)?.entityRef ?? latest.get(key)?.entityRef;
      if (owner && owner !== event.entityRef) refusal ??= 'ConflictError';
      sent.set(key, event);
    }
    for (const event of sent.values()) {
      if (event.type !== 'incident' || !event.deploymentId) continue;
      const named =
        sent.get(`deployment:${event.deploymentId}`) ??
        latest.get(`deployment:${event.deploymentId}`);
      if (named && named.entityRef !== event.entityRef)
        refusal ??= 'InputError';
    }
    refused.push(refusal);
    if (refusal) continue;
    for (const [key, event] of sent) {
      const kept = latest.get(key);
      if (!kept || version(event) >= version(kept)) latest.set(key, event);
    }
  }
  return { refused, events: [...latest.values()] };
}

/** The contract, computed from scratch over the events kept. */
function expected(events: ParsedDoraEvent[]) {
  const deployments = events.filter(
    (e): e is Deployment => e.type === 'deployment',
  );
  const changes = events.filter((e): e is Change => e.type === 'change');
  const incidents = events.filter((e): e is Incident => e.type === 'incident');
  const ms = (v?: string) => (v ? Date.parse(v) : null);
  const counted = (d: Deployment) =>
    d.status === 'success' &&
    ['production', 'prod'].includes(d.environment.toLowerCase());
  const byTime = (a: Deployment, b: Deployment) =>
    Date.parse(a.finishedAt) - Date.parse(b.finishedAt) ||
    Number(a.id > b.id) - Number(a.id < b.id);

  const changeLinks = Object.fromEntries(
    changes.map(c => {
      const open = !!c.createdAt && !c.mergedAt;
      const deployment = open
        ? undefined
        : deployments
            .filter(
              d =>
                d.entityRef === c.entityRef &&
                counted(d) &&
                d.commitShas.includes(c.sha),
            )
            .sort(byTime)[0];
      const deployedAt = deployment ? Date.parse(deployment.finishedAt) : null;
      const parts = leadTimeParts({
        authoredAt: ms(c.authoredAt),
        createdAt: ms(c.createdAt),
        mergedAt: ms(c.mergedAt),
        firstReviewAt: ms(c.firstReviewAt),
        deployedAt,
      });
      return [
        c.id,
        { deploymentId: deployment?.id ?? null, deployedAt, ...parts },
      ];
    }),
  );
  const incidentLinks = Object.fromEntries(
    incidents.map(i => {
      if (i.deploymentId) {
        // Only a deployment of its own entity (one of another entity may arrive after the incident named it).
        return [
          i.id,
          deployments.some(
            d => d.id === i.deploymentId && d.entityRef === i.entityRef,
          )
            ? i.deploymentId
            : null,
        ];
      }
      const before = deployments
        .filter(
          d =>
            d.entityRef === i.entityRef &&
            counted(d) &&
            Date.parse(d.finishedAt) < Date.parse(i.createdAt),
        )
        .sort(byTime);
      return [i.id, before.length ? before[before.length - 1].id : null];
    }),
  );
  const linked = new Set(Object.values(incidentLinks));
  const deploymentFlags = Object.fromEntries(
    deployments.map(d => [
      d.id,
      {
        counted: counted(d),
        failed: linked.has(d.id),
        commits: [...new Set(d.commitShas)].sort(),
      },
    ]),
  );
  return { changeLinks, incidentLinks, deploymentFlags };
}

async function stored(knex: Knex) {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const changes = await knex('dora_changes').select('*');
  const incidents = await knex('dora_incidents').select(
    'id',
    'linked_deployment_id',
  );
  const deployments = await knex('dora_deployments').select(
    'id',
    'counted',
    'failed',
  );
  const commits = await knex('dora_deployment_commits').select(
    'deployment_id',
    'sha',
  );
  return {
    changeLinks: Object.fromEntries(
      changes.map(c => [
        c.id,
        {
          deploymentId: c.deployment_id,
          deployedAt: n(c.deployed_at),
          codingMinutes: n(c.coding_minutes),
          pickupMinutes: n(c.pickup_minutes),
          reviewMinutes: n(c.review_minutes),
          mergeMinutes: n(c.merge_minutes),
          deployMinutes: n(c.deploy_minutes),
          leadTimeMinutes: n(c.lead_time_minutes),
        },
      ]),
    ),
    incidentLinks: Object.fromEntries(
      incidents.map(i => [i.id, i.linked_deployment_id]),
    ),
    deploymentFlags: Object.fromEntries(
      deployments.map(d => [
        d.id,
        {
          counted: Number(d.counted) === 1,
          failed: Number(d.failed) === 1,
          commits: commits
            .filter(c => c.deployment_id === d.id)
            .map(c => c.sha)
            .sort(),
        },
      ]),
    ),
  };
}

describe.each(databases.eachSupportedId())('ingestion on %s', databaseId => {
  it.each(Array.from({ length: 12 }, (_, seed) => seed + 1))(
    'keeps every link equal to the contract computed from scratch (random stream %i)',
    async seed => {
      const knex = await databases.init(databaseId);
      try {
        const store = await DatabaseDoraStore.create({
          database: mockServices.database.mock({ getClient: async () => knex }),
        });
        const batches = randomBatches(seed).map(batch =>
          batch.map(e => doraEventSchema.parse(e)),
        );
        const { refused, events } = simulate(batches);
        const outcomes: Array<string | undefined> = [];
        for (const batch of batches) {
          outcomes.push(
            await store.ingest(batch).then(
              () => undefined,
              (error: Error) => error.name,
            ),
          );
        }
        expect(outcomes).toEqual(refused);
        expect(await stored(knex)).toEqual(expected(events));
      } finally {
        await knex.destroy();
      }
    },
  );
});
