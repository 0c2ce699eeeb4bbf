// The mail outbox (docs/operations.md "The mail outbox"), on the engine PSEA_TEST_ENGINE names,
// with a fake sendmail that refuses (exit 75) the next N messages holding a text and writes
// each message it accepts to a file of its own:
// - a case-reminder digest refused twice arrives after the retries, once, and stays marked
//   sent; /metrics counts the refusals and an empty outbox;
// - an urgent alert still pending when the server is killed is sent by the next server;
// - `psea mail list`, `show`, `retry` and `send`;
// - a correction that makes a complaint urgent queues its alert after the commit.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, stepUp, httpRequest, sleep } from '../support/server.mjs';

const DAY = 24 * 3600 * 1000;
const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

// Refuses (exit 75) the next N messages holding the text in `match`; writes the others to
// files of their own.
function fakeSendmail() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-outbox-'));
  const count = path.join(dir, 'refuse');
  const match = path.join(dir, 'match');
  const script = path.join(dir, 'sendmail.sh');
  fs.writeFileSync(script, `#!/bin/sh
message=$(mktemp "${dir}/in.XXXXXX")
cat > "$message"
n=$(cat "${count}" 2>/dev/null || echo 0)
if [ "$n" -gt 0 ] && grep -qF -- "$(cat "${match}")" "$message"; then
  echo $((n - 1)) > "${count}"; rm -f "$message"; exit 75
fi
mv "$message" "$(mktemp "${dir}/mail.XXXXXX")"
`, { mode: 0o755 });
  return {
    dir,
    command: script,
    refuse: (n, text) => {
      fs.writeFileSync(match, text);
      fs.writeFileSync(count, String(n));
    },
    refusalsLeft: () => Number(fs.readFileSync(count, 'utf8')),
    messages: (pattern) => fs.readdirSync(dir).filter((name) => name.startsWith('mail.'))
      .map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).filter((text) => pattern.test(text)),
  };
}

async function waitFor(what, probe, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const metric = (text, name) => {
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('the mail outbox', { timeout: 90000 }, () => {
  const mail = fakeSendmail();
  let srv;
  let chief;
  before(async () => {
    // The mail command refuses the officer's digest twice.
    mail.refuse(2, 'case reminders for obofficer');
    const users = [
      { username: 'obchief', role: 'cdt_chief', password: strongPassword() },
      { username: 'obofficer', role: 'cdt_officer', password: strongPassword() },
    ];
    srv = await startServer({
      users,
      env: {
        PSEA_ALERT_EMAIL_TO: 'cdt@example.org', PSEA_ALERT_SENDMAIL: mail.command, PSEA_MAIL_RETRY_UNIT_MS: '100',
        PSEA_AUDIT_ANCHOR_EMAIL: 'false', PSEA_REMINDER_HOUR: '0', PSEA_REMINDER_POLL_SECONDS: '1',
      },
    });
    chief = (await loginEnrolled(srv, users[0])).client;
    const officer = (await loginEnrolled(srv, users[1])).client;
    const ids = {
      chief: (await chief.get('/api/v1/auth/me')).json.user.id,
      officer: (await officer.get('/api/v1/auth/me')).json.user.id,
    };
    assert.equal((await chief.post('/api/v1/case-readers', { user_id: ids.chief, ...(await stepUp(users[0])) })).status, 204);
    const filed = await chief.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-01', victims: [{ age: 24, sex: 'female', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', identified: 'no' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    assert.equal((await chief.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await chief.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
    const made = await chief.post('/api/v1/cases', { complaints: [id], date_reported: daysAgo(20) });
    assert.equal(made.status, 201, made.text);
    const assigned = await chief.post(`/api/v1/cases/${made.json.case.id}/officers`, { user_id: ids.officer });
    assert.equal(assigned.status, 200, assigned.text);
  });
  after(async () => {
    if (srv) await srv.stop();
    fs.rmSync(mail.dir, { recursive: true, force: true });
  });

  it('sends a digest the mail command refused twice after the retries, once', async () => {
    const digests = /Subject: psea: case reminders for obofficer/;
    await waitFor('the digest', () => mail.messages(digests).length > 0);
    assert.equal(mail.refusalsLeft(), 0, 'refused twice first');
    assert.equal((srv.log().match(/mail_refused/g) || []).length, 2, srv.log());
    await sleep(2500);  // two more reminder polls and outbox rounds
    assert.equal(mail.messages(digests).length, 1, 'not sent again');
    const metrics = await httpRequest(`${srv.baseUrl}/metrics`, { validate: false });
    assert.equal(metrics.status, 200);
    assert.equal(metric(metrics.text, 'psea_mail_refused_total'), 2);
    assert.ok(metric(metrics.text, 'psea_mail_sent_total') >= 1, metrics.text);
    assert.equal(metric(metrics.text, 'psea_mail_outbox_messages{status="pending"}'), 0);
    assert.equal(metric(metrics.text, 'psea_mail_outbox_messages{status="failed"}'), 0);
    const listed = await srv.cli(['mail', 'list', '--status', 'sent', ...srv.dbArgs]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /mail outbox: 0 pending, 0 failed/);
    assert.match(listed.stdout, /\d+ {2}sent {2}case reminders {2}attempts 3 /);
  });

  it('sends an urgent alert left pending by a killed server after the restart', async () => {
    mail.refuse(1000, 'psea: urgent complaint');
    const urgent = await chief.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic urgent narrative.',
      incident_date_precision: 'month', incident_date: '2020-02', risk_child: true,
      victims: [{ age: 12, sex: 'female', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', identified: 'no' }],
    });
    assert.equal(urgent.status, 201, urgent.text);
    const reference = urgent.json.complaint.reference;
    const pending = await waitFor('a refused attempt', async () => {
      const r = await srv.cli(['mail', 'list', '--status', 'pending', ...srv.dbArgs]);
      const line = r.stdout.split('\n').find((l) => l.includes(`urgent alert ${reference}`) && /\(the mail command exited with status 75\)/.test(l));
      return line;
    });
    const id = Number(pending.split(' ')[0]);
    srv.proc.kill('SIGKILL');
    await srv.exitPromise;
    assert.equal(mail.messages(new RegExp(`urgent complaint ${reference}`)).length, 0);

    const shown = await srv.cli(['mail', 'show', '--id', String(id), ...srv.dbArgs]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`Subject: psea: urgent complaint ${reference}`));
    assert.ok(!shown.stdout.includes('Synthetic urgent narrative'), 'the alert names no fact');

    mail.refuse(0, '');
    fs.rmSync(srv.portFile, { force: true });
    await srv.serve();
    await waitFor('the alert after the restart', () => mail.messages(new RegExp(`urgent complaint ${reference}`)).length === 1)
      .catch((e) => assert.fail(`${e.message}\n${srv.log().split('\n').filter((l) => /mail|listening/.test(l)).join('\n')}`));

    const again = await srv.cli(['mail', 'retry', '--id', String(id), ...srv.dbArgs]);
    assert.notEqual(again.code, 0, 'a sent message is not retried');
    assert.match(again.stderr, /no pending or failed message/);
    const send = await srv.cli(['mail', 'send', ...srv.dbArgs]);
    assert.equal(send.code, 0, send.stderr);
    assert.match(send.stdout, /mail send: 0 sent, 0 refused/);
  });

  it('alerts once a correction makes a complaint urgent, after the correction commits', async () => {
    const client = chief;  // signed in before the restart: sessions live in the database
    client.baseUrl = srv.baseUrl;  // the restarted server's port
    const filed = await client.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-03', victims: [{ age: 30, sex: 'female', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', identified: 'no' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const reference = filed.json.complaint.reference;
    const started = Date.now();
    const patched = await client.patch(`/api/v1/intake/complaints/${filed.json.complaint.id}`, { risk_danger: true });
    assert.equal(patched.status, 200, patched.text);
    assert.ok(Date.now() - started < 5000, 'the correction never waits on the write lock');
    await waitFor('the alert', () => mail.messages(new RegExp(`urgent complaint ${reference}`)).length === 1);
  });
});
