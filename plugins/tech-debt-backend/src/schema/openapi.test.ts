import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  documentedRoutes,
  readOpenApiSpec,
  servedRoutes,
} from '@vitals/backend-test-utils';
import { TechDebtStore } from '../database/TechDebtStore';
import { createRouter } from '../service/router';

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router = await createRouter({
      store: {} as TechDebtStore,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(servedRoutes(router)).toEqual(
      documentedRoutes(readOpenApiSpec(__dirname)),
    );
  });
});
