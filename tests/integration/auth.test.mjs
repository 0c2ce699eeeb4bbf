// Login, logout, /auth/me and the login rate limits (docs/api.md, POST /api/v1/auth/login).
//
// Choices where docs/api.md is silent (the stricter reading; the server should match):
// - The session cookie has no Domain attribute (host-only) and no Secure attribute on plain http.
// - The login answer never contains the session token itself (it travels only in the HttpOnly cookie),
//   and a psea_session cookie sent with the login (session fixation) is never reused: a fresh token is issued.
// - A disabled user who gives the right password gets exactly the wrong-password answer
//   (401 invalid_credentials, same message), no cookie; disabling revokes the user's open sessions at once.
// - The per-account limit (5 failures) counts failures from every source address: a 6th attempt from
//   another address is refused too; unknown usernames are limited in the same way (no enumeration by lockout).
// - The per-source limit (20 failures) keys on the TCP peer address; X-Forwarded-For is not trusted by default.
//   Another source address is not affected by it.
// - Attempts that are refused with 429 are not evaluated (even the right password answers 429).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, strongPassword, uniq, loginEnrolled, assertError, assertUser, cookieIsCleared, ApiClient,
} from '../support/server.mjs';

const admin = { username: 'authadmin', role: 'admin', password: strongPassword() };
const alice = { username: 'alice', role: 'intake_operator', password: strongPassword(), displayName: 'Alice Intake' };
const bob = { username: 'bob', role: 'leadership', password: strongPassword() };
const locky = { username: 'locky', role: 'intake_operator', password: strongPassword() };
const dora = { username: 'dora', role: 'intake_operator', password: strongPassword() };

describe('auth', { timeout: 120000 }, () => {
  let srv;
  let adminClient;

  before(async () => {
    srv = await startServer({ users: [admin, alice, bob, locky, dora] });
    ({ client: adminClient } = await loginEnrolled(srv, admin));
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('login succeeds and sets an HttpOnly, SameSite=Strict, Path=/ session cookie without Secure on http', async () => {
    const c = srv.client();
    const r = await c.login(alice.username, alice.password);
    assert.equal(r.status, 200, r.text);
    assertUser(r.json.user, { username: 'alice', role: 'intake_operator', display_name: 'Alice Intake', disabled: false });
    assert.equal(r.json.enrolment_required, false);
    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 22, 'csrf_token shorter than 128 bits');
    const ck = r.setCookie;
    assert.ok(ck, `no psea_session Set-Cookie; headers: ${JSON.stringify([...r.headers])}`);
    assert.ok(ck.value.length > 0);
    assert.equal(ck.attrs.httponly, true, `HttpOnly missing: ${ck.raw}`);
    assert.equal(String(ck.attrs.samesite).toLowerCase(), 'strict', `SameSite=Strict missing: ${ck.raw}`);
    assert.equal(ck.attrs.path, '/', `Path=/ missing: ${ck.raw}`);
    assert.equal(ck.attrs.secure, undefined, `Secure must not be set on plain http: ${ck.raw}`);
    assert.equal(ck.attrs.domain, undefined, `Domain must not be set (host-only cookie): ${ck.raw}`);
    assert.ok(!r.text.includes(ck.value), 'the login body must not contain the session token');
  });

  it('GET /auth/me answers the documented shape for a session', async () => {
    const c = srv.client();
    const l = await c.login(alice.username, alice.password);
    assert.equal(l.status, 200, l.text);
    const r = await c.get('/api/v1/auth/me');
    assert.equal(r.status, 200, r.text);
    assertUser(r.json.user, { username: 'alice', id: l.json.user.id });
    assert.equal(r.json.csrf_token, l.json.csrf_token, 'me.csrf_token must be the session\'s token from login');
    assert.equal(r.json.enrolment_required, false);
    assert.ok(Array.isArray(r.json.permissions));
    assert.ok(!r.json.permissions.includes('users.manage'), 'intake_operator must not have users.manage');
    assert.equal(r.json.demo, false, 'a fresh test database is not a demo database');
    assert.equal(typeof r.json.vault_unlocked, 'boolean');
  });

  it('GET /auth/me lists the admin permissions users.manage, audit.read, tokens.manage', async () => {
    const r = await adminClient.get('/api/v1/auth/me');
    assert.equal(r.status, 200, r.text);
    for (const p of ['users.manage', 'audit.read', 'tokens.manage']) assert.ok(r.json.permissions.includes(p), `missing ${p}`);
    assert.equal(r.json.user.role, 'admin');
    assert.equal(r.json.user.totp_enabled, true);
  });

  it('GET /auth/me without a session answers 401 unauthenticated', async () => {
    assertError(await srv.client().get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('a made-up session cookie answers 401 unauthenticated', async () => {
    const c = srv.client();
    c.session = 'A'.repeat(43);
    assertError(await c.get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('wrong password answers 401 invalid_credentials and sets no cookie', async () => {
    const r = await srv.client().login(bob.username, bob.password + 'x');
    assertError(r, 401, 'invalid_credentials');
    assert.equal(r.setCookie, null, 'no session cookie on failure');
  });

  it('an unknown user gets the same status, code and message as a wrong password', async () => {
    const wrong = await srv.client().login(bob.username, 'Not-The-Password-123');
    const unknown = await srv.client().login('nosuchuser' + Date.now(), 'Not-The-Password-123');
    assertError(wrong, 401, 'invalid_credentials');
    assertError(unknown, 401, 'invalid_credentials');
    assert.deepEqual(unknown.json, wrong.json);
    assert.equal(unknown.setCookie, null);
  });

  it('a session cookie sent with the login is not reused (no session fixation); two logins get different tokens', async () => {
    const planted = 'planted' + 'x'.repeat(40);
    const c = srv.client();
    const r = await c.login(bob.username, bob.password, undefined, { headers: { Cookie: `psea_session=${planted}` } });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.setCookie);
    assert.notEqual(r.setCookie.value, planted);
    const c2 = srv.client();
    const r2 = await c2.login(bob.username, bob.password);
    assert.equal(r2.status, 200, r2.text);
    assert.notEqual(r2.setCookie.value, r.setCookie.value);
    assert.notEqual(r2.json.csrf_token, r.json.csrf_token);
    const planted401 = srv.client();
    planted401.session = planted;
    assertError(await planted401.get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('logout answers 204, clears the cookie and revokes the session (old cookie → 401)', async () => {
    const c = srv.client();
    assert.equal((await c.login(bob.username, bob.password)).status, 200);
    const oldCookie = c.session;
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    const r = await c.post('/api/v1/auth/logout', {});
    assert.equal(r.status, 204, r.text);
    assert.ok(r.setCookie, 'logout must send a Set-Cookie for psea_session');
    assert.ok(cookieIsCleared(r.setCookie), `cookie not cleared: ${r.setCookie.raw}`);
    const stale = srv.client();
    stale.session = oldCookie;
    assertError(await stale.get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('logout revokes only that session; another session of the same user stays valid', async () => {
    const a = srv.client();
    const b = srv.client();
    assert.equal((await a.login(bob.username, bob.password)).status, 200);
    assert.equal((await b.login(bob.username, bob.password)).status, 200);
    assert.equal((await a.logout()).status, 204);
    assert.equal((await b.get('/api/v1/auth/me')).status, 200);
  });

  it('a user created with the CLI while the server runs can log in', async () => {
    const late = await srv.createUser({ username: uniq('late'), role: 'leadership', password: strongPassword() });
    const r = await srv.client().login(late.username, late.password);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.role, 'leadership');
    assert.equal(r.json.enrolment_required, false);
  });

  it('after 5 failures for one account the 6th attempt, even with the right password, answers 429 with Retry-After', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await srv.client().login(locky.username, `wrong-password-${i}-xyz`);
      assertError(r, 401, 'invalid_credentials');
    }
    const r6 = await srv.client().login(locky.username, locky.password);
    assertError(r6, 429, 'rate_limited');
    const ra = r6.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After must be whole seconds, got ${ra}`);
    assert.ok(Number(ra) > 0);
    assert.equal(r6.setCookie, null);
    // the same account from another source address is locked too
    const other = new ApiClient(srv.baseUrl, { localAddress: '127.0.0.2' });
    const r7 = await other.login(locky.username, locky.password);
    assertError(r7, 429, 'rate_limited');
    // another account is not affected
    assert.equal((await srv.client().login(dora.username, dora.password)).status, 200);
  });

  it('an unknown username is locked after 5 failures like a real one', async () => {
    const ghost = uniq('ghost');
    for (let i = 1; i <= 5; i++) assertError(await srv.client().login(ghost, `Wrong-password-${i}-xyz`), 401, 'invalid_credentials');
    const r = await srv.client().login(ghost, 'Wrong-password-6-xyz');
    assertError(r, 429, 'rate_limited');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  });

  it('a disabled user cannot log in and their open session is revoked', async () => {
    const u = await srv.createUser({ username: uniq('dis'), role: 'intake_operator', password: strongPassword() });
    const c = srv.client();
    const l = await c.login(u.username, u.password);
    assert.equal(l.status, 200, l.text);
    const id = l.json.user.id;
    const p = await adminClient.patch(`/api/v1/users/${id}`, { disabled: true });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.user.disabled, true);
    assertError(await c.get('/api/v1/auth/me'), 401, 'unauthenticated');
    const again = await srv.client().login(u.username, u.password);
    assertError(again, 401, 'invalid_credentials');
    assert.equal(again.setCookie, null);
    const wrong = await srv.client().login(u.username, u.password + 'zz');
    assert.deepEqual(again.json, wrong.json, 'a disabled account must answer like a wrong password');
  });
});

describe('login rate limit per source address', { timeout: 120000 }, () => {
  let srv;
  const users = [];
  before(async () => {
    for (let i = 0; i < 10; i++) users.push({ username: `spray${i}`, role: 'intake_operator', password: strongPassword() });
    users.push({ username: 'victim', role: 'intake_operator', password: strongPassword() });
    srv = await startServer({ users });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('20 failures from one address across many usernames → the next attempt answers 429, even with the right password', async () => {
    let n = 0;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10; i++) {
        const r = await srv.client().login(`spray${i}`, `Wrong-password-${round}-${i}`);
        n++;
        assertError(r, 401, 'invalid_credentials');
      }
    }
    assert.equal(n, 20);
    const victim = users[10];
    const r = await srv.client().login(victim.username, victim.password);
    assertError(r, 429, 'rate_limited');
    const ra = r.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After: ${ra}`);
    assert.ok(Number(ra) > 0);
  });

  it('X-Forwarded-For does not lift the per-source limit', async () => {
    const victim = users[10];
    const r = await srv.client().login(victim.username, victim.password, undefined, {
      headers: { 'X-Forwarded-For': '198.51.100.7', 'X-Real-IP': '198.51.100.7', Forwarded: 'for=198.51.100.7' },
    });
    assertError(r, 429, 'rate_limited');
  });

  it('another source address can still log in', async () => {
    const victim = users[10];
    const c = new ApiClient(srv.baseUrl, { localAddress: '127.0.0.3' });
    const r = await c.login(victim.username, victim.password);
    assert.equal(r.status, 200, r.text);
  });
});
