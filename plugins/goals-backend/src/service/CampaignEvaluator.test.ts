import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityResultsBatchResponse } from '@vitals/plugin-scorecards-common';
import { CampaignEvaluator } from './CampaignEvaluator';

const service = (i: number): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: `service-${i}`, namespace: 'default' },
  spec: { type: 'service' },
  relations: [{ type: 'ownedBy', targetRef: `group:default/team-${i % 5}` }],
});

describe('CampaignEvaluator', () => {
  it('reads the scorecard results of 2,500 entities in three calls of at most 1,000, and counts an unanswered batch as open', async () => {
    const calls: string[][] = [];
    const evaluator = new CampaignEvaluator({
      catalog: catalogServiceMock({
        entities: Array.from({ length: 2500 }, (_, i) => service(i)),
      }),
      scorecards: {
        async getEntityResultsBatch(
          entityRefs: string[],
        ): Promise<EntityResultsBatchResponse> {
          calls.push(entityRefs);
          // The batch holding service-2400 fails: scorecards did not answer.
          if (entityRefs.includes('component:default/service-2400'))
            throw new Error('503 Service Unavailable');
          return {
            entities: entityRefs.map(entityRef => ({
              entityRef,
              results: [
                {
                  entityRef,
                  ownerRef: null,
                  systemRef: null,
                  scorecardId: 'prod',
                  levelId: 'bronze',
                  levelIndex: 0,
                  score: 100,
                  evaluatedAt: '2026-12-01T00:00:00.000Z',
                  changedAt: '2026-12-01T00:00:00.000Z',
                  checks: [
                    {
                      checkId: 'runbook',
                      value: true,
                      // Every third entity fails the check.
                      passed: Number(entityRef.split('-').pop()) % 3 !== 0,
                      score: 100,
                      message: null,
                      waiver: null,
                    },
                  ],
                },
              ],
            })),
          };
        },
      },
      techDebt: {
        getBudget: async () => {
          throw new Error('not installed');
        },
      },
      credentials: async () => mockCredentials.service(),
    });
    const snapshot = await evaluator.evaluate({
      checks: [{ scorecardId: 'prod', checkId: 'runbook' }],
      selection: { kind: ['component'] },
      deadline: '2026-12-31',
      effortDaysPerEntity: null,
    });
    expect(calls.map(c => c.length).sort()).toEqual([1000, 1000, 500]);
    expect(new Set(calls.flat()).size).toBe(2500);
    expect(snapshot.entities).toHaveLength(2500);
    const failedBatch = calls.find(c =>
      c.includes('component:default/service-2400'),
    )!;
    const stateOf = new Map(snapshot.entities.map(e => [e.entityRef, e.state]));
    // Answered: done unless the entity fails the check.
    const answered = calls.flat().filter(r => !failedBatch.includes(r));
    expect(answered.filter(r => stateOf.get(r) === 'open').length).toBe(
      answered.filter(r => Number(r.split('-').pop()) % 3 === 0).length,
    );
    // Not answered: open, never done.
    expect(failedBatch.every(r => stateOf.get(r) === 'open')).toBe(true);
    expect(snapshot.teams.map(t => t.entities)).toEqual([
      500, 500, 500, 500, 500,
    ]);
  });
});
