import {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GoalsStore } from '../database/GoalsStore';

/** Seeds the demo goals and campaign; true when it wrote. */
export async function seedDemoData(_options: {
  store: GoalsStore;
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<boolean> {
  return false;
}
