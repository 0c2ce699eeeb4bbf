// The harness's check of answers against docs/openapi.json (tests/support/openapi.mjs) refuses
// what the document does not say: otherwise every other API test could pass on a document that
// has drifted. Made-up answers, no server.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { checkResponse, OPENAPI_CHECK_ENABLED } from '../support/openapi.mjs';

const skip = OPENAPI_CHECK_ENABLED ? false : 'PSEA_TEST_OPENAPI=0';

function answer(method, url, status, body, contentType = 'application/json') {
  const headers = new Headers(contentType ? { 'content-type': contentType } : {});
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return checkResponse({ method, url: `http://127.0.0.1:1${url}`, status, headers, body: bytes });
}

const user = {
  id: 7, username: 'chief', display_name: 'Chief', role: 'cdt_chief', disabled: false,
  totp_enabled: true, totp_required: true, created_at: '2026-11-28T18:35:29Z', last_login_at: null,
};

describe('checking answers against docs/openapi.json', { skip }, () => {
  it('passes what the document describes', () => {
    assert.equal(answer('GET', '/healthz', 200, { status: 'ok', database: 'ok' }), null);
    assert.equal(answer('GET', '/api/v1/users', 200, { users: [user] }), null);
    assert.equal(answer('PATCH', '/api/v1/users/7', 404, { error: { code: 'not_found', message: 'no such user' } }), null);
    assert.equal(answer('POST', '/api/v1/auth/logout', 204, undefined, null), null);
    assert.equal(answer('GET', '/metrics', 200, 'psea_http_requests_total 1\n', 'text/plain; version=0.0.4'), null);
  });

  it('names the operation, the status and the JSON path of a field the document does not list', () => {
    const message = answer('GET', '/api/v1/users', 200, { users: [{ ...user, password_hash: 'x' }] });
    assert.match(message, /GET \/api\/v1\/users \(listUsers\) 200/);
    assert.match(message, /at \/users\/0: has field "password_hash"/);
  });

  it('refuses a missing required field, a wrong type, a value outside an enum and a null where none is allowed', () => {
    const { role, ...withoutRole } = user;
    assert.match(answer('GET', '/api/v1/users', 200, { users: [withoutRole] }), /at \/users\/0: must have required property 'role'/);
    assert.match(answer('GET', '/api/v1/users', 200, { users: [{ ...user, id: '7' }] }), /at \/users\/0\/id: must be integer/);
    assert.match(answer('GET', '/api/v1/users', 200, { users: [{ ...user, role: 'wizard' }] }), /at \/users\/0\/role: must be equal to one of the allowed values/);
    assert.match(answer('GET', '/api/v1/users', 200, { users: [{ ...user, username: null }] }), /at \/users\/0\/username: must be string/);
  });

  it('refuses a status the operation does not list, and another media type', () => {
    assert.match(answer('GET', '/api/v1/meta', 418, { error: { code: 'internal', message: 'x' } }),
      /GET \/api\/v1\/meta \(getMeta\) 418: status 418 is not documented/);
    assert.match(answer('GET', '/api/v1/meta', 200, '<html>', 'text/html'), /Content-Type text\/html is not documented/);
  });

  it('holds errors to the one error shape, also on paths and methods the document does not have', () => {
    assert.match(answer('GET', '/api/v1/users', 403, { error: { code: 'nope', message: 'x' } }), /at \/error\/code: must be equal/);
    assert.match(answer('GET', '/api/v1/users', 401, { message: 'x' }), /must have required property 'error'/);
    assert.equal(answer('PUT', '/api/v1/users', 405, { error: { code: 'method_not_allowed', message: 'x' } }), null);
    assert.match(answer('GET', '/api/v1/nowhere', 404, { error: 'not found' }), /not the Error shape/);
  });
});
