// A password chosen by someone else (an administrator creating the account or resetting it)
// must be replaced by its owner before anything else: it seals the owner's vault key, and
// nobody but the owner may know the password that opens it.
//
// - Login answers 200 with password_change_required: true; every route but /auth/me,
//   /auth/password and /auth/logout answers 403 password_change_required.
// - POST /auth/password with the temporary password and a new one → 204, then everything works.
// - An admin's PATCH {"password"} sets the requirement again; `psea user add --no-password-change`
//   (the person typed it themselves) does not set it.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, uniq, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const admin = { username: 'pcadmin', role: 'admin', password: strongPassword() };

describe('password chosen by someone else', { timeout: 120000 }, () => {
  let srv;
  let ac;
  before(async () => {
    srv = await startServer({ users: [admin] });
    ({ client: ac } = await loginEnrolled(srv, admin));
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('a user created by an admin must change the password first, then works normally', async () => {
    const person = { username: uniq('temp'), role: 'leadership', password: strongPassword() };
    const created = await ac.post('/api/v1/users', person);
    assert.equal(created.status, 201, created.text);

    const pc = srv.client();
    const login = await pc.login(person.username, person.password);
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.password_change_required, true);
    const me = await pc.get('/api/v1/auth/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.password_change_required, true);
    assert.deepEqual(me.json.permissions, []);
    assertError(await pc.get('/api/v1/plans'), 403, 'password_change_required');

    const fresh = strongPassword();
    const change = await pc.post('/api/v1/auth/password',
      { current_password: person.password, new_password: fresh });
    assert.equal(change.status, 204, change.text);
    const after = await pc.get('/api/v1/auth/me');
    assert.equal(after.json.password_change_required, false);
    assert.ok(after.json.permissions.includes('plan.read'));
    assert.equal((await pc.get('/api/v1/plans')).status, 200);

    // The old password is gone; the new one signs in without the requirement.
    assertError(await srv.client().login(person.username, person.password), 401, 'invalid_credentials');
    const again = await srv.client().login(person.username, fresh);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.password_change_required, false);
  });

  it('an admin reset sets the requirement again', async () => {
    const person = { username: uniq('reset'), role: 'leadership', password: strongPassword() };
    await srv.createUser(person);
    const first = await srv.client().login(person.username, person.password);
    assert.equal(first.json.password_change_required, false);
    const list = await ac.get('/api/v1/users');
    const id = list.json.users.find((u) => u.username === person.username).id;
    const temporary = strongPassword();
    assert.equal((await ac.patch(`/api/v1/users/${id}`, { password: temporary, ...(await stepUp(admin)) })).status, 200);
    const login = await srv.client().login(person.username, temporary);
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.password_change_required, true);
  });
});
