import {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { parseEntityRef } from '@backstage/catalog-model';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exampleEntityRefs } from './examples';

/**
 * The `backend.database` config of a test backend: a SQLite database in memory, new for each backend.
 *
 * @public
 */
export function inMemoryDatabase() {
  return { client: 'better-sqlite3', connection: ':memory:' };
}

/**
 * The mock scheduler, with the `factory()` its instances have (its declared type leaves it out). It runs no task with an
 * initial delay on its own: a test triggers those with `triggerTask`.
 *
 * @public
 */
export type MockScheduler = SchedulerService & {
  factory(options?: {
    skipTaskRunOnStartup?: boolean;
    includeManualTasksOnStartup?: boolean;
    includeInitialDelayedTasksOnStartup?: boolean;
  }): ServiceFactory<SchedulerService>;
};

/**
 * A mock scheduler to install with `scheduler.factory()` and drive with `scheduler.triggerTask(id)`.
 *
 * @public
 */
export function mockScheduler(): MockScheduler {
  return mockServices.scheduler() as MockScheduler;
}

/**
 * The base URL of a started test backend's server (`backend.server`), e.g. `http://127.0.0.1:40123`.
 *
 * @public
 */
export function serverUrl(server: Server): string {
  const address = server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') {
    throw new Error('The server does not listen on a TCP port');
  }
  const wildcard = address.address === '::' || address.address === '0.0.0.0';
  const host = wildcard ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** @public */
export interface WaitOptions {
  /** The `Authorization` header of every request, e.g. `mockCredentials.user.header('user:default/guest')`. */
  authorization?: string;
  /** How long to keep asking; 60 s unless given. */
  timeoutMs?: number;
  /** The pause between two requests; 250 ms unless given. */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_INTERVAL_MS = 250;

async function pollUntilOk(
  server: Server,
  url: string,
  deadline: number,
  options: WaitOptions,
): Promise<unknown> {
  const headers: Record<string, string> = options.authorization
    ? { Authorization: options.authorization }
    : {};
  for (;;) {
    let last: string;
    try {
      const res = await fetch(`${serverUrl(server)}${url}`, { headers });
      const text = await res.text();
      if (res.status === 200) {
        return res.headers.get('content-type')?.includes('json')
          ? JSON.parse(text)
          : text;
      }
      last = `${res.status} ${text.slice(0, 200)}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out waiting for ${url}: last answer ${last}`);
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? DEFAULT_INTERVAL_MS),
    );
  }
}

/**
 * GETs `url` (a path such as `/api/catalog/entities/by-name/user/default/guest`) on the test backend until it answers
 * 200, and returns the body of that answer (parsed when it is JSON). Throws, with the last status and the start of the
 * last body, when no 200 came within the timeout; a refused connection counts as one more answer that is not 200.
 *
 * @public
 */
export async function waitForOk(
  server: Server,
  url: string,
  options: WaitOptions = {},
): Promise<unknown> {
  return pollUntilOk(
    server,
    url,
    Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    options,
  );
}

/**
 * The catalog's path of one entity: `component:default/payments-api` → `/api/catalog/entities/by-name/component/default/payments-api`.
 *
 * @public
 */
export function catalogEntityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/api/catalog/entities/by-name/${[kind, namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * Waits until the catalog of the test backend serves every one of `entityRefs`, within one timeout for them all.
 *
 * @public
 */
export async function waitForCatalogEntities(
  server: Server,
  entityRefs: string[],
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (const ref of entityRefs) {
    await pollUntilOk(server, catalogEntityPath(ref), deadline, options);
  }
}

/**
 * Waits until the catalog of a test backend configured with `exampleCatalogConfig()` serves the whole example org:
 * every entity of examples/entities.yaml and examples/org.yaml.
 *
 * @public
 */
export async function waitForExampleCatalog(
  server: Server,
  options: WaitOptions = {},
): Promise<void> {
  await waitForCatalogEntities(server, exampleEntityRefs(), options);
}
