// Case reminders (docs/operations.md "Case reminders"), on the engine PSEA_TEST_ENGINE names,
// with a fake sendmail that writes each message to its own file:
// - the server's job mails the assigned officer one digest of their overdue and due-soon
//   clocks (reference, clock, due date; no name, no fact) and does not send it again;
// - the due view shows the same items to the officer in the app (mine=true);
// - `psea cases remind --dry-run` lists, `psea cases remind` sends once, a second run sends
//   nothing, and a run without --alert-email-to fails naming it.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, stepUp, run, BINARY, sleep } from '../support/server.mjs';

const DAY = 24 * 3600 * 1000;
const VICTIM = 'Velmira Ostrakine';
const SUBJECT = 'Private Ambrel Quissot';
const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

// A "sendmail" that stores each message in a file of its own in `dir`.
function fakeSendmail() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-reminders-'));
  return { dir, command: `cat > "$(mktemp ${dir}/mail.XXXXXX)"` };
}
const reminders = (dir) => fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
  .filter((text) => /Subject: psea: case reminders for rmofficer/.test(text));

async function setUp(env) {
  const chief = { username: 'rmchief', role: 'cdt_chief', password: strongPassword() };
  const officer = { username: 'rmofficer', role: 'cdt_officer', password: strongPassword() };
  const srv = await startServer({ users: [chief, officer], env });
  const as = {};
  const ids = {};
  for (const user of [chief, officer]) {
    as[user.username] = (await loginEnrolled(srv, user)).client;
    ids[user.username] = (await as[user.username].get('/api/v1/auth/me')).json.user.id;
  }
  assert.equal((await as.rmchief.post('/api/v1/case-readers', { user_id: ids.rmchief, ...(await stepUp(chief)) })).status, 204);
  // A case reported 20 days ago, assigned to the officer: its acknowledgement is overdue.
  const c = as.rmchief;
  const filed = await c.post('/api/v1/intake/complaints', {
    channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
    incident_date_precision: 'month', incident_date: '2020-01',
    victims: [{ age: 24, sex: 'female', name: VICTIM, child_born: 'no' }],
    perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 2', rank: 'Private', identified: 'yes', name: SUBJECT }],
  });
  assert.equal(filed.status, 201, filed.text);
  const id = filed.json.complaint.id;
  assert.equal((await c.post(`/api/v1/intake/complaints/${id}/assessment`,
    { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
  assert.equal((await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
  const made = await c.post('/api/v1/cases', { complaints: [id], date_reported: daysAgo(20) });
  assert.equal(made.status, 201, made.text);
  const assigned = await c.post(`/api/v1/cases/${made.json.case.id}/officers`, { user_id: ids.rmofficer });
  assert.equal(assigned.status, 200, assigned.text);
  return { srv, as, kase: made.json.case };
}

function assertDigest(text, reference) {
  assert.match(text, /Subject: psea: case reminders for rmofficer/);
  assert.ok(text.includes(reference), text);
  assert.match(text, /acknowledgement\s+overdue/);
  for (const secret of [VICTIM, SUBJECT, 'Synthetic narrative', 'Battalion', 'Boali']) {
    assert.ok(!text.includes(secret), `the digest must not carry "${secret}"`);
  }
}

describe('case reminders from the server', { timeout: 60000 }, () => {
  const mail = fakeSendmail();
  let ctx;
  before(async () => {
    ctx = await setUp({
      PSEA_ALERT_EMAIL_TO: 'cdt@example.org', PSEA_ALERT_SENDMAIL: mail.command,
      PSEA_REMINDER_HOUR: '0', PSEA_REMINDER_POLL_SECONDS: '1',
    });
  });
  after(async () => ctx && ctx.srv.stop());

  it('mails the assigned officer one digest, once, and shows the items in the app', async () => {
    let sent = [];
    for (let i = 0; i < 40 && sent.length === 0; i += 1) {
      await sleep(250);
      sent = reminders(mail.dir);
    }
    assert.equal(sent.length, 1, 'one digest');
    assertDigest(sent[0], ctx.kase.reference);
    await sleep(2500);  // two more polls
    assert.equal(reminders(mail.dir).length, 1, 'not sent again');
    const due = await ctx.as.rmofficer.get('/api/v1/cases/due?mine=true&within_days=7');
    assert.equal(due.status, 200, due.text);
    assert.ok(due.json.items.some((item) => item.reference === ctx.kase.reference && item.state === 'overdue'));
  });
});

describe('psea cases remind', { timeout: 60000 }, () => {
  const mail = fakeSendmail();
  let ctx;
  before(async () => {
    ctx = await setUp({ PSEA_ALERT_EMAIL_TO: 'cdt@example.org', PSEA_ALERT_SENDMAIL: mail.command, PSEA_REMINDER_HOUR: '-1' });
  });
  after(async () => ctx && ctx.srv.stop());

  it('lists with --dry-run, sends once, then finds nothing new', async () => {
    const dry = await ctx.srv.cli(['cases', 'remind', '--dry-run', ...ctx.srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /1 digest\(s\) due/);
    assert.match(dry.stdout, new RegExp(`rmofficer: \\d+ item\\(s\\)[\\s\\S]*${ctx.kase.reference} acknowledgement overdue`));
    assert.equal(reminders(mail.dir).length, 0, 'a dry run sends nothing');
    const real = await ctx.srv.cli(['cases', 'remind', ...ctx.srv.dbArgs]);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /case reminders: 1 sent/);
    // The command sends its digest before it exits, unless the server's outbox worker (which
    // looks every 30 s) took it first: then it lands a moment later.
    let sent = reminders(mail.dir);
    for (let i = 0; i < 50 && sent.length === 0; i += 1) {
      await sleep(100);
      sent = reminders(mail.dir);
    }
    assert.equal(sent.length, 1);
    assertDigest(sent[0], ctx.kase.reference);
    const again = await ctx.srv.cli(['cases', 'remind', ...ctx.srv.dbArgs]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /case reminders: 0 sent/);
    assert.equal(reminders(mail.dir).length, 1);
    const nowhere = await run(BINARY, ['cases', 'remind', ...ctx.srv.dbArgs], { env: { ...ctx.srv.env, PSEA_ALERT_EMAIL_TO: '' } });
    assert.notEqual(nowhere.code, 0);
    assert.match(nowhere.stderr, /alert-email-to/);
  });
});
