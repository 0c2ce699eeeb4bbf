// SQL injection probed by Debian's sqlmap (package sqlmap) on the endpoints that turn query
// parameters into SQL: the complaint queue with its filters and its search (q), the audit log's
// filters, the plan matrix. Authenticated with a session cookie, level 1 / risk 1, boolean,
// error and UNION techniques (time-based ones would take minutes and add nothing that the
// prepared statements do not already rule out). Fails when sqlmap reports an injection point.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, strongPassword, loginEnrolled, assertStatus, run } from '../support/server.mjs';

function has(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore', timeout: 30000 });
    return true;
  } catch {
    return false;
  }
}

const chief = { username: 'sqlchief', role: 'cdt_chief', password: strongPassword() };
const operator = { username: 'sqlop', role: 'intake_operator', password: strongPassword() };
const admin = { username: 'sqladmin', role: 'admin', password: strongPassword() };

function complaint(town) {
  return {
    channel: 'hotline_4044', reporter_relation: 'witness', contact_consent: false, narrative: `Synthetic narrative in ${town}.`,
    prefecture: 'OMP', town, incident_date_precision: 'month', incident_date: '2026-10',
    victims: [{ age: 30, sex: 'female' }], perpetrators: [{ category: 'military_contingent' }],
  };
}

describe('sqlmap', { skip: !has('sqlmap') && 'sqlmap is not installed', timeout: 240000 }, () => {
  let srv;
  let dir;
  const sessions = {};

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-sqlmap-'));
    srv = await startServer({ users: [chief, operator, admin] });
    for (const user of [chief, operator, admin]) sessions[user.username] = (await loginEnrolled(srv, user)).client;
    // Rows to tell a true condition from a false one, had either changed anything.
    for (const town of ['Boali', 'Bimbo', 'Bossembélé']) {
      assertStatus(await sessions[operator.username].post('/api/v1/intake/complaints', complaint(town)), 201);
    }
  });
  after(async () => {
    await srv?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function sqlmap(client, urls) {
    const list = path.join(dir, `targets-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
    fs.writeFileSync(list, urls.map((u) => srv.baseUrl + u).join('\n') + '\n');
    const r = await run('sqlmap', ['-m', list, '--batch', '--level=1', '--risk=1', '--technique=BEU',
      '--threads=4', '--skip-waf', '--disable-coloring', '--output-dir', path.join(dir, 'out'),
      '--cookie', `psea_session=${client.session}`, '--timeout=10', '--retries=1'], { timeoutMs: 150000 });
    return r;
  }

  it('finds no injectable parameter in the queue, its search, the audit filters and the plan matrix', async () => {
    const started = Date.now();
    const intake = await sqlmap(sessions[chief.username], [
      '/api/v1/intake/complaints?status=all&q=Boali&prefecture=OMP&field_office=Bangui&sea_type=rape&channel=hotline_4044&limit=10&offset=0',
      '/api/v1/plans/1?year=2021&pillar=prevention',
    ]);
    const audit = await sqlmap(sessions[admin.username], [
      '/api/v1/audit?actor=sqladmin&action=user.create&object_type=user&object_id=1&limit=20',
    ]);
    for (const r of [intake, audit]) {
      assert.notEqual(r.signal, 'SIGKILL', `sqlmap did not finish in time:\n${r.stdout.slice(-2000)}`);
      // "appears to be '...' injectable" is a finding, "might be injectable" a database error
      // that leaked into an answer: both fail.
      assert.doesNotMatch(r.stdout, /identified the following injection point|appears to be '[^']*' injectable|might be injectable/i,
        r.stdout.slice(-4000));
      assert.match(r.stdout, /do not appear to be injectable|not injectable/i, r.stdout.slice(-3000));
    }
    assert.ok(Date.now() - started < 150000, `sqlmap took ${(Date.now() - started) / 1000} s`);
    // The server is still healthy.
    assert.equal((await sessions[chief.username].get('/api/v1/intake/complaints')).status, 200);
  });
});
