import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityFiguresQuery } from '@vitals/plugin-postmortems-common';
import {
  createPostmortemsFactProvider,
  POSTMORTEMS_FACT_IDS,
} from './postmortemsFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'payments' },
});
const NOW = Date.parse('2026-12-01T00:00:00Z');

describe('the postmortems fact provider', () => {
  it('asks for 100 entities per request over the 90 days before the evaluation, and maps the figures', async () => {
    const asked: EntityFiguresQuery[] = [];
    const provider = createPostmortemsFactProvider({
      client: {
        getEntityFigures: async query => {
          asked.push(query);
          const refs = query.entityRef as string[];
          return {
            from: query.from!,
            to: query.to!,
            entities: refs.map((entityRef, i) => ({
              entityRef,
              incidents: 2,
              due: i % 2 ? 0 : 2,
              published: i % 2 ? 0 : 1,
              coverage: i % 2 ? null : 0.5,
              openActionItems: 3,
              overdueActionItems: 1,
            })),
          };
        },
      },
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });
    const entities = Array.from({ length: 150 }, (_, i) =>
      component(`service-${i}`),
    );
    const facts = await provider.getFacts({
      entities,
      factIds: Object.values(POSTMORTEMS_FACT_IDS),
    });
    expect(asked.map(q => (q.entityRef as string[]).length)).toEqual([100, 50]);
    expect(asked[0]).toMatchObject({
      from: '2026-09-02T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    expect(facts.get('component:default/service-0')).toEqual({
      'postmortems.coverage': 0.5,
      'postmortems.openActionItems': 3,
      'postmortems.overdueActionItems': 1,
    });
    // Nothing due: coverage is "no data".
    expect(facts.get('component:default/service-1')).toMatchObject({
      'postmortems.coverage': null,
    });
  });

  it('keeps the facts of a failed request stale, and answers the other requests', async () => {
    const failures: string[] = [];
    const logger = mockServices.logger.mock();
    let calls = 0;
    const provider = createPostmortemsFactProvider({
      client: {
        getEntityFigures: async query => {
          calls += 1;
          if (calls === 1) throw new Error('503 Service Unavailable');
          return {
            from: '',
            to: '',
            entities: (query.entityRef as string[]).map(entityRef => ({
              entityRef,
              incidents: 0,
              due: 0,
              published: 0,
              coverage: null,
              openActionItems: 0,
              overdueActionItems: 0,
            })),
          };
        },
      },
      logger,
    });
    const facts = await provider.getFacts({
      entities: Array.from({ length: 120 }, (_, i) => component(`s-${i}`)),
      factIds: [POSTMORTEMS_FACT_IDS.openActionItems],
      reportFailure: ref => failures.push(ref),
    });
    expect(failures).toHaveLength(100);
    expect(facts.size).toBe(20);
    expect(facts.get('component:default/s-100')).toEqual({
      'postmortems.openActionItems': 0,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/unavailable for 100 of 120 entities/),
    );
  });
});
