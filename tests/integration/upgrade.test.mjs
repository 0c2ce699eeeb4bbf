// Upgrading a database made by the previous release (docs/operations.md, "Upgrade"): the
// fixture in tests/fixtures/upgrade/<version>/ was written by that release's binary (invented
// data only, see its README). Each fixture is copied to a temporary folder; `psea migrate
// --dry-run` lists what is pending and changes nothing; `psea migrate` applies it; then the
// generated users sign in, the complaints list, a sealed identity opens for the intake reader,
// and `psea audit verify` passes. Always on SQLite: the fixture is a SQLite file (the
// migrations themselves run on both engines in storage_test and every API test).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINE, REPO_ROOT, TestServer, loginEnrolled } from '../support/server.mjs';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'upgrade');
const versions = fs.existsSync(FIXTURES)
  ? fs.readdirSync(FIXTURES).filter((name) => fs.existsSync(path.join(FIXTURES, name, 'fixture.json')))
  : [];

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

for (const version of versions) {
  const dir = path.join(FIXTURES, version);
  const fixture = JSON.parse(fs.readFileSync(path.join(dir, 'fixture.json'), 'utf8'));

  describe(`upgrade from ${version}`, { timeout: 120000, skip: ENGINE !== 'sqlite' && 'the fixture is a SQLite database' }, () => {
    let srv;
    let dbFile;

    before(async () => {
      srv = await TestServer.create({ engine: 'sqlite' });
      dbFile = srv.dbUrl.slice('sqlite:'.length);
      fs.copyFileSync(path.join(dir, fixture.database), dbFile);
      fs.mkdirSync(srv.dataDir, { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(dir, fixture.server_key), path.join(srv.dataDir, 'server.key'));
      fs.chmodSync(path.join(srv.dataDir, 'server.key'), 0o600);
    });
    after(async () => srv && srv.stop());

    it('migrate --dry-run lists the pending migrations and writes nothing', async () => {
      const before = sha256(dbFile);
      const r = await srv.cli(['migrate', '--dry-run', ...srv.dbArgs]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /pending migration|up to date/);
      for (const line of r.stdout.split('\n').filter((l) => l.startsWith('  '))) {
        assert.match(line, /^ {2}[a-z_]+ \d+ {2}\S/, `module, number, description: ${line}`);
      }
      assert.equal(sha256(dbFile), before, 'the dry run changed the database');
      assert.equal(fs.existsSync(`${dbFile}-wal`) && fs.statSync(`${dbFile}-wal`).size > 0, false);
    });

    it('migrate applies them; users sign in, complaints list, a sealed identity opens', async () => {
      const migrated = await srv.cli(['migrate', ...srv.dbArgs]);
      assert.equal(migrated.code, 0, migrated.stderr);
      const again = await srv.cli(['migrate', '--dry-run', ...srv.dbArgs]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /no pending migration/);

      const verify = await srv.cli(['audit', 'verify', ...srv.dbArgs]);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /audit chain intact: \d+ entries/);
      const entries = Number(/intact: (\d+)/.exec(verify.stdout)[1]);
      assert.ok(entries >= fixture.audit_entries, `${entries} audit entries, the fixture had ${fixture.audit_entries}`);

      await srv.serve();
      const users = await srv.cli(['user', 'list', ...srv.dbArgs]);
      assert.equal(users.code, 0, users.stderr);
      for (const username of fixture.users) assert.ok(users.stdout.includes(` ${username}`), `${username} is listed`);

      const reader = { username: fixture.reader, password: fixture.password };
      const { client } = await loginEnrolled(srv, reader);
      const list = await client.get('/api/v1/intake/complaints?status=all');
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.complaints.length, fixture.complaints);
      const one = await client.get(`/api/v1/intake/complaints/${list.json.complaints[0].id}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.can_read_identifying, true);
      assert.ok(one.json.identifying && one.json.identifying.narrative.length > 0, 'the sealed narrative opens');

      // Any other generated user signs in with the same password.
      const officer = srv.client();
      const signed = await officer.login(fixture.other_user, fixture.password);
      assert.equal(signed.status, 200, signed.text);
    });
  });
}

describe('upgrade fixtures', () => {
  it('at least one previous release is kept', () => {
    assert.ok(versions.length > 0, `no fixture under ${FIXTURES}`);
  });
});
