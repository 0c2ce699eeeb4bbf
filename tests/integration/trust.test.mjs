// The trust model over HTTP (issue: readers designated by readers, step-up, revocation), on the
// engine PSEA_TEST_ENGINE names:
// - an administrator who creates or promotes a CDT chief gives them nothing sealed: a role makes
//   an account eligible, only a reader adds a reader;
// - a change of readers without the step-up is refused; a chief who is no reader changes nothing;
// - demoting or disabling a reader deletes their wraps at once (checked in the database);
// - identities need a proof of presence in the last 15 minutes (POST /auth/reauth);
// - the console designates readers only with the organisation's recovery key;
// - a reporter replaces a receipt code that staff saw, and the old one dies;
// - the town typed on /report is nowhere in clear (SQLite file and WAL, or pg_dump).
// Names and narratives are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'trchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'trofficer', role: 'cdt_officer', password: strongPassword() };
const operator = { username: 'troperator', role: 'intake_operator', password: strongPassword() };
const admin = { username: 'tradmin', role: 'admin', password: strongPassword() };

const NARRATIVE = 'Synthetic narrative: Quillane Estravor saw it near the market.';

function complaint() {
  return {
    channel: 'walk_in',
    reporter_relation: 'witness',
    contact_consent: false,
    contact_method: 'none',
    narrative: NARRATIVE,
    prefecture: 'OMP',
    incident_date_precision: 'unknown',
    victims: [{ age_group: 'adult', sex: 'female' }],
    perpetrators: [{ category: 'military_contingent' }],
  };
}

describe('trust model', { timeout: 240000 }, () => {
  let srv;
  const as = {};

  before(async () => {
    srv = await startServer({ users: [chief, officer, operator, admin] });
    for (const user of [chief, officer, operator, admin]) {
      as[user.username] = (await loginEnrolled(srv, user)).client;
    }
  });
  after(async () => srv && srv.stop());

  const submit = async () => {
    const created = await as[operator.username].post('/api/v1/intake/complaints', complaint());
    assert.equal(created.status, 201, created.text);
    return created.json.complaint.id;
  };
  const wrapsOf = async (userId) => Number((await srv.sql(`SELECT COUNT(*) FROM vault_item_keys WHERE reader_id = ${userId}`)).trim());

  it('a chief made by an administrator reads nothing sealed, before or after', async () => {
    const before = await submit();
    const made = { username: 'trmadechief', role: 'cdt_chief', password: strongPassword() };
    const created = await as[admin.username].post('/api/v1/users', {
      username: made.username, role: 'cdt_chief', password: made.password,
    });
    assert.equal(created.status, 201, created.text);
    // The administrator chose the password: the account must replace it, then enrol 2FA.
    const client = srv.client();
    assert.equal((await client.login(made.username, made.password)).status, 200);
    const fresh = strongPassword();
    assert.equal((await client.post('/api/v1/auth/password', { current_password: made.password, new_password: fresh })).status, 204);
    made.password = fresh;
    const { client: madeClient } = await loginEnrolled(srv, made);
    const after = await submit();
    for (const id of [before, after]) {
      const seen = await madeClient.get(`/api/v1/intake/complaints/${id}`);
      assert.equal(seen.status, 200, seen.text);
      assert.equal(seen.json.can_read_identifying, false);
      assert.equal(seen.json.identifying, null);
    }
    assert.equal(await wrapsOf(created.json.user.id), 0);
    // Nor can they make themselves a reader.
    assertError(await madeClient.post('/api/v1/intake/readers', { user_id: created.json.user.id, ...(await stepUp(made)) }),
      403, 'forbidden');
    const readers = await as[chief.username].get('/api/v1/intake/readers');
    assert.deepEqual(readers.json.readers.map((r) => r.username), [chief.username]);
    assert.ok(readers.json.eligible.some((e) => e.username === made.username));
  });

  it('changing readers needs the step-up; the last reader stays', async () => {
    const officerId = as[officer.username].user.id;
    assertError(await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId }), 401, 'invalid_credentials', 'current_password');
    assertError(await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId, current_password: chief.password }), 401, 'totp_required', 'totp_code');
    assertError(await as[chief.username].post('/api/v1/intake/readers', { user_id: as[operator.username].user.id, ...(await stepUp(chief)) }),
      422, 'unprocessable', 'user_id');
    assertError(await as[chief.username].post('/api/v1/intake/readers/remove', { user_id: as[chief.username].user.id, ...(await stepUp(chief)) }),
      409, 'conflict', 'user_id');
  });

  it('a demoted reader loses every wrap at once, and the change is announced', async () => {
    const id = await submit();
    const officerId = as[officer.username].user.id;
    const added = await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId, ...(await stepUp(chief)) });
    assert.equal(added.status, 204, added.text);
    assert.equal((await as[officer.username].get(`/api/v1/intake/complaints/${id}`)).json.identifying.narrative, NARRATIVE);
    assert.ok((await wrapsOf(officerId)) > 0);

    const demoted = await as[admin.username].patch(`/api/v1/users/${officerId}`, { role: 'training_officer', ...(await stepUp(admin)) });
    assert.equal(demoted.status, 200, demoted.text);
    assert.equal(await wrapsOf(officerId), 0);
    const readers = await as[chief.username].get('/api/v1/intake/readers');
    assert.deepEqual(readers.json.readers.map((r) => r.username), [chief.username]);
    assert.equal(readers.json.changes[0].change, 'access_ended');
    assert.equal(readers.json.changes[0].reason, 'role_changed');
    assert.equal(readers.json.unseen_changes, 1);
    assert.equal((await as[chief.username].get('/api/v1/intake/alerts')).json.reader_changes, 1);
    assert.equal((await as[chief.username].post('/api/v1/intake/readers/seen', { up_to: readers.json.changes[0].id })).status, 204);
    assert.equal((await as[chief.username].get('/api/v1/intake/alerts')).json.reader_changes, 0);
  });

  it('identities need a proof of presence in the last 15 minutes', async () => {
    const id = await submit();
    // The chief's session proved presence more than 15 minutes ago (a stolen cookie).
    await srv.sql('UPDATE sessions SET verified_at = 1');
    await new Promise((resolve) => setTimeout(resolve, 2100));  // sessions are cached for 2 s
    const stale = await as[chief.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(stale.status, 200);
    assert.equal(stale.json.reauth_required, true);
    assert.equal(stale.json.identifying, null);
    assertError(await as[chief.username].post('/api/v1/auth/reauth', { totp_code: '000000' }), 401, 'totp_invalid', 'totp_code');
    const proof = await stepUp(chief);
    assert.equal((await as[chief.username].post('/api/v1/auth/reauth', { totp_code: proof.totp_code })).status, 204);
    const open = await as[chief.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(open.json.reauth_required, false);
    assert.equal(open.json.identifying.narrative, NARRATIVE);
    assert.ok((await as[chief.username].get('/api/v1/auth/me')).json.verified_until);
  });

  it('the console designates a reader only with the recovery key', async () => {
    const wrong = await srv.cli(['intake', 'readers', 'add', ...srv.dbArgs, '--username', 'trmadechief'],
      Buffer.alloc(32, 7).toString('base64') + '\n');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr + wrong.stdout, /recovery key/);
    const list = await srv.cli(['intake', 'readers', 'list', ...srv.dbArgs]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${chief.username}\\t`, 'm'));
    assert.doesNotMatch(list.stdout, /trmadechief/);
  });

  it('the reporter replaces a code the operator saw; the old code dies', async () => {
    const created = await as[operator.username].post('/api/v1/intake/complaints', complaint());
    assert.equal(created.status, 201, created.text);
    const shared = created.json.receipt_code;
    const anon = srv.client();
    const post = (path, fields) => anon.post(path, new URLSearchParams(fields).toString(), { contentType: 'application/x-www-form-urlencoded' });
    const first = await post('/report/follow-up', { code: shared, lang: 'fr' });
    assert.equal(first.status, 200);
    assert.match(first.text, /Obtenir un nouveau code/);
    const replaced = await post('/report/follow-up/new-code', { code: shared, lang: 'fr' });
    assert.equal(replaced.status, 201, replaced.text.slice(0, 300));
    const fresh = replaced.text.match(/id="receipt">([0-9A-Z-]{19})</)[1];
    assert.notEqual(fresh, shared);
    assert.equal((await post('/report/follow-up', { code: shared, lang: 'fr' })).status, 404);
    const later = await post('/report/follow-up', { code: fresh, lang: 'en' });
    assert.equal(later.status, 200);
    assert.doesNotMatch(later.text, /Get a new code/);
    assert.equal((await post('/report/follow-up/new-code', { code: fresh, lang: 'en' })).status, 404);
  });

  it('the town typed on /report is nowhere in clear', async () => {
    const TOWN = 'Village Synthetique Orvannelle';
    const anon = srv.client();
    const sent = await anon.post('/report', new URLSearchParams({ narrative: 'Synthetic.', town: TOWN, lang: 'en' }).toString(),
      { contentType: 'application/x-www-form-urlencoded' });
    assert.equal(sent.status, 201, sent.text.slice(0, 300));
    const queue = await as[chief.username].get('/api/v1/intake/complaints?status=all');
    const mine = queue.json.complaints.filter((c) => c.channel === 'web').sort((a, b) => b.id - a.id)[0];
    assert.equal(mine.town, '');
    const detail = await as[chief.username].get(`/api/v1/intake/complaints/${mine.id}`);
    assert.equal(detail.json.identifying.place_text, TOWN);
    const bytes = await srv.databaseBytes();
    assert.equal(bytes.includes(TOWN), false, 'the town is in the database in clear');
  });

  it('a connection over its hourly limit on /report is told whom to call', async () => {
    const anon = srv.client();
    let limited = null;
    for (let i = 0; i < 40 && !limited; i += 1) {
      const r = await anon.post('/report', new URLSearchParams({ narrative: `Synthetic ${i}.`, lang: 'en' }).toString(),
        { contentType: 'application/x-www-form-urlencoded' });
      if (r.status === 429) limited = r;
      else assert.equal(r.status, 201, r.text.slice(0, 300));
    }
    assert.ok(limited, 'the per-address limit refuses a report');
    assert.match(limited.text, /Call the free hotlines 4044 or 4445/);
    assert.doesNotMatch(limited.text, /Wait a minute/);
  });
});
