// Two-factor sign-in with codes from Debian's oathtool (package oathtool), the way a user
// whose phone app is not at hand, or an administrator checking an enrolment, would make them:
// enrol with the secret the server shows, confirm with `oathtool --totp -b SECRET`, then sign
// in with the next step's code (`-N @TIME`). A code made from another secret is refused.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, strongPassword, run, sleep, assertError } from '../support/server.mjs';

function has(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

async function oathtool(secret, at) {
  const args = ['--totp', '-b', ...(at === undefined ? [] : ['-N', `@${at}`]), secret];
  const r = await run('oathtool', args, { timeoutMs: 10000 });
  assert.equal(r.code, 0, r.stderr);
  const code = r.stdout.trim();
  assert.match(code, /^\d{6}$/);
  return code;
}

const chief = { username: 'oathchief', role: 'cdt_chief', password: strongPassword() };

describe('TOTP with oathtool', { skip: !has('oathtool') && 'oathtool is not installed', timeout: 90000 }, () => {
  let srv;

  before(async () => {
    srv = await startServer({ users: [chief] });
  });
  after(async () => srv && srv.stop());

  it('enrols and signs in with codes computed by oathtool', async () => {
    const client = srv.client();
    const login = await client.login(chief.username, chief.password);
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.enrolment_required, true, 'a CDT chief must enrol');
    const enrol = await client.post('/api/v1/auth/totp/enroll', {});
    assert.equal(enrol.status, 200, enrol.text);
    const secret = enrol.json.secret;
    assert.match(secret, /^[A-Z2-7]+=*$/, 'a base32 secret oathtool -b reads');

    // Not in the last two seconds of a step, so that the server sees the same step.
    while (30 - ((Date.now() / 1000) % 30) < 2) await sleep(250);
    const confirmed = await client.post('/api/v1/auth/totp/confirm', { code: await oathtool(secret) });
    assert.equal(confirmed.status, 200, confirmed.text);

    // Each code works once: sign in with the next step's.
    const nextStep = (Math.floor(Date.now() / 1000 / 30) + 1) * 30;
    const other = srv.client();
    const wrong = await other.login(chief.username, chief.password, await oathtool('JBSWY3DPEHPK3PXP', nextStep));
    assert.notEqual(wrong.status, 200, 'a code from another secret is refused');
    const fresh = srv.client();
    const signed = await fresh.login(chief.username, chief.password, await oathtool(secret, nextStep));
    assert.equal(signed.status, 200, signed.text);
    const me = await fresh.get('/api/v1/auth/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.username, chief.username);
    assert.equal(me.json.user.totp_enabled, true);
    assertError(await srv.client().get('/api/v1/auth/me'), 401, 'unauthenticated');
  });
});
