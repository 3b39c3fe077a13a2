import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DoraPipelineFigures,
  DoraPipelinesResponse,
  PipelinesQuery,
} from '@vitals/plugin-dora-common';
import { CI_FACT_IDS, ciFactsOf, createCiFactProvider } from './ciFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'group:default/payments' },
});

/** The demo's flaky payments-api over 90 days (plugins/dora-backend/README.md, "CI/CD friction"). */
const flakyFigures: DoraPipelineFigures = {
  runs: 289,
  duration: { runs: 289, medianSeconds: 841.046, p90Seconds: 1203.689 },
  queue: { runs: 289, medianSeconds: 81.704 },
  defaultBranchSuccess: {
    successes: 140,
    failures: 38,
    rate: 0.7865168539325843,
  },
  flakiness: { failures: 53, flakyFailures: 33, rate: 0.6226415094339622 },
  timeToGreen: { recoveries: 33, stillRed: 1, medianSeconds: 2176.396 },
};

function pipelines(
  entityRef: string,
  figures: DoraPipelineFigures = flakyFigures,
): DoraPipelinesResponse {
  return {
    entityRef,
    from: '2026-01-01T12:00:00.000Z',
    to: '2026-04-01T12:00:00.000Z',
    entityRefs: [entityRef],
    figures,
    pipelines: figures.runs ? [{ entityRef, pipeline: 'CI', ...figures }] : [],
  };
}

const ALL_IDS = Object.values(CI_FACT_IDS);

describe('ciFactsOf', () => {
  it('gives durations in minutes, time to green in hours and the rates as fractions', () => {
    expect(ciFactsOf(pipelines('component:default/payments-api'))).toEqual({
      'ci.durationMedianMinutes': 841.046 / 60,
      'ci.durationP90Minutes': 1203.689 / 60,
      'ci.queueMedianMinutes': 81.704 / 60,
      'ci.defaultBranchSuccessRate': 0.7865168539325843,
      'ci.flakyRate': 0.6226415094339622,
      'ci.timeToGreenMedianHours': 2176.396 / 3600,
    });
  });

  it('leaves every figure with nothing to count as "no data", never 0', () => {
    const none: DoraPipelineFigures = {
      runs: 0,
      duration: { runs: 0, medianSeconds: null, p90Seconds: null },
      queue: { runs: 0, medianSeconds: null },
      defaultBranchSuccess: { successes: 0, failures: 0, rate: null },
      flakiness: { failures: 0, flakyFailures: 0, rate: null },
      timeToGreen: { recoveries: 0, stillRed: 0, medianSeconds: null },
    };
    expect(ciFactsOf(pipelines('component:default/quiet', none))).toEqual(
      Object.fromEntries(ALL_IDS.map(id => [id, null])),
    );
  });

  it('keeps a real zero: no failures is a default-branch success rate of 1, a flaky rate of no data', () => {
    const green: DoraPipelineFigures = {
      ...flakyFigures,
      defaultBranchSuccess: { successes: 40, failures: 0, rate: 1 },
      flakiness: { failures: 0, flakyFailures: 0, rate: null },
      timeToGreen: { recoveries: 0, stillRed: 0, medianSeconds: null },
    };
    expect(
      ciFactsOf(pipelines('component:default/green', green)),
    ).toMatchObject({
      'ci.defaultBranchSuccessRate': 1,
      'ci.flakyRate': null,
      'ci.timeToGreenMedianHours': null,
    });
    const steady: DoraPipelineFigures = {
      ...flakyFigures,
      flakiness: { failures: 5, flakyFailures: 0, rate: 0 },
    };
    expect(
      ciFactsOf(pipelines('component:default/steady', steady)),
    ).toMatchObject({ 'ci.flakyRate': 0 });
  });
});

describe('createCiFactProvider', () => {
  const now = new Date('2026-04-01T12:00:00.000Z');

  it('asks for the runs queued in the 90 days before now per entity and returns only the wanted facts', async () => {
    const getPipelines = jest.fn(async (q: PipelinesQuery) =>
      pipelines(q.entityRef),
    );
    const provider = createCiFactProvider({
      client: { getPipelines },
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('b')],
      factIds: ['ci.flakyRate', 'ci.defaultBranchSuccessRate'],
    });
    expect(getPipelines).toHaveBeenCalledTimes(2);
    expect(getPipelines).toHaveBeenCalledWith({
      entityRef: 'component:default/a',
      from: '2026-01-01T12:00:00.000Z',
      to: '2026-04-01T12:00:00.000Z',
    });
    expect(facts.get('component:default/b')).toEqual({
      'ci.flakyRate': 0.6226415094339622,
      'ci.defaultBranchSuccessRate': 0.7865168539325843,
    });
    expect(provider.id).toBe('ci');
    expect(provider.facts.map(f => f.id).sort()).toEqual([...ALL_IDS].sort());
    expect(provider.facts.every(f => f.id.startsWith('ci.'))).toBe(true);
  });

  it('reports an entity whose request fails (its checks keep their last outcome), keeps the others, warns once', async () => {
    const logger = mockServices.logger.mock();
    const reportFailure = jest.fn();
    const provider = createCiFactProvider({
      client: {
        getPipelines: async q => {
          if (q.entityRef === 'component:default/broken')
            throw new Error('503 Service Unavailable');
          return pipelines(q.entityRef);
        },
      },
      logger,
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('broken'), component('c')],
      factIds: ALL_IDS,
      reportFailure,
    });
    expect(facts.has('component:default/broken')).toBe(false);
    expect(reportFailure).toHaveBeenCalledWith(
      'component:default/broken',
      expect.any(Error),
    );
    expect(facts.get('component:default/c')).toMatchObject({
      'ci.flakyRate': 0.6226415094339622,
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Pipeline-run figures unavailable for 1 of 3 entities (their CI facts are kept stale)',
      ),
    );
  });
});
