import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { TechDebtStore } from '../database/TechDebtStore';
import { createRouter } from '../service/router';

/** `/v1/items/{id}` → `/v1/items/:id` */
function toExpressPath(openApiPath: string) {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const spec = YAML.parse(fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'));
    const documented = new Set<string>();
    for (const [p, item] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const method of Object.keys(item)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
          documented.add(`${method.toUpperCase()} ${toExpressPath(p)}`);
        }
      }
    }

    const router = await createRouter({
      store: {} as TechDebtStore,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock(),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    const served = new Set<string>();
    for (const layer of (router as any).stack as any[]) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) {
        served.add(`${method.toUpperCase()} ${layer.route.path}`);
      }
    }

    expect([...served].sort()).toEqual([...documented].sort());
  });
});
