// User management and the audit log (docs/api.md: /roles, /users, /users/{id}, /audit).
//
// Choices where docs/api.md is silent (the stricter reading; the server should match):
// - User objects carry the documented keys and nothing secret-looking (no password hash, no TOTP secret).
// - Weak passwords: fewer than 12 characters, or a well-known password such as `password1234`, or the username
//   itself → 400 validation_failed, field "password". The same rule applies to PATCH {"password"}.
// - A username that differs from an existing one only in letter case is refused (409 conflict, or 400 if the
//   server only allows lower case), and no second account is created.
// - PATCH on /users/{id} with a non-numeric id answers 404 (or 400), never 500.
// - `limit` above 500 is refused with 400 validation_failed (field "limit") rather than silently clamped.
// - A role change or disabling takes effect on the user's very next request (no cached permissions): after a
//   role change the open session either carries the new role or has ended (401).
// - The audit entry of a request carries that request's X-Request-Id; audit entries never contain passwords.
// - CSV export: Content-Type text/csv, a header row naming the columns, one row per entry.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, strongPassword, uniq, loginEnrolled, assertError, assertUser, ISO_UTC, stepUp,
} from '../support/server.mjs';

const admin = { username: 'uadmin', role: 'admin', password: strongPassword() };
const intake = { username: 'uintake', role: 'intake_operator', password: strongPassword() };

const ROLES = {
  admin: true, cdt_chief: true, cdt_officer: true, intake_operator: false, vra: true, investigator: true,
  cbcm_focal_point: false, training_officer: false, risk_officer: false, partner_focal_point: false, leadership: false,
  provider_case_manager: true,
};

describe('users and audit', { timeout: 120000 }, () => {
  let srv;
  let ac;
  let ic; // intake client
  let adminId;
  let created; // {id, username, password}
  let createRequestId;

  async function listUsers() {
    const r = await ac.get('/api/v1/users');
    assert.equal(r.status, 200, r.text);
    return r.json.users;
  }

  before(async () => {
    srv = await startServer({ users: [admin, intake] });
    ({ client: ac } = await loginEnrolled(srv, admin));
    adminId = ac.user.id;
    ic = srv.client();
    assert.equal((await ic.login(intake.username, intake.password)).status, 200);
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('GET /roles lists the twelve roles with their 2FA requirement', async () => {
    const r = await ac.get('/api/v1/roles');
    assert.equal(r.status, 200, r.text);
    const got = Object.fromEntries(r.json.roles.map((x) => [x.name, x.totp_required]));
    assert.deepEqual(got, ROLES);
  });

  it('GET /users lists users in the documented shape', async () => {
    const users = await listUsers();
    assert.ok(users.length >= 2);
    for (const u of users) assertUser(u);
    const a = users.find((u) => u.username === admin.username);
    assertUser(a, { role: 'admin', totp_enabled: true, totp_required: true, disabled: false });
    assert.match(a.last_login_at, ISO_UTC);
  });

  it('POST /users creates a user (201 {user}) who can log in', async () => {
    const body = { username: uniq('new'), display_name: 'New Person', role: 'intake_operator', password: strongPassword() };
    const r = await ac.post('/api/v1/users', body);
    assert.equal(r.status, 201, r.text);
    assertUser(r.json.user, { username: body.username, display_name: 'New Person', role: 'intake_operator', disabled: false, totp_enabled: false, totp_required: false });
    assert.ok(!r.text.includes(body.password), 'the answer must not contain the password');
    createRequestId = r.headers.get('x-request-id');
    created = { id: r.json.user.id, username: body.username, password: body.password };
    assert.ok((await listUsers()).some((u) => u.id === created.id));
    const l = await srv.client().login(body.username, body.password);
    assert.equal(l.status, 200, l.text);
  });

  it('POST /users without display_name is accepted (it is optional)', async () => {
    const r = await ac.post('/api/v1/users', { username: uniq('nodn'), role: 'leadership', password: strongPassword() });
    assert.equal(r.status, 201, r.text);
  });

  it('POST /users with a taken username → 409 conflict', async () => {
    const r = await ac.post('/api/v1/users', { username: created.username, role: 'leadership', password: strongPassword() });
    assertError(r, 409, 'conflict');
  });

  it('a username differing only in case does not create a second account', async () => {
    const before = (await listUsers()).length;
    const r = await ac.post('/api/v1/users', { username: created.username.toUpperCase(), role: 'leadership', password: strongPassword() });
    assert.ok([400, 409].includes(r.status), `expected 409 (or 400), got ${r.status} ${r.text}`);
    assertError(r, r.status);
    assert.equal((await listUsers()).length, before);
  });

  it('a password under 12 characters → 400 validation_failed, field password', async () => {
    const name = uniq('weak');
    const r = await ac.post('/api/v1/users', { username: name, role: 'intake_operator', password: 'Sh0rt-pw!x' });
    assertError(r, 400, 'validation_failed', 'password');
    assert.ok(!(await listUsers()).some((u) => u.username === name));
  });

  it('a common password (password1234) → 400 validation_failed, field password', async () => {
    const name = uniq('common');
    const r = await ac.post('/api/v1/users', { username: name, role: 'intake_operator', password: 'password1234' });
    assertError(r, 400, 'validation_failed', 'password');
    assert.ok(!(await listUsers()).some((u) => u.username === name));
  });

  it('a password equal to the username → 400 validation_failed, field password', async () => {
    const name = 'samepassword' + Date.now();
    const r = await ac.post('/api/v1/users', { username: name, role: 'intake_operator', password: name });
    assertError(r, 400, 'validation_failed', 'password');
  });

  it('an unknown role → 400 validation_failed, field role', async () => {
    const r = await ac.post('/api/v1/users', { username: uniq('role'), role: 'superuser', password: strongPassword() });
    assertError(r, 400, 'validation_failed', 'role');
  });

  it('missing required fields → 400 validation_failed', async () => {
    assertError(await ac.post('/api/v1/users', { username: uniq('nopw'), role: 'leadership' }), 400, 'validation_failed', 'password');
    assertError(await ac.post('/api/v1/users', { role: 'leadership', password: strongPassword() }), 400, 'validation_failed', 'username');
  });

  it('wrong JSON types → 400', async () => {
    const r = await ac.post('/api/v1/users', { username: 42, role: 'leadership', password: strongPassword() });
    assertError(r, 400, 'validation_failed', 'username');
    const r2 = await ac.post('/api/v1/users', ['not', 'an', 'object']);
    assert.equal(r2.status, 400, r2.text);
    assertError(r2, 400);
  });

  it('an unknown field → 400 unknown_field, user not created', async () => {
    const name = uniq('unk');
    const r = await ac.post('/api/v1/users', { username: name, role: 'leadership', password: strongPassword(), is_admin: true });
    assertError(r, 400, 'unknown_field');
    assert.ok(!(await listUsers()).some((u) => u.username === name));
  });

  it('PATCH /users/{id} changes display_name and role', async () => {
    const r = await ac.patch(`/api/v1/users/${created.id}`, { display_name: 'Renamed', role: 'leadership', ...(await stepUp(admin)) });
    assert.equal(r.status, 200, r.text);
    assertUser(r.json.user, { id: created.id, display_name: 'Renamed', role: 'leadership' });
    const u = (await listUsers()).find((x) => x.id === created.id);
    assert.equal(u.role, 'leadership');
    assert.equal(u.display_name, 'Renamed');
  });

  it('a role change takes effect on the user\'s next request (new role, or the session ends)', async () => {
    const c = srv.client();
    assert.equal((await c.login(created.username, created.password)).status, 200);
    assert.equal((await ac.patch(`/api/v1/users/${created.id}`, { role: 'training_officer', ...(await stepUp(admin)) })).status, 200);
    const me = await c.get('/api/v1/auth/me');
    if (me.status === 401) {
      assertError(me, 401, 'unauthenticated');
    } else {
      assert.equal(me.status, 200, me.text);
      assert.equal(me.json.user.role, 'training_officer', 'the session still carries the old role');
    }
    const l = await srv.client().login(created.username, created.password);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.json.user.role, 'training_officer');
  });

  it('PATCH to a 2FA role makes the user enrol', async () => {
    const u = await ac.post('/api/v1/users', { username: uniq('promo'), role: 'leadership', password: strongPassword() });
    assert.equal(u.status, 201, u.text);
    const r = await ac.patch(`/api/v1/users/${u.json.user.id}`, { role: 'investigator', ...(await stepUp(admin)) });
    assert.equal(r.status, 200, r.text);
    assertUser(r.json.user, { role: 'investigator', totp_required: true, totp_enabled: false });
  });

  it('PATCH disabled: true / false', async () => {
    let r = await ac.patch(`/api/v1/users/${created.id}`, { disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.disabled, true);
    assertError(await srv.client().login(created.username, created.password), 401, 'invalid_credentials');
    r = await ac.patch(`/api/v1/users/${created.id}`, { disabled: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.disabled, false);
    assert.equal((await srv.client().login(created.username, created.password)).status, 200);
  });

  it('PATCH password: a weak one is refused (field password), a strong one works', async () => {
    assertError(await ac.patch(`/api/v1/users/${created.id}`, { password: 'short' }), 400, 'validation_failed', 'password');
    assertError(await ac.patch(`/api/v1/users/${created.id}`, { password: 'password1234' }), 400, 'validation_failed', 'password');
    const pw = strongPassword();
    const r = await ac.patch(`/api/v1/users/${created.id}`, { password: pw, ...(await stepUp(admin)) });
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes(pw));
    assert.equal((await srv.client().login(created.username, pw)).status, 200);
    created.password = pw;
  });

  it('PATCH with an unknown role → 400 field role; unknown field → 400 unknown_field; wrong type → 400', async () => {
    assertError(await ac.patch(`/api/v1/users/${created.id}`, { role: 'root' }), 400, 'validation_failed', 'role');
    assertError(await ac.patch(`/api/v1/users/${created.id}`, { username: 'renamed' }), 400, 'unknown_field');
    assertError(await ac.patch(`/api/v1/users/${created.id}`, { disabled: 'yes' }), 400, 'validation_failed', 'disabled');
  });

  it('PATCH on a missing id → 404 not_found', async () => {
    assertError(await ac.patch('/api/v1/users/987654321', { display_name: 'x' }), 404, 'not_found');
  });

  it('PATCH on a non-numeric id → 404 (or 400), never 5xx', async () => {
    const r = await ac.patch('/api/v1/users/abc', { display_name: 'x' });
    assert.ok([400, 404].includes(r.status), `${r.status} ${r.text}`);
    assertError(r, r.status);
  });

  it('a non-admin (intake_operator) gets 403 forbidden on user management and audit', async () => {
    assertError(await ic.get('/api/v1/users'), 403, 'forbidden');
    assertError(await ic.get('/api/v1/roles'), 403, 'forbidden');
    assertError(await ic.get('/api/v1/audit'), 403, 'forbidden');
    const name = uniq('byintake');
    assertError(await ic.post('/api/v1/users', { username: name, role: 'admin', password: strongPassword() }), 403, 'forbidden');
    assertError(await ic.patch(`/api/v1/users/${ic.user.id}`, { role: 'admin' }), 403, 'forbidden');
    assertError(await ic.patch(`/api/v1/users/${adminId}`, { disabled: true }), 403, 'forbidden');
    const users = await listUsers();
    assert.ok(!users.some((u) => u.username === name));
    assert.equal(users.find((u) => u.id === ic.user.id).role, 'intake_operator');
  });

  it('the audit log has a user.create entry for the created user, with the request id', async () => {
    const r = await ac.get('/api/v1/audit?action=user.create');
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.entries));
    assert.ok('next_before_id' in r.json);
    for (const e of r.json.entries) assert.equal(e.action, 'user.create');
    const e = r.json.entries.find((x) => x.object_id === String(created.id));
    assert.ok(e, `no user.create entry with object_id "${created.id}": ${r.text.slice(0, 1000)}`);
    assert.equal(e.object_type, 'user');
    assert.equal(e.actor, admin.username);
    assert.equal(e.actor_id, adminId);
    assert.match(e.ts, ISO_UTC);
    assert.equal(typeof e.id, 'number');
    assert.match(e.hash, /^[0-9a-f]{32,}$/);
    assert.ok(createRequestId, 'the create answer had no X-Request-Id');
    assert.equal(e.request_id, createRequestId);
  });

  it('audit entries are newest first and page with limit / before_id', async () => {
    const p1 = await ac.get('/api/v1/audit?limit=2');
    assert.equal(p1.status, 200, p1.text);
    assert.equal(p1.json.entries.length, 2);
    assert.equal(typeof p1.json.next_before_id, 'number');
    const p2 = await ac.get(`/api/v1/audit?limit=2&before_id=${p1.json.next_before_id}`);
    assert.equal(p2.status, 200, p2.text);
    assert.equal(p2.json.entries.length, 2);
    // (reading the audit log may itself be audited, so compare with a listing taken afterwards)
    const all = await ac.get('/api/v1/audit?limit=500');
    assert.equal(all.status, 200, all.text);
    const ids = all.json.entries.map((e) => e.id);
    assert.ok(ids.length >= 4, `expected several entries, got ${ids.length}`);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'entries must be newest first');
    const i = ids.indexOf(p1.json.entries[1].id);
    assert.ok(i >= 1, 'page 1 entries missing from the full listing');
    assert.deepEqual(p1.json.entries.map((e) => e.id), ids.slice(i - 1, i + 1));
    assert.deepEqual(p2.json.entries.map((e) => e.id), ids.slice(i + 1, i + 3), 'page 2 must continue where page 1 ended');
  });

  it('audit filters by actor and object', async () => {
    const r = await ac.get(`/api/v1/audit?object_type=user&object_id=${created.id}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.entries.length >= 1);
    for (const e of r.json.entries) {
      assert.equal(e.object_type, 'user');
      assert.equal(e.object_id, String(created.id));
    }
    const byActor = await ac.get(`/api/v1/audit?actor=${encodeURIComponent(admin.username)}&limit=500`);
    assert.equal(byActor.status, 200, byActor.text);
    for (const e of byActor.json.entries) assert.equal(e.actor, admin.username);
  });

  it('audit limit above 500 → 400 validation_failed', async () => {
    assertError(await ac.get('/api/v1/audit?limit=501'), 400, 'validation_failed', 'limit');
    assertError(await ac.get('/api/v1/audit?limit=abc'), 400, 'validation_failed', 'limit');
  });

  it('the audit log never contains the passwords that were set', async () => {
    const r = await ac.get('/api/v1/audit?limit=500');
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(created.password));
    assert.ok(!r.text.includes(admin.password));
    const csv = await ac.get('/api/v1/audit?format=csv&limit=500');
    assert.ok(!csv.text.includes(created.password));
  });

  it('GET /audit?format=csv answers text/csv with a header row and the user.create entries', async () => {
    const r = await ac.get('/api/v1/audit?format=csv');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') || '', /^text\/csv/i);
    const lines = r.text.split(/\r?\n/).filter((l) => l.length);
    assert.ok(lines.length >= 2, r.text);
    assert.match(lines[0], /\baction\b/);
    assert.ok(r.text.includes('user.create'));
  });
});
