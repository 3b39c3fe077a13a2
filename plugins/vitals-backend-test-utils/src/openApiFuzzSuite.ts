/* eslint-disable jest/no-export */
// A helper that defines a test suite, for the backends' fuzz.test.ts files: it exports, as a helper must.
import path from 'node:path';
import { openApiOperations, readOpenApiSpec } from './openApi';
import { runOpenApiFuzz } from './openApiFuzz';
import {
  startTrustBackend,
  TrustBackend,
  TrustBackendOptions,
  trustDatabases,
} from './trustBackend';

/**
 * The fuzz suite of a backend, one for every area: starts the backend with the portal's real security on SQLite,
 * lets `prepare` set it up (e.g. run a snapshot), sends every {@link openApiFuzzCases} request of the spec in
 * `<packageSrc>/schema/openapi.yaml` as a signed-in member, and expects every operation covered and no finding.
 *
 * @public
 */
export function describeOpenApiFuzz(options: {
  /** The area, for the test's name. */
  title: string;
  /** The package's `src` folder (a test's `__dirname`). */
  srcDir: string;
  /** Where the plugin's routes are mounted, e.g. `/api/tech-debt`. */
  basePath: string;
  features: TrustBackendOptions['features'];
  config?: TrustBackendOptions['config'];
  scheduler?: TrustBackendOptions['scheduler'];
  prepare?: (trust: TrustBackend) => Promise<void>;
}): void {
  describe(`the ${options.title} API under a spec-driven fuzzer`, () => {
    let trust: TrustBackend;
    const spec = readOpenApiSpec(path.join(options.srcDir, 'schema'));

    beforeAll(async () => {
      trust = await startTrustBackend({
        features: options.features,
        database: trustDatabases()[0],
        config: options.config,
        scheduler: options.scheduler,
      });
      await options.prepare?.(trust);
    }, 300_000);

    afterAll(async () => {
      await trust?.stop();
    });

    it('answers every operation within its spec, never with a 5xx', async () => {
      const report = await runOpenApiFuzz(trust, options.basePath, spec);
      expect(report.operations).toBe(openApiOperations(spec).length);
      expect(report.requests).toBeGreaterThan(report.operations * 5);
      expect(report.findings).toEqual([]);
    }, 600_000);
  });
}
