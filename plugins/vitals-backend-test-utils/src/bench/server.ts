import express from 'express';
import { AddressInfo } from 'node:net';

/**
 * A plugin router served on a free port of the loopback interface.
 *
 * @public
 */
export interface BenchServer {
  /** The URL of the router, e.g. `http://127.0.0.1:40123/api/tech-debt`. */
  base: string;
  /** Stops the server; calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * Serves `router` under `mountPath` (e.g. `/api/tech-debt`) on 127.0.0.1 and a free port.
 *
 * @public
 */
export async function serveRouter(
  mountPath: string,
  router: express.Handler,
): Promise<BenchServer> {
  const server = express().use(mountPath, router).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let closed: Promise<void> | undefined;
  return {
    base: `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }${mountPath}`,
    close() {
      closed ??= new Promise<void>(resolve => server.close(() => resolve()));
      return closed;
    },
  };
}
