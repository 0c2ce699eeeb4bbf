// The error contract (docs/api.md, Conventions: one error shape, status → code table) and robustness against
// malformed requests sent as raw bytes over TCP.
//
// Choices where docs/api.md is silent (the stricter reading; the server should match):
// - Error bodies are exactly {"error": {"code", "message", "field"?}} with Content-Type application/json.
// - A missing Content-Type on a JSON endpoint is 415 like a wrong one; `application/json; charset=utf-8` is fine.
// - 413 is decided from Content-Length before the body is read (a client announcing 5 MB gets 413 without
//   sending it); a chunked body over 1 MiB is refused too (413, or 411/400 if chunked uploads are not supported).
// - 405 answers carry an Allow header listing the methods of that path.
// - POST /auth/totp/confirm for a user who is not enrolling: docs/api.md does not say → 409 conflict or
//   422 unprocessable are both accepted.
// - Malformed requests always get a 4xx answer (never a dropped connection, never 5xx), and the server keeps
//   serving: invalid UTF-8 in JSON → 400; numbers out of range (1e999999, 99999999999999999999999) → 400;
//   100000 nested arrays → 4xx; nesting that fits under the smallest body limit (12000 levels) → 400 (no stack
//   overflow); a NUL in the path → 400 or 404; a raw NUL byte inside a
//   JSON string → 400; headers over 16 KiB → 431 or 400; a garbage request line → 400; request smuggling
//   shapes (Content-Length with Transfer-Encoding, two different Content-Lengths) → 400.
// - Path traversal outside the web root never answers a file from outside it.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, strongPassword, uniq, loginEnrolled, assertError, rawRequest, buildRequest, httpRequest,
} from '../support/server.mjs';

const admin = { username: 'erradmin', role: 'admin', password: strongPassword() };
const intake = { username: 'errintake', role: 'intake_operator', password: strongPassword() };
const lockme = { username: 'errlock', role: 'intake_operator', password: strongPassword() };

const MiB = 1024 * 1024;

describe('error responses', { timeout: 120000 }, () => {
  let srv;
  let ac;
  let ic;

  async function usernames() {
    const r = await ac.get('/api/v1/users');
    assert.equal(r.status, 200, r.text);
    return r.json.users.map((u) => u.username);
  }

  /** Raw request headers for the admin session. */
  function adminHeaders(extra = []) {
    return [['Cookie', `psea_session=${ac.session}`], ['X-CSRF-Token', ac.csrf], ...extra];
  }

  async function assertHealthy() {
    const r = await httpRequest(srv.baseUrl + '/healthz', { timeoutMs: 5000 });
    assert.equal(r.status, 200, `server not healthy after the malformed request: ${r.status} ${r.text}`);
  }

  function assert4xx(res, what, allowed) {
    assert.ok(res.status !== null, `${what}: no HTTP answer (connection closed${res.timedOut ? ', timed out' : ''}); got ${JSON.stringify(res.raw?.slice(0, 200))}`);
    if (allowed) assert.ok(allowed.includes(res.status), `${what}: expected ${allowed.join('/')}, got ${res.statusLine}\n${res.text?.slice(0, 300)}`);
    else assert.ok(res.status >= 400 && res.status < 500, `${what}: expected a 4xx, got ${res.statusLine}\n${res.text?.slice(0, 300)}`);
  }

  before(async () => {
    srv = await startServer({ users: [admin, intake, lockme] });
    ({ client: ac } = await loginEnrolled(srv, admin));
    ic = srv.client();
    assert.equal((await ic.login(intake.username, intake.password)).status, 200);
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('a server run from the build tree serves the built app (web/dist), never the source web/', async () => {
    const r = await srv.client().get('/');
    if (r.status === 404) return; // no web/dist: the web app was not built
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('/src/main.ts'), 'Vite source index.html served instead of web/dist');
  });

  it('400 bad_json for a body that is not JSON', async () => {
    assertError(await srv.client().post('/api/v1/auth/login', '{"username": "x", "password": '), 400, 'bad_json');
    assertError(await srv.client().post('/api/v1/auth/login', 'not json at all'), 400, 'bad_json');
    assertError(await ac.post('/api/v1/users', '{"username":"a",}'), 400, 'bad_json');
    assertError(await ac.post('/api/v1/users', ''), 400);
  });

  it('400 unknown_field for an unknown JSON field', async () => {
    assertError(await srv.client().post('/api/v1/auth/login', { username: 'x', password: 'y', remember_me: true }), 400, 'unknown_field');
  });

  it('400 validation_failed for a missing field, with field', async () => {
    assertError(await srv.client().post('/api/v1/auth/login', { username: 'x' }), 400, 'validation_failed', 'password');
  });

  it('401 unauthenticated without a session', async () => {
    const c = srv.client();
    assertError(await c.get('/api/v1/auth/me'), 401, 'unauthenticated');
    assertError(await c.get('/api/v1/users'), 401, 'unauthenticated');
    assertError(await c.post('/api/v1/users', { username: 'x', role: 'admin', password: strongPassword() }), 401, 'unauthenticated');
    assertError(await c.del('/api/v1/tokens/1'), 401, 'unauthenticated');
  });

  it('403 forbidden for a role without the permission', async () => {
    assertError(await ic.get('/api/v1/users'), 403, 'forbidden');
  });

  it('404 not_found for an unknown /api/v1 path', async () => {
    assertError(await ac.get('/api/v1/no-such-thing'), 404, 'not_found');
    assertError(await ac.get('/api/v1/users/1/nothing'), 404, 'not_found');
    assertError(await ac.post('/api/v1/no-such-thing', {}), 404, 'not_found');
    assertError(await ac.get('/api/v2/users'), 404, 'not_found');
  });

  it('404 not_found for a missing record', async () => {
    assertError(await ac.patch('/api/v1/users/99999999', { display_name: 'x' }), 404, 'not_found');
    assertError(await ac.del('/api/v1/tokens/99999999'), 404, 'not_found');
  });

  it('405 method_not_allowed on a known path, with an Allow header', async () => {
    const r = await ac.del('/api/v1/users');
    assertError(r, 405, 'method_not_allowed');
    const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
    assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${r.headers.get('allow')}`);
    assert.ok(!allow.includes('DELETE'));

    const l = await srv.client().get('/api/v1/auth/login');
    assertError(l, 405, 'method_not_allowed');
    assert.ok((l.headers.get('allow') || '').toUpperCase().includes('POST'), `Allow: ${l.headers.get('allow')}`);

    const p = await ac.put('/api/v1/users/1', { display_name: 'x' });
    assertError(p, 405, 'method_not_allowed');
    assert.ok((p.headers.get('allow') || '').toUpperCase().includes('PATCH'), `Allow: ${p.headers.get('allow')}`);
  });

  it('409 conflict for a taken username', async () => {
    assertError(await ac.post('/api/v1/users', { username: intake.username, role: 'leadership', password: strongPassword() }), 409, 'conflict');
  });

  it('413 payload_too_large for a body over 1 MiB, and nothing is written', async () => {
    const before = await usernames();
    const name = uniq('huge');
    const body = JSON.stringify({ username: name, role: 'leadership', password: strongPassword(), display_name: 'x'.repeat(MiB + 1024) });
    const r = await rawRequest(srv.port, buildRequest('POST', '/api/v1/users', adminHeaders([['Content-Type', 'application/json']]), body));
    assert.equal(r.status, 413, `expected 413, got ${r.statusLine} ${r.text?.slice(0, 300)}`);
    assert.equal(r.json?.error?.code, 'payload_too_large', r.text);
    const after = await usernames();
    assert.deepEqual(after, before);
    await assertHealthy();
  });

  it('413 from Content-Length alone, without waiting for the body', async () => {
    const head = buildRequest('POST', '/api/v1/users', adminHeaders([['Content-Type', 'application/json'], ['Content-Length', String(5 * MiB)]]));
    const r = await rawRequest(srv.port, Buffer.concat([head, Buffer.from('{"username":')]), { timeoutMs: 5000 });
    assert.equal(r.status, 413, `expected 413, got ${r.timedOut ? 'a timeout' : r.statusLine}`);
    await assertHealthy();
  });

  it('a chunked body over 1 MiB is refused and nothing is written', async () => {
    const name = uniq('chunk');
    const json = Buffer.from(JSON.stringify({ username: name, role: 'leadership', password: strongPassword(), display_name: 'y'.repeat(MiB + 1024) }));
    const parts = [];
    for (let i = 0; i < json.length; i += 65536) {
      const c = json.subarray(i, i + 65536);
      parts.push(Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    const head = buildRequest('POST', '/api/v1/users', adminHeaders([['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']]));
    const r = await rawRequest(srv.port, Buffer.concat([head, ...parts]));
    assert4xx(r, 'chunked > 1 MiB', [413, 411, 400]);
    assert.ok(!(await usernames()).includes(name));
    await assertHealthy();
  });

  it('a body within an endpoint\'s own limit is not refused as too large', async () => {
    // docs/api.md: the user endpoints take at most 16 KiB. A PATCH on a missing user: nothing
    // can be written, the answer must be about the record, not the size.
    const body = JSON.stringify({ display_name: 'z'.repeat(90) + ' '.repeat(0) });
    const padded = body.slice(0, -1) + ' '.repeat(16 * 1024 - body.length - 10) + '}';
    assert.ok(Buffer.byteLength(padded) < 16 * 1024);
    const r = await ac.patch('/api/v1/users/99999999', padded);
    assert.notEqual(r.status, 413, r.text.slice(0, 300));
    assertError(r, 404, 'not_found');
    const over = await ac.patch('/api/v1/users/99999999', padded + ' '.repeat(1024));
    assertError(over, 413, 'payload_too_large');
  });

  it('415 unsupported_media_type for JSON with a text/plain or missing Content-Type', async () => {
    const body = JSON.stringify({ username: intake.username, password: intake.password });
    let r = await srv.client().post('/api/v1/auth/login', body, { contentType: 'text/plain' });
    assertError(r, 415, 'unsupported_media_type');
    assert.equal(r.setCookie, null);
    r = await srv.client().post('/api/v1/auth/login', body, { contentType: null });
    assertError(r, 415, 'unsupported_media_type');
    r = await srv.client().post('/api/v1/auth/login', body, { contentType: 'application/x-www-form-urlencoded' });
    assertError(r, 415, 'unsupported_media_type');
    const name = uniq('plain');
    r = await ac.post('/api/v1/users', JSON.stringify({ username: name, role: 'leadership', password: strongPassword() }), { contentType: 'text/plain' });
    assertError(r, 415, 'unsupported_media_type');
    assert.ok(!(await usernames()).includes(name));
  });

  it('application/json; charset=utf-8 is accepted', async () => {
    const r = await srv.client().post('/api/v1/auth/login', JSON.stringify({ username: intake.username, password: intake.password }),
      { contentType: 'application/json; charset=utf-8' });
    assert.equal(r.status, 200, r.text);
  });

  it('TOTP confirm when not enrolling → 409 conflict or 422 unprocessable', async () => {
    const r = await ic.post('/api/v1/auth/totp/confirm', { code: '123456' });
    assert.ok([409, 422].includes(r.status), `expected 409 or 422, got ${r.status} ${r.text}`);
    assertError(r, r.status, r.status === 409 ? 'conflict' : 'unprocessable');
  });

  it('429 rate_limited with Retry-After after 5 failed logins for an account', async () => {
    for (let i = 0; i < 5; i++) assertError(await srv.client().login(lockme.username, `Wrong-pass-${i}-abc`), 401, 'invalid_credentials');
    const r = await srv.client().login(lockme.username, lockme.password);
    assertError(r, 429, 'rate_limited');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  });

  // ------------------------------------------------------------------------------------------------
  // Malformed requests over raw TCP

  const loginRaw = (body, extra = []) => buildRequest('POST', '/api/v1/auth/login', [['Content-Type', 'application/json'], ...extra], body);

  it('raw: invalid UTF-8 inside a JSON string → 400', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"a'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","password":"Whatever-12345"}')]);
    const r = await rawRequest(srv.port, loginRaw(body));
    assert4xx(r, 'bad UTF-8', [400]);
    await assertHealthy();
  });

  it('raw: overlong UTF-8 encoding of "/" and a lone surrogate escape → 4xx', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('","password":"Whatever-12345"}')]);
    assert4xx(await rawRequest(srv.port, loginRaw(body)), 'overlong UTF-8', [400]);
    assert4xx(await rawRequest(srv.port, loginRaw('{"username":"\\ud800","password":"Whatever-12345"}')), 'lone surrogate');
    await assertHealthy();
  });

  for (const num of ['1e999999', '99999999999999999999999', '-1e999999', '1E400']) {
    it(`raw: number ${num} where an integer is expected → 400`, async () => {
      const body = `{"name":"n","scopes":["intake.sms"],"expires_in_days":${num}}`;
      const r = await rawRequest(srv.port, buildRequest('POST', '/api/v1/tokens', adminHeaders([['Content-Type', 'application/json']]), body));
      assert4xx(r, `expires_in_days ${num}`, [400]);
      const r2 = await rawRequest(srv.port, loginRaw(`{"username":${num},"password":"Whatever-12345"}`));
      assert4xx(r2, `username ${num}`, [400]);
      await assertHealthy();
    });
  }

  it('raw: 100000 nested arrays → 4xx and the server survives', async () => {
    // 100 kB: over the per-endpoint limit of some endpoints, so 413 is a fair answer here too
    const r = await rawRequest(srv.port, loginRaw('['.repeat(100000)));
    assert4xx(r, 'deep [');
    const r2 = await rawRequest(srv.port, loginRaw('['.repeat(100000) + ']'.repeat(100000)));
    assert4xx(r2, 'deep [ ]');
    const r3 = await rawRequest(srv.port, loginRaw('{"a":'.repeat(50000) + '1' + '}'.repeat(50000)));
    assert4xx(r3, 'deep {');
    await assertHealthy();
  });

  it('raw: deep nesting that fits in a small body (12000 levels, 12 kB) → 400', async () => {
    assert4xx(await rawRequest(srv.port, loginRaw('['.repeat(12000))), '12000 [', [400]);
    assert4xx(await rawRequest(srv.port, loginRaw('['.repeat(6000) + ']'.repeat(6000))), '6000 [ ]', [400]);
    assert4xx(await rawRequest(srv.port, loginRaw('{"a":'.repeat(2500) + '1' + '}'.repeat(2500))), '2500 {"a":', [400]);
    await assertHealthy();
  });

  it('raw: NUL byte in the path → 400 or 404', async () => {
    const req = Buffer.concat([Buffer.from('GET /api/v1/me'), Buffer.from([0]), Buffer.from('ta HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')]);
    assert4xx(await rawRequest(srv.port, req), 'NUL in path', [400, 404]);
    assert4xx(await rawRequest(srv.port, buildRequest('GET', '/api/v1/meta%00.json')), '%00 in path', [400, 404]);
    await assertHealthy();
  });

  it('raw: NUL byte in the body → 400', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"a'), Buffer.from([0]), Buffer.from('b","password":"Whatever-12345"}')]);
    assert4xx(await rawRequest(srv.port, loginRaw(body)), 'NUL in JSON string', [400]);
    const trailing = Buffer.concat([Buffer.from('{"username":"ab","password":"Whatever-12345"}'), Buffer.from([0])]);
    assert4xx(await rawRequest(srv.port, loginRaw(trailing)), 'NUL after the JSON value', [400]);
    await assertHealthy();
  });

  it('raw: escaped \\u0000 in a username is handled (4xx, not 5xx)', async () => {
    assert4xx(await rawRequest(srv.port, loginRaw('{"username":"adm\\u0000in","password":"Whatever-12345"}')), '\\u0000');
    await assertHealthy();
  });

  it('raw: NUL byte in a header value → 400', async () => {
    const req = Buffer.concat([Buffer.from('GET /api/v1/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a'), Buffer.from([0]), Buffer.from('b\r\nConnection: close\r\n\r\n')]);
    assert4xx(await rawRequest(srv.port, req), 'NUL in header', [400]);
    await assertHealthy();
  });

  it('raw: a header over 16 KiB → 431 or 400', async () => {
    const r = await rawRequest(srv.port, buildRequest('GET', '/api/v1/meta', [['X-Big', 'a'.repeat(17 * 1024)]]));
    assert4xx(r, 'big header', [431, 400]);
    const many = [];
    for (let i = 0; i < 2000; i++) many.push([`X-H${i}`, 'abcdefgh']);
    assert4xx(await rawRequest(srv.port, buildRequest('GET', '/api/v1/meta', many)), '2000 headers', [431, 400]);
    const longTarget = '/api/v1/meta?q=' + 'a'.repeat(20 * 1024);
    assert4xx(await rawRequest(srv.port, buildRequest('GET', longTarget)), '20 KiB request target', [414, 431, 400]);
    await assertHealthy();
  });

  // Framing errors are sent to GET /healthz, which would answer 200 if the server parsed them leniently.
  const H = 'GET /healthz HTTP/1.1\r\nHost: a\r\n';
  for (const [label, bytes, allowed] of [
    ['garbage request line', 'HELLO THERE\r\n\r\n'],
    ['binary garbage', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a])],
    ['missing HTTP version', 'GET /healthz\r\n\r\n'],
    ['bad HTTP version', 'GET /healthz HTTP/1.x\r\nHost: a\r\n\r\n'],
    ['header without colon', `${H}NoColonHere\r\nConnection: close\r\n\r\n`],
    ['space before colon', 'GET /healthz HTTP/1.1\r\nHost : a\r\nConnection: close\r\n\r\n'],
    ['negative Content-Length', `${H}Content-Length: -5\r\nConnection: close\r\n\r\n{}`],
    ['non-numeric Content-Length', `${H}Content-Length: 1x\r\nConnection: close\r\n\r\n{}`],
    ['two different Content-Lengths', `${H}Content-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}`],
    ['Content-Length with Transfer-Encoding', `${H}Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /api/v1/users HTTP/1.1\r\nHost: a\r\n\r\n`],
    // RFC 9112 §6.1: an unknown transfer coding may also be answered 501
    ['unknown Transfer-Encoding', `${H}Transfer-Encoding: gzip, identity\r\nConnection: close\r\n\r\n{}`, [400, 501]],
    ['bad chunk size', `${H}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
  ]) {
    it(`raw: ${label} → 4xx and the server keeps serving`, async () => {
      const r = await rawRequest(srv.port, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
      assert4xx(r, label, allowed);
      await assertHealthy();
    });
  }

  it('raw: path traversal never serves files from outside the web root', async () => {
    for (const target of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/static/..%5c..%5c..%5cetc%5cpasswd']) {
      const r = await rawRequest(srv.port, buildRequest('GET', target));
      assert.ok(r.status !== null, `${target}: no answer`);
      assert.ok(!r.text.includes('root:'), `${target} served /etc/passwd`);
      assert.ok(r.status < 500, `${target}: ${r.statusLine}`);
    }
    await assertHealthy();
  });

  it('every error above kept the one error shape; the server is still healthy', async () => {
    await assertHealthy();
    assertError(await ac.get('/api/v1/no-such-thing'), 404, 'not_found');
  });
});
