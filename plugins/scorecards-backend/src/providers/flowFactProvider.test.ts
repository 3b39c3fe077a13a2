import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DoraFlow,
  DoraFlowParts,
  DoraWaitingPullRequests,
  FlowQuery,
  FlowWaitingQuery,
} from '@vitals/plugin-dora-common';
import {
  createFlowFactProvider,
  FLOW_FACT_IDS,
  flowFactsOf,
} from './flowFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'group:default/payments' },
});

const parts: DoraFlowParts = {
  coding: { pullRequests: 9, medianMinutes: 312, p75Minutes: 540 },
  pickup: { pullRequests: 7, medianMinutes: 1310, p75Minutes: 1725.5 },
  review: { pullRequests: 7, medianMinutes: 95, p75Minutes: 180 },
  deploy: { pullRequests: 8, medianMinutes: 44, p75Minutes: 61.25 },
};

/** `GET /v1/flow` as the DORA backend answers it (plugins/dora-backend/README.md, "Flow"). */
function flow(entityRef: string, overrides: Partial<DoraFlow> = {}): DoraFlow {
  return {
    entityRef,
    from: '2026-01-01T12:00:00.000Z',
    to: '2026-04-01T12:00:00.000Z',
    entityRefs: [entityRef],
    pullRequests: 9,
    unreviewed: 2,
    parts,
    size: {
      measured: 9,
      medianLines: 146,
      p75Lines: 388,
      largeThresholdLines: 400,
      large: 2,
      largeShare: 0.2222,
    },
    weeks: [
      {
        start: '2026-01-01T12:00:00.000Z',
        pullRequests: 5,
        unreviewed: 1,
        large: 1,
        parts,
      },
    ],
    ...overrides,
  };
}

/** `GET /v1/flow/waiting?limit=1`: the counts are of every waiting pull request, the items only the first page. */
function waiting(
  entityRef: string,
  counts = { totalCount: 3, overdueCount: 1 },
): DoraWaitingPullRequests {
  return {
    entityRef,
    entityRefs: [entityRef],
    asOf: '2026-04-01T12:00:00.000Z',
    overdueAfterHours: 24,
    ...counts,
    items: counts.totalCount
      ? [
          {
            id: 'github:example-corp/payments-api:pull:431',
            entityRef,
            sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
            author: 'amira.haddad',
            url: 'https://github.com/example-corp/payments-api/pull/431',
            createdAt: '2026-03-30T18:30:00.000Z',
            additions: 318,
            deletions: 120,
            linesChanged: 438,
            waitedHours: 41.5,
            overdue: true,
          },
        ]
      : [],
  };
}

const ALL_IDS = Object.values(FLOW_FACT_IDS);

describe('flowFactsOf', () => {
  it('gives each part’s median in hours, the unreviewed and large shares and the review queue', () => {
    expect(
      flowFactsOf({
        flow: flow('component:default/a'),
        waiting: waiting('component:default/a'),
      }),
    ).toEqual({
      'flow.codingMedianHours': 5.2,
      'flow.pickupMedianHours': 1310 / 60,
      'flow.reviewMedianHours': 95 / 60,
      'flow.deployMedianHours': 44 / 60,
      'flow.unreviewedShare': 2 / 9,
      'flow.largePrShare': 0.2222,
      'flow.waitingForReviewCount': 3,
      'flow.overdueReviewCount': 1,
    });
  });

  it('leaves a figure over no pull requests as "no data", never 0; an empty review queue is 0', () => {
    const none = { pullRequests: 0, medianMinutes: null, p75Minutes: null };
    expect(
      flowFactsOf({
        flow: flow('component:default/quiet', {
          pullRequests: 0,
          unreviewed: 0,
          parts: { coding: none, pickup: none, review: none, deploy: none },
          size: {
            measured: 0,
            medianLines: null,
            p75Lines: null,
            largeThresholdLines: 400,
            large: 0,
            largeShare: null,
          },
          weeks: [],
        }),
        waiting: waiting('component:default/quiet', {
          totalCount: 0,
          overdueCount: 0,
        }),
      }),
    ).toEqual({
      'flow.codingMedianHours': null,
      'flow.pickupMedianHours': null,
      'flow.reviewMedianHours': null,
      'flow.deployMedianHours': null,
      'flow.unreviewedShare': null,
      'flow.largePrShare': null,
      'flow.waitingForReviewCount': 0,
      'flow.overdueReviewCount': 0,
    });
  });

  it('gives no pickup or review when every pull request was merged without a review, and an unreviewed share of 1', () => {
    const none = { pullRequests: 0, medianMinutes: null, p75Minutes: null };
    const facts = flowFactsOf({
      flow: flow('component:default/rushed', {
        pullRequests: 4,
        unreviewed: 4,
        parts: { ...parts, pickup: none, review: none },
      }),
    });
    expect(facts).toMatchObject({
      'flow.pickupMedianHours': null,
      'flow.reviewMedianHours': null,
      'flow.unreviewedShare': 1,
      'flow.codingMedianHours': 5.2,
    });
    expect(facts).not.toHaveProperty('flow.waitingForReviewCount');
  });
});

describe('createFlowFactProvider', () => {
  const now = new Date('2026-04-01T12:00:00.000Z');

  function clientOf() {
    return {
      getFlow: jest.fn(async (q: FlowQuery) => flow(q.entityRef)),
      listWaitingPullRequests: jest.fn(async (q: FlowWaitingQuery) =>
        waiting(q.entityRef),
      ),
    };
  }

  it('asks for the pull requests merged in the 90 days before now per entity and returns only the wanted facts', async () => {
    const client = clientOf();
    const provider = createFlowFactProvider({
      client,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('b')],
      factIds: ['flow.pickupMedianHours', 'flow.overdueReviewCount'],
    });
    expect(client.getFlow).toHaveBeenCalledTimes(2);
    expect(client.getFlow).toHaveBeenCalledWith({
      entityRef: 'component:default/a',
      from: '2026-01-01T12:00:00.000Z',
      to: '2026-04-01T12:00:00.000Z',
    });
    expect(client.listWaitingPullRequests).toHaveBeenCalledWith({
      entityRef: 'component:default/b',
      limit: 1,
    });
    expect(facts.get('component:default/b')).toEqual({
      'flow.pickupMedianHours': 1310 / 60,
      'flow.overdueReviewCount': 1,
    });
    expect(provider.id).toBe('flow');
    expect(provider.facts.map(f => f.id).sort()).toEqual([...ALL_IDS].sort());
    expect(provider.facts.every(f => f.id.startsWith('flow.'))).toBe(true);
  });

  it('makes only the requests the wanted facts need', async () => {
    const client = clientOf();
    const provider = createFlowFactProvider({
      client,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    const queue = await provider.getFacts({
      entities: [component('a')],
      factIds: ['flow.waitingForReviewCount'],
    });
    expect(client.getFlow).not.toHaveBeenCalled();
    expect(client.listWaitingPullRequests).toHaveBeenCalledTimes(1);
    expect(queue.get('component:default/a')).toEqual({
      'flow.waitingForReviewCount': 3,
    });

    await provider.getFacts({
      entities: [component('a')],
      factIds: ['flow.largePrShare'],
    });
    expect(client.getFlow).toHaveBeenCalledTimes(1);
    expect(client.listWaitingPullRequests).toHaveBeenCalledTimes(1);
  });

  it('reports an entity whose request fails, keeps the others, and treats an entity the DORA backend does not know as "no data"', async () => {
    const logger = mockServices.logger.mock();
    const reportFailure = jest.fn();
    const notFound = Object.assign(new Error('No group'), {
      response: { status: 404 },
    });
    const provider = createFlowFactProvider({
      client: {
        getFlow: async q => {
          if (q.entityRef === 'component:default/broken')
            throw new Error('502 Bad Gateway');
          return flow(q.entityRef);
        },
        listWaitingPullRequests: async q => {
          if (q.entityRef === 'component:default/gone') throw notFound;
          return waiting(q.entityRef);
        },
      },
      logger,
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('broken'), component('gone')],
      factIds: ALL_IDS,
      reportFailure,
    });
    expect([...facts.keys()]).toEqual(['component:default/a']);
    expect(reportFailure).toHaveBeenCalledTimes(1);
    expect(reportFailure).toHaveBeenCalledWith(
      'component:default/broken',
      expect.any(Error),
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Pull-request flow figures unavailable for 1 of 3 entities (their flow facts are kept stale)',
      ),
    );
  });

  it('keeps at most the given number of entities in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = async <T>(value: T) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise(resolve => setTimeout(resolve, 5));
      inFlight--;
      return value;
    };
    const provider = createFlowFactProvider({
      client: {
        getFlow: async q => slow(flow(q.entityRef)),
        listWaitingPullRequests: async q => waiting(q.entityRef),
      },
      logger: mockServices.logger.mock(),
      concurrency: 3,
    });
    const entities = Array.from({ length: 20 }, (_, i) =>
      component(`svc-${i}`),
    );
    const facts = await provider.getFacts({ entities, factIds: ALL_IDS });
    expect(facts.size).toBe(20);
    expect(most).toBe(3);
  });
});
