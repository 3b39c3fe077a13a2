// Starts the portal the way the README does (`yarn start`) unless one is already running, and opens Chromium.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

export const APP_URL = process.env.VITALS_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.VITALS_BACKEND_URL ?? 'http://localhost:7007';

async function isUp(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(1000);
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

/** Starts `yarn start` at the repo root when nothing answers on the app and backend ports; returns a stop function. */
export async function startPortal() {
  const readiness = `${BACKEND_URL}/.backstage/health/v1/readiness`;
  let child;
  if (!(await isUp(APP_URL)) || !(await isUp(readiness))) {
    child = spawn('yarn', ['start'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, BROWSER: 'none' },
    });
    const log = [];
    const keep = chunk => {
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', code => {
      if (code)
        process.stderr.write(`yarn start exited with ${code}\n${log.join('')}`);
    });
  }
  // Whether any process of the portal's group is still running.
  const running = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    if (!child || !running()) return;
    process.kill(-child.pid, 'SIGTERM');
    // Wait until every process of the group has exited before returning (and before serve.mjs exits): the backend
    // drains for a moment after SIGTERM and logs meanwhile to our pipes. Once we exit they are closed, and a backend
    // writing to a closed pipe logs the EPIPE error, which fails to write again: it spins at full CPU for good.
    const deadline = Date.now() + 30_000;
    while (running() && Date.now() < deadline) await sleep(250);
    if (running()) process.kill(-child.pid, 'SIGKILL');
  };
  try {
    await waitFor('the backend', () => isUp(readiness), 240_000);
    await waitFor('the frontend', () => isUp(APP_URL), 300_000);
  } catch (error) {
    // Do not leave a half-started portal behind holding the ports.
    await stop();
    throw error;
  }
  return stop;
}

export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  return { browser, page };
}

/** Signs in with the guest provider (user:default/guest, a member of the Payments team). */
export async function signInAsGuest(page) {
  await page.goto(APP_URL);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.getByRole('link', { name: 'Tech debt' }).first();
  await enter.or(signedIn).first().waitFor();
  if (await enter.isVisible()) await enter.click();
  await signedIn.waitFor();
}
