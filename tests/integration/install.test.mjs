// `cmake --install` and the share folder (docs/operations.md, "Build and install"): the
// installed binary finds the files it ships (data/plans, data/i18n/report, the web app) in
// PREFIX/share/psea from any working folder, and --share-dir / PSEA_SHARE_DIR override it.
// Runs `psea demo` from an empty temporary folder: the demo imports the MINUSCA plan and
// /report needs the catalogs, so both would fail if psea still looked in ./data.
// Always on SQLite: what is tested is where files are found, not storage.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BINARY, REPO_ROOT, run, sleep, httpRequest, ApiClient } from '../support/server.mjs';

const BUILD_DIR = path.dirname(BINARY);

async function startDemo(binary, cwd, extraArgs = [], env = {}) {
  const portFile = path.join(cwd, 'port');
  const proc = spawn(binary, ['demo', '--db', `sqlite:${path.join(cwd, 'demo.db')}`,
    '--data-dir', path.join(cwd, 'data'), '--listen', '127.0.0.1:0', '--port-file', portFile, ...extraArgs], {
    cwd, env: { ...process.env, PSEA_ARGON2_PROFILE: 'fast', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`psea demo exited ${proc.exitCode}:\n${output}`);
    const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^\d+$/.test(text) && Number(text) > 0) {
      const baseUrl = `http://127.0.0.1:${text}`;
      try {
        if ((await httpRequest(baseUrl + '/healthz')).status === 200) {
          return { baseUrl, output: () => output, stop: async () => { proc.kill('SIGTERM'); await exited; } };
        }
      } catch {}
    }
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`psea demo did not come up:\n${output}`);
}

describe('install and the share folder', { timeout: 180000 }, () => {
  let prefix;
  let elsewhere;

  before(async () => {
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-prefix-'));
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-cwd-'));
    const installed = await run('cmake', ['--install', BUILD_DIR, '--prefix', prefix], { timeoutMs: 60000 });
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
  });
  after(() => {
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it('lays out bin/psea and share/psea/data', () => {
    assert.ok(fs.existsSync(path.join(prefix, 'bin', 'psea')));
    assert.ok(fs.existsSync(path.join(prefix, 'share', 'psea', 'data', 'plans', 'minusca-sea-2018-2019.yaml')));
    assert.ok(fs.existsSync(path.join(prefix, 'share', 'psea', 'data', 'i18n', 'report', 'fr.json')));
    if (fs.existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
      assert.ok(fs.existsSync(path.join(prefix, 'share', 'psea', 'web', 'index.html')));
    }
  });

  it('the installed psea demo runs from an empty folder elsewhere, with the plan and /report', async () => {
    const demo = await startDemo(path.join(prefix, 'bin', 'psea'), elsewhere);
    try {
      const form = await httpRequest(demo.baseUrl + '/report?lang=fr');
      assert.equal(form.status, 200, 'the catalogs were found');
      const password = /^\s+demo\.cdt_chief\s+(\S+)\s*$/m.exec(demo.output());
      assert.ok(password, demo.output());
      const client = new ApiClient(demo.baseUrl);
      const login = await client.login('demo.cdt_chief', password[1]);
      assert.equal(login.status, 200, login.text);
      const plans = await client.get('/api/v1/plans');
      assert.equal(plans.status, 200, plans.text);
      assert.ok(JSON.stringify(plans.json).includes('minusca-sea'), plans.text.slice(0, 300));
      if (fs.existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
        assert.equal((await httpRequest(demo.baseUrl + '/')).status, 200, 'the installed web app');
      }
    } finally {
      await demo.stop();
    }
  });

  it('PSEA_SHARE_DIR overrides the search, and a share folder without the files says so', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-empty-share-'));
    try {
      const r = await run(path.join(prefix, 'bin', 'psea'), ['demo', '--db', `sqlite:${path.join(empty, 'd.db')}`,
        '--data-dir', path.join(empty, 'data'), '--listen', '127.0.0.1:0'],
      { env: { PSEA_SHARE_DIR: empty, PSEA_ARGON2_PROFILE: 'fast' }, timeoutMs: 60000 });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /minusca-sea-2018-2019\.yaml.*--share-dir/s);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
