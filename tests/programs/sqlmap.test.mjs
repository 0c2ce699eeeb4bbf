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

const PLAN = `format: psea-plan/1
key: sqlmap-plan
version: "2021"
title: "A plan to probe"
mission: EXMIS
period: {start: "2021-01", end: "2021-12"}
pillars:
  - key: prevention
    title: "Prevention"
    goals:
      - number: 1
        title: "Probe."
        activities:
          - letter: a
            text: "Hold monthly meetings."
`;

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
    // A plan, for the matrix's year and pillar.
    assertStatus(await sessions[chief.username].post('/api/v1/plans', PLAN, { contentType: 'application/yaml' }), 201);
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
    if (process.env.PSEA_TEST_SHOW_SQLMAP === '1') process.stderr.write(r.stdout);
    return r;
  }

  it('finds no injectable parameter in the queue, its search, the audit filters and the plan matrix', async () => {
    const started = Date.now();
    const chiefClient = sessions[chief.username];
    const plan = assertStatus(await sessions[admin.username].get('/api/v1/plans'), 200);
    const planPath = plan.plans.length ? `/api/v1/plans/${plan.plans[0].id}` : null;
    const queue = assertStatus(await chiefClient.get('/api/v1/intake/complaints?status=all'), 200).complaints;
    assert.ok(queue.length >= 3);
    const office = queue.find((c) => c.field_office)?.field_office ?? 'BGI';
    // One filter per URL, each matching rows, so that a condition made false by an injection
    // would empty the answer and sqlmap would see it.
    const intake = await sqlmap(chiefClient, [
      '/api/v1/intake/complaints?status=all&q=Boali',
      '/api/v1/intake/complaints?status=all&prefecture=OMP',
      `/api/v1/intake/complaints?status=all&field_office=${encodeURIComponent(office)}`,
      '/api/v1/intake/complaints?status=all&channel=hotline_4044&limit=10&offset=0',
      '/api/v1/intake/complaints?status=new&sea_type=rape&route=case',
      ...(planPath ? [`${planPath}?year=2021&pillar=prevention`] : []),
    ]);
    const audit = await sqlmap(sessions[admin.username], [
      '/api/v1/audit?actor=sqladmin',
      '/api/v1/audit?action=user.create',
      '/api/v1/audit?object_type=user&object_id=1',
      '/api/v1/audit?limit=20&before_id=100000&from=2020-01-01',
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
