// Whole backups and safe restores from the command line (docs/operations.md, "Backup" and
// "Restore"), on the engine PSEA_TEST_ENGINE names:
// - `psea restore` refuses an empty file, a truncated archive, a file that is not a psea
//   backup, a schema newer than the binary, an audit chain that does not verify and a backup
//   without users, in one line with a non-zero exit, and the current database is untouched;
// - a round trip: backup while serving, change the data, restore; counts, `audit verify`, the
//   sealed identity opened by a reader through the API (and still hidden from an officer who is
//   not one) and the intake file come back, and what the restore replaced is kept aside and
//   opens;
// - `--dry-run` and `backup --verify` touch nothing; `--out-dir --keep N` keeps the newest N.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestServer, startServer, strongPassword, loginEnrolled, run } from '../support/server.mjs';

const chief = { username: 'brchief', role: 'cdt_chief', password: strongPassword() };
const operator = { username: 'brop', role: 'intake_operator', password: strongPassword() };
const officer = { username: 'brofficer', role: 'cdt_officer', password: strongPassword() }; // not a reader
const VICTIM = 'Synthetic Backup Victim';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 9)]);

function complaint(victimName) {
  return {
    channel: 'hotline_4044',
    reporter_relation: 'victim',
    contact_consent: false,
    narrative: 'Synthetic narrative kept for the backup test.',
    prefecture: 'OMP',
    town: 'Boali',
    incident_date_precision: 'month',
    incident_date: '2026-10',
    victims: [{ age: 25, sex: 'female', name: victimName }],
    perpetrators: [{ category: 'military_contingent' }],
  };
}

describe('backup and restore (CLI)', { timeout: 240000 }, () => {
  let srv; // the installation being backed up and restored
  let source; // a second, never served database to craft bad backups from
  const work = fs.mkdtempSync('/tmp/psea-br-');
  let goodArchive;
  let complaintId;
  let laterId;
  const asideDatabases = [];

  const cli = (server, ...args) => server.cli([...args, ...server.dbArgs]);
  // What must not change when a restore is refused: counts, the audit head, and on SQLite the
  // file itself; no copy kept aside, no scratch database left.
  async function fingerprint() {
    const row = (await srv.sql(
      "SELECT (SELECT COUNT(*) FROM users) || ':' || (SELECT COUNT(*) FROM intake_complaints) || ':' || (SELECT last_hash FROM audit_head)")).trim();
    const parts = [row];
    if (srv.engine === 'sqlite') {
      const file = srv.dbUrl.slice('sqlite:'.length);
      parts.push(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
      parts.push(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('before-restore')).join(','));
    } else {
      parts.push((await srv.sql(`SELECT COUNT(*) FROM pg_database WHERE datname LIKE '${srv.pgDatabase}\\_%'`)).trim());
    }
    parts.push(fs.readdirSync(srv.dataDir).filter((n) => n.startsWith('before-restore') || n.startsWith('.psea-restore')).join(','));
    return parts.join('|');
  }
  async function pauseServer() {
    srv.proc.kill('SIGTERM');
    await srv.exitPromise;
    fs.rmSync(srv.portFile, { force: true }); // serve() waits for a new one
  }

  before(async () => {
    srv = await startServer({ users: [chief, operator, officer] });
    source = await TestServer.create();
    await source.migrate();
  });
  after(async () => {
    for (const name of asideDatabases) {
      await run('psql', [srv.pgAdminUrl, '-X', '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    }
    if (source) await source.stop();
    if (srv) await srv.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs up the database and the intake files while serving, without the key', async () => {
    const op = (await loginEnrolled(srv, operator)).client;
    const created = await op.post('/api/v1/intake/complaints', complaint(VICTIM));
    assert.equal(created.status, 201, created.text);
    complaintId = created.json.complaint.id;
    const sent = await op.request('POST', `/api/v1/intake/complaints/${complaintId}/attachments`, PDF, {
      contentType: 'application/pdf', headers: { 'X-Filename': 'statement.pdf' },
    });
    assert.equal(sent.status, 201, sent.text);

    goodArchive = path.join(work, 'good.tar');
    const r = await cli(srv, 'backup', '--out', goodArchive);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /backup written to .*good\.tar/);
    assert.match(r.stdout, /server\.key\) is NOT in the archive/);
    const listing = await run('tar', ['-tf', goodArchive]);
    assert.equal(listing.code, 0, listing.stderr);
    const names = listing.stdout.trim().split('\n');
    assert.equal(names[0], 'manifest.json');
    assert.ok(names.includes(srv.engine === 'sqlite' ? 'database/psea.db' : 'database/psea.pgdump'), names.join(' '));
    assert.ok(names.some((n) => n.startsWith('files/intake/')), names.join(' '));
    assert.ok(!names.some((n) => /key/i.test(n)), 'no key in the archive');
    const manifest = JSON.parse((await run('tar', ['-xOf', goodArchive, 'manifest.json'])).stdout);
    assert.equal(manifest.format, 'psea-backup');
    assert.equal(manifest.engine, srv.engine === 'sqlite' ? 'sqlite' : 'postgresql');
    assert.ok(manifest.schema.accounts >= 1 && manifest.schema.audit >= 1);
    assert.ok(manifest.audit.entries > 0);
    assert.match(manifest.audit.head_hash, /^[0-9a-f]{64}$/);
    for (const part of manifest.parts) assert.match(part.sha256, /^[0-9a-f]{64}$/);

    const verify = await cli(srv, 'backup', '--verify', goodArchive);
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /backup verified/);
    assert.match(verify.stdout, /users: 3/);

    // Changes made after the backup, which the restore replaces (and keeps aside).
    const later = await op.post('/api/v1/intake/complaints', complaint('Synthetic Later Victim'));
    assert.equal(later.status, 201, later.text);
    laterId = later.json.complaint.id;
    await srv.createUser({ username: 'brlater', role: 'cdt_officer' });
  });

  it('refuses what is not a sound psea backup, and leaves the current database alone', async () => {
    await pauseServer();
    const bad = {};
    bad.empty = path.join(work, 'empty.tar');
    fs.writeFileSync(bad.empty, '');
    bad.truncated = path.join(work, 'truncated.tar');
    const whole = fs.readFileSync(goodArchive);
    fs.writeFileSync(bad.truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    bad.foreign = path.join(work, 'notes.txt');
    fs.writeFileSync(bad.foreign, 'these are not the backups you are looking for\n'.repeat(20));
    // The old format, a bare SQLite file (or random bytes), is not an archive.
    bad.bare = path.join(work, 'bare.db');
    if (srv.engine === 'sqlite') fs.copyFileSync(srv.dbUrl.slice('sqlite:'.length), bad.bare);
    else fs.writeFileSync(bad.bare, crypto.randomBytes(6000));

    // From the second database: no users; then a newer schema; then a broken chain.
    bad.noUsers = path.join(work, 'no-users.tar');
    assert.equal((await cli(source, 'backup', '--out', bad.noUsers)).code, 0);
    await source.createUser({ username: 'srcchief', role: 'cdt_chief' });
    await source.sql("INSERT INTO schema_migrations (component, version, description, applied_at) VALUES ('accounts', 999, 'from the future', 0)");
    bad.newer = path.join(work, 'newer.tar');
    const newer = await cli(source, 'backup', '--out', bad.newer);
    assert.equal(newer.code, 0, newer.stderr);
    await source.sql("DELETE FROM schema_migrations WHERE version = 999");
    await source.sql(source.engine === 'sqlite'
      ? 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;'
      : 'DROP TRIGGER audit_log_no_change ON audit_log');
    await source.sql("UPDATE audit_log SET details = 'rewritten' WHERE id = (SELECT MIN(id) FROM audit_log)");
    bad.broken = path.join(work, 'broken.tar');
    assert.equal((await cli(source, 'backup', '--out', bad.broken)).code, 0);

    const expected = {
      empty: /backup file is empty/,
      truncated: /truncated/,
      foreign: /not a psea backup/,
      bare: /not a psea backup/,
      noUsers: /holds no users/,
      newer: /newer psea: its accounts schema is at version 999/,
      broken: /audit chain in the backup does not verify/,
    };
    const before = await fingerprint();
    for (const [name, file] of Object.entries(bad)) {
      for (const dryRun of [[], ['--dry-run']]) {
        const r = await cli(srv, 'restore', '--in', file, ...dryRun);
        assert.notEqual(r.code, 0, `${name} ${dryRun}: ${r.stdout}`);
        assert.match(r.stderr, expected[name], `${name}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
        assert.equal(await fingerprint(), before, `${name} ${dryRun} changed the current database`);
      }
    }
    const verify = await cli(srv, 'backup', '--verify', bad.broken);
    assert.notEqual(verify.code, 0);
    assert.match(verify.stderr, /does not verify/);
  });

  it('--dry-run shows what the backup holds and changes nothing', async () => {
    const before = await fingerprint();
    const r = await cli(srv, 'restore', '--in', goodArchive, '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /audit: \d+ entries, head \d+:[0-9a-f]{64}/);
    assert.match(r.stdout, /schema: .*accounts \d+/);
    assert.match(r.stdout, /tables: .*intake_complaints=1/);
    assert.match(r.stdout, /part: files\/intake\/\S+ \(\d+ bytes\)/);
    assert.match(r.stdout, /nothing was changed/);
    assert.equal(await fingerprint(), before);
  });

  it('round trip: changed data is replaced, kept aside, and the backup reads back', async () => {
    const intakeBefore = fs.readdirSync(path.join(srv.dataDir, 'intake')).sort();

    const r = await cli(srv, 'restore', '--in', goodArchive);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /audit chain intact/);
    assert.equal(Number((await srv.sql('SELECT COUNT(*) FROM intake_complaints')).trim()), 1);
    assert.equal(Number((await srv.sql('SELECT COUNT(*) FROM users')).trim()), 3);
    assert.deepEqual(fs.readdirSync(path.join(srv.dataDir, 'intake')).sort(), intakeBefore,
      'the one intake file of the backup is back (the later complaint had none)');

    // What the restore replaced is kept aside and opens, with the later complaint in it.
    const filesAside = /kept the replaced data files aside in (\S+)/.exec(r.stdout)?.[1];
    assert.ok(filesAside && fs.existsSync(path.join(filesAside, 'intake')), r.stdout);
    if (srv.engine === 'sqlite') {
      const aside = /kept the current database aside as (\S+)/.exec(r.stdout)?.[1];
      assert.ok(aside && fs.existsSync(aside), r.stdout);
      const count = await run('sqlite3', [aside, 'SELECT COUNT(*) FROM intake_complaints']);
      assert.equal(count.stdout.trim(), '2', count.stderr);
    } else {
      const aside = /aside as the PostgreSQL database (\S+)/.exec(r.stdout)?.[1];
      assert.ok(aside, r.stdout);
      asideDatabases.push(aside);
      const count = await run('psql', [srv.dbUrl.replace(/\/[^/?]+(\?|$)/, `/${aside}$1`), '-X', '-A', '-t', '-c', 'SELECT COUNT(*) FROM intake_complaints']);
      assert.equal(count.stdout.trim(), '2', count.stderr);
      const dump = /kept a pg_dump \(custom format\) of the current database as (\S+)/.exec(r.stdout)?.[1];
      assert.ok(dump && fs.statSync(dump).size > 0, r.stdout);
      const list = await run('pg_restore', ['--list', dump]);
      assert.equal(list.code, 0, list.stderr);
    }

    const audit = await cli(srv, 'audit', 'verify');
    assert.equal(audit.code, 0, audit.stderr);

    await srv.serve();
    const reader = (await loginEnrolled(srv, chief)).client;
    const back = await reader.get(`/api/v1/intake/complaints/${complaintId}`);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(back.json.identifying.victim_names, [VICTIM], 'the sealed identity opens with the same key');
    assert.equal(back.json.attachments.length, 1);
    const file = await reader.get(`/api/v1/intake/complaints/${complaintId}/attachments/${back.json.attachments[0].id}`);
    assert.equal(file.status, 200, file.text);
    assert.equal((await reader.get(`/api/v1/intake/complaints/${laterId}`)).status, 404);
    // Need-to-know survives the restore: an officer who is not a reader sees no identity.
    const notReader = (await loginEnrolled(srv, officer)).client;
    const hidden = await notReader.get(`/api/v1/intake/complaints/${complaintId}`);
    assert.equal(hidden.status, 200, hidden.text);
    assert.equal(hidden.json.identifying, null);
    assert.equal(hidden.json.can_read_identifying, false);
  });

  it('--out-dir writes a dated archive and keeps the newest N', async () => {
    const dir = path.join(work, 'daily');
    fs.mkdirSync(dir);
    for (const stamp of ['20200101-030000', '20200102-030000', '20200103-030000']) {
      fs.writeFileSync(path.join(dir, `psea-backup-${stamp}.tar`), 'old');
    }
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    const r = await cli(srv, 'backup', '--out-dir', dir, '--keep', '2');
    assert.equal(r.code, 0, r.stderr);
    const left = fs.readdirSync(dir).sort();
    assert.equal(left.length, 3, left.join(' '));
    assert.equal(left[0], 'notes.txt');
    assert.equal(left[1], 'psea-backup-20200103-030000.tar');
    assert.match(left[2], /^psea-backup-\d{8}-\d{6}\.tar$/);
    assert.ok(!left.some((n) => n.endsWith('.partial')));
  });
});
