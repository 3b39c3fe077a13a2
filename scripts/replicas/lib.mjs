// Runs real portal backend processes side by side on one PostgreSQL: the building blocks of scripts/replicas-test.sh
// and of the two-replica benchmarks. Each replica is `packages/backend/src/index.ts` run the way `backstage-cli package
// start` runs it (Node.js with the Backstage CLI's TypeScript loader), in a process group of its own, on a port of its
// own, with app-config.yaml plus a config file written to a temp directory (PostgreSQL, the shared database prefix).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const BACKEND_DIR = path.join(REPO_ROOT, 'packages/backend');

// Every replica this process started and has not seen exit: killAllReplicas() ends them (on ^C, say).
const running = new Set();

/** The static token app-config.yaml gives CI: it may post DORA events and nothing else. */
export const CI_TOKEN = 'vitals-local-ci-token';

/** The PostgreSQL server the replicas share, as a connection string. */
export function pgConnectionString(env = process.env) {
  return (
    env.VITALS_REPLICAS_PG_CONNECTION ??
    env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432'
  );
}

/** Whether PostgreSQL answers at pgConnectionString(). */
export async function postgresAnswers(connectionString = pgConnectionString()) {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A database prefix no earlier run used, e.g. `vitals_replicas_lq2x9k_`: every plugin database starts empty. */
export function uniquePrefix(label = 'replicas') {
  const stamp = `${Date.now().toString(36)}${Math.floor(
    Math.random() * 1296,
  ).toString(36)}`;
  return `vitals_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${stamp}_`;
}

/** A TCP port nothing listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `override` merged over `base`, object by object (arrays and other values replace). */
export function mergeConfig(base, override) {
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const isObject = v =>
      v !== null && typeof v === 'object' && !Array.isArray(v);
    merged[key] =
      isObject(value) && isObject(base[key])
        ? mergeConfig(base[key], value)
        : value;
  }
  return merged;
}

function connectionConfig(connectionString) {
  const url = new URL(connectionString);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/**
 * Starts one portal backend process. Returns at once (use waitReady); the process logs to `<logDir>/<name>.log`.
 *
 * @param {object} options
 * @param {string} options.name       names the log file and the messages, e.g. `a`
 * @param {string} options.prefix     backend.database.prefix, the same for every replica of one set
 * @param {number} [options.port]     a free port when left out
 * @param {boolean} [options.demo]    vitals.demo.enabled (default true)
 * @param {object} [options.config]   more config, merged over the rest object by object (as a YAML file would be)
 * @param {string} [options.logDir]   a temp directory when left out
 * @param {string} [options.connectionString] the PostgreSQL server; pgConnectionString() when left out
 * @param {Record<string,string>} [options.env] extra environment for the process
 */
export async function startReplica(options) {
  const port = options.port ?? (await freePort());
  const logDir =
    options.logDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'vitals-replicas-'));
  fs.mkdirSync(logDir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const config = mergeConfig(
    {
      backend: {
        baseUrl: url,
        listen: { port },
        database: {
          client: 'pg',
          prefix: options.prefix,
          connection: {
            ...connectionConfig(
              options.connectionString ?? pgConnectionString(),
            ),
            // Tells this replica's connections apart in pg_stat_activity (every plugin of it uses the same name).
            application_name: `vitals-replica-${options.name}`,
          },
          // Each plugin has a pool of its own (12 plugins): bounded, so that several replicas (and whatever else
          // shares the server) stay below PostgreSQL's max_connections (100 by default). See README.md.
          knexConfig: { pool: { min: 0, max: 3 } },
        },
      },
      vitals: { demo: { enabled: options.demo ?? true } },
    },
    options.config ?? {},
  );
  // JSON is YAML: the config loader reads it as one more app-config file, after app-config.yaml.
  const configFile = path.join(logDir, `${options.name}.config.yaml`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = path.join(logDir, `${options.name}.log`);
  const out = fs.openSync(logFile, 'a');
  const backendRequire = createRequire(path.join(BACKEND_DIR, 'package.json'));
  const transform = backendRequire.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      transform,
      'src/index',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      // A process group of its own, so that stop and kill reach every process it starts.
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.json'),
        ...(options.env ?? {}),
      },
    },
  );
  fs.closeSync(out);
  // For a shell trap that must clean up after this process: one process group id a line.
  fs.appendFileSync(path.join(logDir, 'pgids'), `${child.pid}\n`);
  let exitCode;
  const exited = new Promise(resolve =>
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal;
      running.delete(replica);
      resolve(exitCode);
    }),
  );
  const replica = {
    name: options.name,
    port,
    url,
    pid: child.pid,
    prefix: options.prefix,
    logFile,
    configFile,
    exited,
    /** Whether the process is still running. */
    get running() {
      return exitCode === undefined;
    },
    /** The last `lines` lines of the replica's log. */
    logTail(lines = 40) {
      try {
        return fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .slice(-lines)
          .join('\n');
      } catch {
        return '';
      }
    },
  };
  running.add(replica);
  return replica;
}

/** SIGKILL to the process group of every replica this process started that is still running (synchronous). */
export function killAllReplicas() {
  for (const replica of running) signalGroup(replica, 'SIGKILL');
}

/** Whether the replica's readiness endpoint answers 200 now. */
export async function isReady(replica) {
  try {
    const response = await fetch(
      `${replica.url}/.backstage/health/v1/readiness`,
      {
        signal: AbortSignal.timeout(2000),
      },
    );
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Waits until the replica answers ready (`/.backstage/health/v1/readiness` 200). Throws, with the end of its log, when
 * the process exits first or the time is up. Returns how long it waited, in ms.
 */
export async function waitReady(replica, { timeoutMs = 240_000 } = {}) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await isReady(replica)) return Date.now() - start;
    if (!replica.running) {
      throw new Error(
        `replica ${
          replica.name
        } exited (${await replica.exited}) before it was ready:\n${replica.logTail()}`,
      );
    }
    await sleep(500);
  }
  throw new Error(
    `replica ${replica.name} was not ready after ${
      timeoutMs / 1000
    }s:\n${replica.logTail()}`,
  );
}

function signalGroup(replica, signal) {
  try {
    process.kill(-replica.pid, signal);
    return true;
  } catch {
    return false; // the group is gone already
  }
}

/** kill -9 of the replica's whole process group; resolves once the process is gone. */
export async function killReplica(replica) {
  signalGroup(replica, 'SIGKILL');
  await replica.exited;
}

/**
 * Stops the replica the way a process manager does: SIGTERM to its process group (Backstage then runs its shutdown
 * hooks), SIGKILL after `graceMs`. Resolves once the process is gone.
 */
export async function stopReplica(replica, { graceMs = 20_000 } = {}) {
  if (!replica.running) return;
  signalGroup(replica, 'SIGTERM');
  const timedOut = await Promise.race([
    replica.exited.then(() => false),
    sleep(graceMs).then(() => true),
  ]);
  if (timedOut) await killReplica(replica);
  // Whatever the main process left behind in its group.
  signalGroup(replica, 'SIGKILL');
}

/** Opens a pg client on one database of the server (the server's `postgres` database by default). */
export async function connect(
  database = 'postgres',
  connectionString = pgConnectionString(),
) {
  const client = new pg.Client({
    ...connectionConfig(connectionString),
    database,
  });
  await client.connect();
  return client;
}

/** The name of a plugin's database for a prefix, e.g. `vitals_replicas_x_dora`. */
export function pluginDatabase(prefix, pluginId) {
  return `${prefix}${pluginId}`;
}

/** Runs one query on a plugin's database and closes the connection. */
export async function queryPluginDatabase(prefix, pluginId, sql, params = []) {
  const client = await connect(pluginDatabase(prefix, pluginId));
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The databases that exist for a prefix. */
export async function listDatabases(prefix) {
  const client = await connect();
  try {
    const { rows } = await client.query(
      `select datname from pg_database where starts_with(datname, $1) order by datname`,
      [prefix],
    );
    return rows.map(r => r.datname);
  } finally {
    await client.end();
  }
}

/** Drops every database of a prefix (with force: connections left open are closed). Returns how many it dropped. */
export async function dropDatabases(prefix) {
  if (!/^[a-z0-9_]+_$/.test(prefix) || prefix === 'backstage_plugin_') {
    throw new Error(`refusing to drop the databases of prefix '${prefix}'`);
  }
  const names = await listDatabases(prefix);
  // Four at a time: each drop waits for a checkpoint, which concurrent drops share.
  const queue = [...names];
  await Promise.all(
    Array.from({ length: Math.min(4, names.length) }, async () => {
      const client = await connect();
      try {
        for (let name = queue.shift(); name; name = queue.shift()) {
          await client.query(`drop database if exists "${name}" with (force)`);
        }
      } finally {
        await client.end();
      }
    }),
  );
  return names.length;
}

/** A signed-in user's token from the guest provider (user:default/guest; needs NODE_ENV=development, as the replicas run). */
export async function guestToken(replica) {
  const response = await fetch(`${replica.url}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(
      `guest sign-in answered ${response.status}: ${await response.text()}`,
    );
  const body = await response.json();
  return body.backstageIdentity.token;
}

/**
 * One HTTP request that never throws: `{ status, body, ms }`; status 0 when the connection failed (refused, reset,
 * timed out), with `error` saying why.
 */
export async function request(
  url,
  { method = 'GET', token, body, timeoutMs = 60_000 } = {},
) {
  const start = performance.now();
  try {
    const response = await fetch(url, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return {
      status: response.status,
      body: parsed,
      ms: performance.now() - start,
    };
  } catch (error) {
    return {
      status: 0,
      body: undefined,
      ms: performance.now() - start,
      error: error.cause?.code ?? error.name,
    };
  }
}

/**
 * What a load balancer in front of the replicas does, for a client in a test: it checks every replica's readiness every
 * `intervalMs` and sends each request to the next replica in rotation (ready at its last check). A request that finds
 * the connection refused or reset, or gets a 503 (starting, shutting down), takes that replica out of rotation and goes
 * to another. `send(url => request(...))` answers as request() does, with `attempts`.
 *
 * @param {string[]} urls the replicas' base URLs (a replica restarted on the same port keeps its place)
 */
export function createBalancer(urls, { intervalMs = 250 } = {}) {
  const ready = new Map(urls.map(url => [url, false]));
  let stopped = false;
  let next = 0;
  const check = async () => {
    await Promise.all(
      urls.map(async url => ready.set(url, await isReady({ url }))),
    );
  };
  const polling = (async () => {
    while (!stopped) {
      await check();
      await sleep(intervalMs);
    }
  })();
  return {
    /** The replicas in rotation now. */
    inRotation: () => urls.filter(url => ready.get(url)),
    async send(send, { timeoutMs = 60_000 } = {}) {
      const start = Date.now();
      let answer;
      let attempts = 0;
      while (Date.now() - start < timeoutMs) {
        const rotation = urls.filter(url => ready.get(url));
        if (rotation.length === 0) {
          await sleep(50);
          continue;
        }
        const url = rotation[next++ % rotation.length];
        attempts++;
        answer = await send(url);
        if (answer.status !== 0 && answer.status !== 503)
          return { ...answer, attempts };
        ready.set(url, false);
      }
      return {
        ...(answer ?? { status: 0, error: 'no replica in rotation' }),
        attempts,
      };
    },
    async stop() {
      stopped = true;
      await polling;
    },
  };
}

/** Posts one batch of DORA events with the CI token: `{ status, body, ms }` as request() answers. */
export function postDoraEvents(
  replica,
  events,
  { token = CI_TOKEN, timeoutMs } = {},
) {
  return request(`${replica.url}/api/dora/v1/events`, {
    method: 'POST',
    token,
    body: { events },
    timeoutMs,
  });
}

/**
 * A set of replicas on one fresh prefix: starts `count` replicas at the same moment and waits until all are ready.
 * `stop()` stops them all and drops the prefix's databases (unless keepDatabases).
 */
export async function startReplicaSet({
  count = 2,
  label = 'replicas',
  demo = true,
  config,
  logDir,
  timeoutMs,
} = {}) {
  const prefix = uniquePrefix(label);
  const dir =
    logDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vitals-replicas-'));
  const names = 'abcdefghijklmnopqrstuvwxyz'.split('').slice(0, count);
  const replicas = await Promise.all(
    names.map(name =>
      startReplica({ name, prefix, demo, config, logDir: dir }),
    ),
  );
  const stop = async ({ keepDatabases = false } = {}) => {
    await Promise.all(replicas.map(r => stopReplica(r)));
    if (!keepDatabases) await dropDatabases(prefix);
  };
  try {
    await Promise.all(replicas.map(r => waitReady(r, { timeoutMs })));
  } catch (error) {
    await stop();
    throw error;
  }
  return { prefix, logDir: dir, replicas, stop };
}
