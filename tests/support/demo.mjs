// Shared by the browser tests: a `psea demo` server on a fresh folder, and Debian's Chromium.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with the flags this machine needs (no sandbox, no network of its own). */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stopServer(server) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!stopped) {
    server.kill('SIGKILL');
    await exited;
  }
}

/**
 * Waits for the port file and for the demo accounts printed on stdout, until every name of
 * `needed` is there. Resolves {port, accounts: {username: password}}.
 */
export async function waitForDemo(portFile, server, output, needed) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`psea demo exited ${server.exitCode}:\n${output()}`);
    const text = await readFile(portFile, 'utf8').catch(() => '');
    const accounts = Object.fromEntries(
      [...output().matchAll(/^\s+(demo\.[a-z_]+)\s+(\S+)\s*$/gm)].map((match) => [match[1], match[2]]),
    );
    if (/^\d+\s*$/.test(text) && needed.every((name) => accounts[name])) {
      return { port: Number(text), accounts };
    }
    await sleep(100);
  }
  throw new Error(`psea demo not ready after 30 s:\n${output()}`);
}

/** Waits until GET /healthz answers 200. */
export async function waitForHealth(baseUrl, output) {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`GET /healthz not ok after 20 s (${last}):\n${output()}`);
}

/**
 * Starts `psea demo` on a fresh folder and waits until it serves and has printed the passwords
 * of every account in `needed`. Resolves {baseUrl, accounts, output, stop, dbFile}; `stop()`
 * ends the server and removes the folder; `dbFile` is the SQLite file (for test set-up only). `binary` and `webDist` are paths; `name` prefixes the folder.
 */
export async function startDemo({ binary, webDist, cwd, needed, name = 'psea-demo-' }) {
  const tmp = await mkdtemp(join(tmpdir(), name));
  const portFile = join(tmp, 'port');
  let text = '';
  const server = spawn(
    binary,
    ['demo', '--db', `sqlite:${join(tmp, 'psea.db')}`, '--data-dir', join(tmp, 'data'),
      '--listen', '127.0.0.1:0', '--port-file', portFile, '--web', webDist],
    { cwd, env: { ...process.env, PSEA_ARGON2_PROFILE: 'fast' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', (chunk) => (text += chunk));
  server.stderr.on('data', (chunk) => (text += chunk));
  const output = () => text.slice(-6000);
  const stop = async () => {
    await stopServer(server);
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const { port, accounts } = await waitForDemo(portFile, server, output, needed);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, output);
    return { baseUrl, accounts, output, stop, dbFile: join(tmp, 'psea.db') };
  } catch (error) {
    await stop();
    throw error;
  }
}
