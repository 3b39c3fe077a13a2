import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  documentedRoutes,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import {
  CAMPAIGN_EVENT_ACTIONS,
  DIRECTIONS,
  FIGURE_SCOPE_KINDS,
  FIGURE_SOURCES,
  GOAL_EVENT_ACTIONS,
  PROGRESS_STATUSES,
} from '@vitals/plugin-goals-common';
import { GoalsStore } from '../database/GoalsStore';
import { CampaignEvaluator } from '../service/CampaignEvaluator';
import { FigureReader } from '../service/FigureReader';
import { createRouter } from '../service/router';
import { Snapshotter } from '../service/Snapshotter';
import { spec as generatedSpec } from './openapi';

const spec = readOpenApiSpec(__dirname);
const schemas = spec.components.schemas;

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as GoalsStore,
      reader: {} as FigureReader,
      evaluator: {} as CampaignEvaluator,
      snapshotter: {} as Snapshotter,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(servedRoutes(router)).toEqual(
      [...documentedRoutes(spec), 'GET /openapi.json'].sort(),
    );
  });

  it('is what the generated router enforces (run `yarn schema:generate` after editing the yaml)', () => {
    expect(JSON.parse(JSON.stringify(generatedSpec))).toEqual(spec);
  });

  it('has the enums of the common package', () => {
    expect(schemas.FigureSource.enum).toEqual([...FIGURE_SOURCES]);
    expect(schemas.ScopeKind.enum).toEqual([...FIGURE_SCOPE_KINDS]);
    expect(schemas.Direction.enum).toEqual([...DIRECTIONS]);
    expect(schemas.ProgressStatus.enum).toEqual([...PROGRESS_STATUSES]);
    expect(schemas.GoalEvent.properties.action.enum).toEqual([
      ...GOAL_EVENT_ACTIONS,
    ]);
    expect(schemas.CampaignEvent.properties.action.enum).toEqual([
      ...CAMPAIGN_EVENT_ACTIONS,
    ]);
  });
});
