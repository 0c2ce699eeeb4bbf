// The SMS and e-mail channels (docs/api.md "Intake"; docs/operations.md "E-mail intake"):
// - POST /api/v1/intake/sms: a token with scope intake.sms AND the body signed with the SMS key
//   (X-Psea-Signature: sha256=<hex HMAC-SHA256>); the generic JSON shape and RapidPro's form;
//   messages from one number within 30 minutes join one complaint; a gateway's retry (same id)
//   files nothing twice; a body without an id (replayable) is refused; the reply carries the
//   receipt code; bad payloads name their field.
// - `psea intake email` on standard input: a message is filed; bytes that are not a message go to
//   the quarantine, which the CDT lists, reads (audited) and resolves.
// Numbers, names and texts are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestServer, startServer, strongPassword, loginEnrolled, assertError, sleep } from '../support/server.mjs';

// Urgent complaints are e-mailed through this "sendmail", which appends what it reads.
const alertDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-alerts-'));
const alertFile = path.join(alertDir, 'alerts.eml');
process.env.PSEA_ALERT_EMAIL_TO = 'cdt@example.org, chief@example.org';
process.env.PSEA_ALERT_SENDMAIL = `cat >> ${alertFile}`;

const chief = { username: 'chchief', role: 'cdt_chief', password: strongPassword() };
const admin = { username: 'chadmin', role: 'admin', password: strongPassword() };

describe('intake channels', { timeout: 120000 }, () => {
  let srv;
  let chiefClient;
  let gateway;
  let key;

  const sign = (body, secret = key) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const sms = (body, type = 'application/json', signature) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return gateway.post('/api/v1/intake/sms', text, {
      contentType: type,
      headers: { 'X-Psea-Signature': signature ?? sign(text) },
    });
  };

  before(async () => {
    srv = await startServer({ users: [chief, admin] });
    chiefClient = (await loginEnrolled(srv, chief)).client;
    const adminClient = (await loginEnrolled(srv, admin)).client;
    const minted = await adminClient.post('/api/v1/tokens', { name: 'SMS gateway', scopes: ['intake.sms'], expires_in_days: 30 });
    assert.equal(minted.status, 201, minted.text);
    gateway = srv.client({ bearer: minted.json.secret });
    const printed = await srv.cli(['intake', 'sms-key', ...srv.dbArgs]);
    assert.equal(printed.code, 0, printed.stderr);
    key = printed.stdout.trim();
    assert.match(key, /^[0-9a-f]{64}$/);
  });
  after(async () => {
    if (srv) await srv.stop();
    fs.rmSync(alertDir, { recursive: true, force: true });
  });

  it('an urgent complaint is e-mailed to the CDT, with its reference and nothing identifying', async () => {
    const urgent = await sms({ from: '+23670005555', text: 'Synthetic urgent message about Qelvarin.', id: 'gw-urgent' });
    assert.equal(urgent.status, 201, urgent.text);
    // SMS complaints are not urgent by themselves: flag one through the staff route instead.
    const flagged = await chiefClient.post('/api/v1/intake/complaints', {
      channel: 'walk_in', narrative: 'Synthetic walk-in account naming Qelvarin.', risk_medical: true,
    });
    assert.equal(flagged.status, 201, flagged.text);
    let text = '';
    for (let i = 0; i < 50 && !text.includes(flagged.json.complaint.reference); i += 1) {
      await sleep(100);
      text = fs.existsSync(alertFile) ? fs.readFileSync(alertFile, 'utf8') : '';
    }
    assert.match(text, new RegExp(`Subject: psea: urgent complaint ${flagged.json.complaint.reference}`));
    assert.match(text, /To: cdt@example\.org, chief@example\.org/);
    assert.match(text, /medical care within 72 hours/);
    assert.equal(text.includes('Qelvarin'), false, 'no narrative in the alert');
    // The SMS complaint is not urgent: no alert names it. (Its reference, not its bare id: a
    // digit followed by a space also occurs in the Date header.)
    const smsReference = `C-${flagged.json.complaint.reference.slice(2, 6)}-${String(urgent.json.complaint_id).padStart(5, '0')}`;
    assert.equal(text.includes(smsReference), false);
  });

  it('files an SMS, replies with the receipt code, joins the next one and ignores a retry', async () => {
    const first = await sms({ from: '+236 70 00 11 22', text: 'Synthetic SMS: something happened at the market.', id: 'gw-1' });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.joined, false);
    assert.match(first.json.reply, /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    assert.match(first.json.reply, /4044/);

    const form = new URLSearchParams({ from: '0023670001122', text: 'Synthetic follow-up: it was yesterday.', id: 'gw-2' }).toString();
    const second = await sms(form, 'application/x-www-form-urlencoded');
    assert.equal(second.status, 201, second.text);
    assert.equal(second.json.joined, true);
    assert.equal(second.json.complaint_id, first.json.complaint_id);

    const retry = await sms({ from: '+23670001122', text: 'Synthetic SMS: something happened at the market.', id: 'gw-1' });
    assert.equal(retry.status, 200);
    assert.equal(retry.json.duplicate, true);
    assert.equal(retry.json.reply, null);

    const detail = await chiefClient.get(`/api/v1/intake/complaints/${first.json.complaint_id}`);
    assert.equal(detail.json.complaint.channel, 'sms');
    assert.equal(detail.json.identifying.reporter_phone, '+23670001122');
    assert.equal(detail.json.messages.length, 1);
    assert.equal(detail.json.messages[0].text, 'Synthetic follow-up: it was yesterday.');
  });

  it('refuses unsigned, badly signed, unscoped and malformed SMS requests', async () => {
    const body = JSON.stringify({ from: '+23670009999', text: 'x', id: 'gw-x' });
    assertError(await sms(body, 'application/json', 'sha256=' + '0'.repeat(64)), 401, 'unauthenticated');
    assertError(await sms(body, 'application/json', sign(body, 'not the key')), 401, 'unauthenticated');
    assertError(await sms(body, 'application/json', 'md5=abc'), 401, 'unauthenticated');
    assertError(await sms('{"from": ', 'application/json'), 400, 'bad_json');
    assertError(await sms({ text: 'no sender', id: 'gw-9' }), 400, 'validation_failed', 'from');
    // Signed but without the gateway's id: replaying the body would file it again.
    assertError(await sms({ from: '+23670009999', text: 'Synthetic, no id.' }), 400, 'validation_failed', 'id');
    assertError(await sms('from=%2B23670009999&text=x', 'application/x-www-form-urlencoded'), 400, 'validation_failed', 'id');
    assertError(await sms({ from: 'not a number', text: 'x' }), 400, 'validation_failed', 'from');
    assertError(await sms({ from: '+23670009999', text: '' }), 400, 'validation_failed', 'text');
    assertError(await sms('from=%2B23670009999&text=x', 'text/plain'), 415, 'unsupported_media_type');
    const signed = JSON.stringify({ from: '+23670009999', text: 'x', id: 'gw-y' });
    assertError(await chiefClient.post('/api/v1/intake/sms', signed, { headers: { 'X-Psea-Signature': sign(signed) } }), 403, 'forbidden');
  });

  it('files e-mail from standard input and quarantines what is not e-mail', async () => {
    const message = [
      'From: =?UTF-8?Q?Synth=C3=A9tique_Reporter?= <reporter@example.org>',
      'To: cdt@example.org',
      'Subject: =?UTF-8?B?U2lnbmFsZW1lbnQgc3ludGjDqXRpcXVl?=',
      'Date: Sat, 28 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Texte synthétique du signalement envoyé par courriel.',
      '',
    ].join('\r\n');
    const filed = await srv.cli(['intake', 'email', ...srv.dbArgs], message);
    assert.equal(filed.code, 0, filed.stderr);
    assert.match(filed.stdout, /^filed complaint C-\d{4}-\d{5}/);
    const queue = await chiefClient.get('/api/v1/intake/complaints?channel=email');
    assert.equal(queue.json.complaints.length, 1);
    const detail = await chiefClient.get(`/api/v1/intake/complaints/${queue.json.complaints[0].id}`);
    assert.equal(detail.json.identifying.reporter_email, 'reporter@example.org');
    assert.equal(detail.json.identifying.reporter_name, 'Synthétique Reporter');
    // A named sender is not anonymous; how they relate to the events is not known yet.
    assert.equal(detail.json.complaint.reporter_relation, 'unknown');
    assert.equal(detail.json.complaint.anonymous, false);
    assert.match(detail.json.identifying.narrative, /^Signalement synthétique\n\nTexte synthétique/);

    // An attachment comes with the message, sealed, typed from its bytes.
    const withFile = [
      'From: reporter2@example.org',
      'Subject: Synthetic report with a file',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Synthetic text with a photo attached.',
      '--b1',
      'Content-Type: application/octet-stream; name="photo.jpg"',
      'Content-Disposition: attachment; filename="photo.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]).toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const filedWithFile = await srv.cli(['intake', 'email', ...srv.dbArgs], withFile);
    assert.equal(filedWithFile.code, 0, filedWithFile.stderr);
    const emails = (await chiefClient.get('/api/v1/intake/complaints?channel=email')).json.complaints;
    const second = await chiefClient.get(`/api/v1/intake/complaints/${emails[emails.length - 1].id}`);
    assert.equal(second.json.attachments.length, 1);
    assert.equal(second.json.attachments[0].content_type, 'image/jpeg');
    assert.equal(second.json.attachments[0].filename, 'photo.jpg');

    const garbage = await srv.cli(['intake', 'email', ...srv.dbArgs], 'no headers at all, just bytes');
    assert.equal(garbage.code, 0, garbage.stderr);
    assert.match(garbage.stdout, /^quarantined message \d+/);
    const list = await chiefClient.get('/api/v1/intake/quarantine');
    assert.equal(list.status, 200);
    assert.equal(list.json.messages.length, 1);
    const id = list.json.messages[0].id;
    const raw = await chiefClient.get(`/api/v1/intake/quarantine/${id}`);
    assert.equal(raw.status, 200);
    assert.equal(raw.text, 'no headers at all, just bytes');
    assert.equal((await chiefClient.post(`/api/v1/intake/quarantine/${id}/resolve`, {})).status, 204);
    assertError(await chiefClient.post(`/api/v1/intake/quarantine/${id}/resolve`, {}), 404, 'not_found');
  });

  it('answers a filed e-mail with its receipt code when asked, never a program, and files even when sendmail fails', async () => {
    // A "sendmail" that records its arguments and the message.
    const sendmail = path.join(alertDir, 'sendmail');
    const record = path.join(alertDir, 'ack.txt');
    fs.writeFileSync(sendmail, `#!/bin/sh\nprintf '%s|' "$@" > ${record}.args\ncat > ${record}\n`, { mode: 0o755 });
    const ack = ['--email-ack-from', 'ne-pas-repondre@example.org', '--email-ack-sendmail', sendmail];
    const message = [
      'Return-Path: <ack-reporter@example.org>',
      'From: ack-reporter@example.org',
      'Message-ID: <synthetic-ack-1@example.org>',
      'Subject: Synthetic report to acknowledge',
      '',
      'Synthetic text.',
      '',
    ].join('\r\n');
    const filed = await srv.cli(['intake', 'email', ...srv.dbArgs, ...ack], message);
    assert.equal(filed.code, 0, filed.stderr);
    assert.equal(fs.readFileSync(`${record}.args`, 'utf8'), '-i|-f|<>|--|ack-reporter@example.org|');
    const answer = fs.readFileSync(record, 'utf8');
    assert.match(answer, /^Auto-Submitted: auto-replied$/m);
    assert.match(answer, /^In-Reply-To: <synthetic-ack-1@example\.org>$/m);
    assert.match(answer, /^To: ack-reporter@example\.org$/m);
    assert.match(answer, /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    assert.equal(answer.includes('Synthetic text'), false, 'the answer does not quote the report');

    // An automatic message is filed, not answered.
    fs.rmSync(record);
    const robot = await srv.cli(['intake', 'email', ...srv.dbArgs, ...ack],
      'From: robot@example.org\r\nAuto-Submitted: auto-generated\r\nSubject: Synthetic\r\n\r\nSynthetic notice.\r\n');
    assert.equal(robot.code, 0, robot.stderr);
    assert.match(robot.stdout, /^filed complaint/);
    assert.equal(fs.existsSync(record), false);

    // A sendmail that cannot run: the complaint is filed all the same, exit 0.
    const failed = await srv.cli(['intake', 'email', ...srv.dbArgs, '--email-ack-from', 'ne-pas-repondre@example.org',
      '--email-ack-sendmail', path.join(alertDir, 'no-such-sendmail')], message);
    assert.equal(failed.code, 0, failed.stderr);
    assert.match(failed.stdout, /^filed complaint/);
    assert.match(failed.stderr, /email_ack_failed/);
    assert.equal(failed.stderr.includes('ack-reporter@example.org'), false, 'no address in the log');
  });

  it('migration intake 6 corrects e-mail complaints stored as anonymous with a sender', async () => {
    const named = await srv.cli(['intake', 'email', ...srv.dbArgs], 'From: mig@example.org\r\nSubject: Synthetic\r\n\r\nSynthetic text.\r\n');
    assert.equal(named.code, 0, named.stderr);
    const nameless = await srv.cli(['intake', 'email', ...srv.dbArgs], 'Subject: Synthetic\r\n\r\nSynthetic text from nobody.\r\n');
    assert.equal(nameless.code, 0, nameless.stderr);
    const ids = [named, nameless].map((r) => Number(/C-\d{4}-(\d{5})/.exec(r.stdout)[1]));
    const relations = async () => (await srv.sql(`SELECT reporter_relation FROM intake_complaints WHERE id IN (${ids.join(',')}) ORDER BY id`)).trim().split('\n');
    assert.deepEqual(await relations(), ['unknown', 'anonymous']);
    // As stored before the migration.
    await srv.sql(`UPDATE intake_complaints SET reporter_relation = 'anonymous' WHERE id IN (${ids.join(',')})`);
    await srv.sql("DELETE FROM schema_migrations WHERE component = 'intake' AND version = 6");
    const migrated = await srv.cli(['migrate', ...srv.dbArgs]);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.deepEqual(await relations(), ['unknown', 'anonymous']);
  });

  it('a mistyped --db or --data-dir creates nothing: the mail pipe defers (75), other commands fail', async () => {
    // A database that does not exist (SQLite) or holds no psea schema (PostgreSQL).
    const fresh = await TestServer.create();
    try {
      const message = 'From: reporter@example.org\r\nSubject: Synthetic\r\n\r\nSynthetic text.\r\n';
      const mailed = await fresh.cli(['intake', 'email', ...fresh.dbArgs], message);
      assert.equal(mailed.code, 75, mailed.stderr);
      assert.match(mailed.stderr, fresh.engine === 'sqlite' ? /^psea: there is no database at .*psea\.db.*\(db\)$/m : /^psea: the database .* has no psea schema.*\(db\)$/m);
      assert.equal(fs.existsSync(fresh.dataDir), false, 'no data folder, no server.key');
      if (fresh.engine === 'sqlite') {
        assert.equal(fs.existsSync(fresh.dbUrl.slice('sqlite:'.length)), false);
      } else {
        assert.equal((await fresh.sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")).trim(), '0');
      }
      const listed = await fresh.cli(['user', 'list', ...fresh.dbArgs]);
      assert.equal(listed.code, 1, listed.stderr);
      assert.match(listed.stderr, /only `psea migrate` creates/);
      assert.equal(fs.existsSync(fresh.dataDir), false);

      // The database without its server.key: nothing is created either.
      await fresh.migrate();
      fs.rmSync(path.join(fresh.dataDir, 'server.key'));
      const keyless = await fresh.cli(['intake', 'email', ...fresh.dbArgs], message);
      assert.equal(keyless.code, 75, keyless.stderr);
      assert.match(keyless.stderr, /server key .*server\.key is missing.*\(data-dir\)/);
      assert.equal(fs.existsSync(path.join(fresh.dataDir, 'server.key')), false);
    } finally {
      await fresh.stop();
    }
  });
});
