// The command-line checks an operator runs against someone who can write the database
// (docs/operations.md: "Verifying the audit chain", "Checking the stored public keys").
// Tampering is done in SQL, as that person would, after dropping the append-only triggers.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';

const FINGERPRINT = /^((?:[0-9a-f]{4} ){15}[0-9a-f]{4})$/m;

describe('audit anchors and vault verify (CLI)', { timeout: 120000 }, () => {
  let srv;

  const cli = (...args) => srv.cli([...args, ...srv.dbArgs]);
  const dropAuditTriggers = () =>
    srv.sql(srv.engine === 'sqlite'
      ? 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;'
      : 'DROP TRIGGER audit_log_no_change ON audit_log');

  before(async () => {
    srv = await TestServer.create();
    await srv.createUser({ username: 'chief', role: 'cdt_chief' });
    await srv.createUser({ username: 'officer', role: 'cdt_officer' });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('anchor prints the head as ID:HASH and verify --anchor accepts it', async () => {
    const anchor = await cli('audit', 'anchor');
    assert.equal(anchor.code, 0, anchor.stderr);
    assert.match(anchor.stdout, /^\d+:[0-9a-f]{64}\n$/);
    assert.match(anchor.stderr, /off this server/);
    const head = (await srv.sql('SELECT last_id, last_hash FROM audit_head')).trim();
    assert.equal(anchor.stdout.trim(), head.replace('|', ':'));

    const verify = await cli('audit', 'verify', '--anchor', anchor.stdout.trim());
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /audit chain intact: \d+ entries, anchor \d+ holds/);
  });

  it('a malformed anchor is refused with exit 2', async () => {
    for (const bad of ['12', '12:abc', 'x:' + 'a'.repeat(64), '-1:' + 'a'.repeat(64)]) {
      const r = await cli('audit', 'verify', '--anchor', bad);
      assert.equal(r.code, 2, `${bad}: ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, /ID:HASH/);
    }
  });

  it('vault verify checks the MACs and the recovery fingerprint', async () => {
    const init = await cli('vault', 'init-recovery');
    assert.equal(init.code, 0, init.stderr);
    const fingerprint = FINGERPRINT.exec(init.stdout)?.[1];
    assert.ok(fingerprint, init.stdout);
    assert.match(init.stdout, /keep it off this server/);

    let r = await cli('vault', 'verify', '--recovery-fingerprint', fingerprint);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /vault public keys intact: 2 user keys, recovery key .*\(fingerprint matches\)/);
    // Copied without its spaces, in capitals: the same fingerprint.
    r = await cli('vault', 'verify', '--recovery-fingerprint', fingerprint.replaceAll(' ', '').toUpperCase());
    assert.equal(r.code, 0, r.stderr);
    r = await cli('vault', 'verify', '--recovery-fingerprint', '0000' + fingerprint.slice(4));
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /recovery public key has fingerprint .*not the one given/);

    // Someone who writes the database puts a key of their own (here: the officer's) in place of
    // the recovery key and of the chief's.
    await srv.sql("UPDATE vault_recovery SET public_key = (SELECT public_key FROM vault_user_keys " +
      "WHERE user_id = (SELECT id FROM users WHERE username = 'officer'))");
    await srv.sql("UPDATE vault_user_keys SET public_key = (SELECT public_key FROM vault_user_keys " +
      "WHERE user_id = (SELECT id FROM users WHERE username = 'officer')) " +
      "WHERE user_id = (SELECT id FROM users WHERE username = 'chief')");
    const chiefId = (await srv.sql("SELECT id FROM users WHERE username = 'chief'")).trim();
    r = await cli('vault', 'verify', '--recovery-fingerprint', fingerprint);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /recovery public key does not match its MAC/);
    assert.match(r.stderr, /not the one given/);
    assert.match(r.stderr, new RegExp(`public key of user ${chiefId} does not match its MAC`));
  });

  it('keys without a MAC are bound once, at the first start after the upgrade', async () => {
    const fresh = await TestServer.create();
    try {
      await fresh.createUser({ username: 'reader', role: 'cdt_chief' });
      // As a database from before the MACs: none stored, binding pending.
      await fresh.sql('UPDATE vault_user_keys SET public_key_mac = NULL');
      await fresh.sql('UPDATE vault_key_binding SET pending = 1');
      let r = await fresh.cli(['migrate', ...fresh.dbArgs]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /vault public keys bound to the server key/);
      assert.equal((await fresh.sql(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'vault.public_keys_bound'")).trim(), '1');
      r = await fresh.cli(['vault', 'verify', ...fresh.dbArgs]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 user keys, no recovery key/);

      // Removing a MAC later does not get it bound again.
      await fresh.sql('UPDATE vault_user_keys SET public_key_mac = NULL');
      r = await fresh.cli(['migrate', ...fresh.dbArgs]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /bound/);
      r = await fresh.cli(['vault', 'verify', ...fresh.dbArgs]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /does not match its MAC/);
    } finally {
      await fresh.stop();
    }
  });

  it('an entry past the head and a cut tail are caught', async () => {
    const anchor = (await cli('audit', 'anchor')).stdout.trim();
    const anchoredId = Number(anchor.split(':')[0]);
    assert.ok(anchoredId >= 2, anchor);

    // The head rewound by one entry, the entry left in place.
    await srv.sql('UPDATE audit_head SET last_hash = (SELECT hash FROM audit_log WHERE id = ' +
      `${anchoredId - 1}), last_id = ${anchoredId - 1}`);
    let r = await cli('audit', 'verify');
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`BROKEN at entry ${anchoredId}: .*lies past the head`));

    // The entry removed as well: a shorter chain that verifies, unless checked against the anchor.
    await dropAuditTriggers();
    await srv.sql(`DELETE FROM audit_log WHERE id = ${anchoredId}`);
    r = await cli('audit', 'verify');
    assert.equal(r.code, 0, r.stderr);
    r = await cli('audit', 'verify', '--anchor', anchor);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`before the anchored entry ${anchoredId}`));
    r = await cli('audit', 'anchor');
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(r.stdout.trim(), anchor);
  });
});
