import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { getFactsPerEntity, pickFacts } from './perEntityFacts';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service' },
});

describe('pickFacts', () => {
  it('keeps only the wanted facts, nulls included', () => {
    expect(
      pickFacts(
        { 'a.x': 1, 'a.y': null, 'a.z': 'no' },
        new Set(['a.x', 'a.y']),
      ),
    ).toEqual({
      'a.x': 1,
      'a.y': null,
    });
  });
});

describe('getFactsPerEntity', () => {
  it('asks in entity order with at most `concurrency` in flight, leaves failures out, reports them and warns once', async () => {
    const logger = mockServices.logger.mock();
    const reported: string[] = [];
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const facts = await getFactsPerEntity({
      entities: Array.from({ length: 7 }, (_, i) => component(`svc-${i}`)),
      factIds: ['t.size'],
      concurrency: 2,
      logger,
      fetch: async ref => {
        asked.push(ref);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise(resolve => setTimeout(resolve, 2));
        inFlight--;
        if (ref.endsWith('svc-3')) throw new Error('503 Service Unavailable');
        return { size: ref.length };
      },
      factsOf: answer => ({ 't.size': answer.size, 't.other': 1 }),
      unavailable: 'Test figures',
      factsName: 'test',
      reportFailure: ref => reported.push(ref),
    });
    expect(reported).toEqual(['component:default/svc-3']);
    expect(asked).toEqual(
      Array.from({ length: 7 }, (_, i) => `component:default/svc-${i}`),
    );
    expect(most).toBe(2);
    expect(facts.size).toBe(6);
    expect(facts.has('component:default/svc-3')).toBe(false);
    expect(facts.get('component:default/svc-0')).toEqual({
      't.size': 'component:default/svc-0'.length,
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Test figures unavailable for 1 of 7 entities (their test facts are kept stale), e.g. component:default/svc-3: Error: 503 Service Unavailable',
    );
  });

  it('takes a 404 as "no data" for that entity, not as a failure of the source', async () => {
    const logger = mockServices.logger.mock();
    const reportFailure = jest.fn();
    const notFound = Object.assign(
      new Error('Request failed with 404 Not Found'),
      { response: { status: 404 } },
    );
    const facts = await getFactsPerEntity({
      entities: [component('known'), component('unknown')],
      factIds: ['t.size'],
      concurrency: 2,
      logger,
      fetch: async ref => {
        if (ref.endsWith('/unknown')) throw notFound;
        return { size: 1 };
      },
      factsOf: answer => ({ 't.size': answer.size }),
      unavailable: 'Test figures',
      factsName: 'test',
      reportFailure,
    });
    expect([...facts.keys()]).toEqual(['component:default/known']);
    expect(reportFailure).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
