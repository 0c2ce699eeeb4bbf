// The Debian package (docs/operations.md, "Install from the package"), built from the build
// folder with CPack (`cpack -G DEB`, Debian's dpkg-dev for dpkg-shlibdeps), linted with Debian's
// lintian (no error), installed on this machine with dpkg, used, and purged:
// - the package holds /usr/bin/psea, the shipped data under /usr/share/psea, the conffile
//   /etc/psea/psea.env and the hardened units (`systemd-analyze verify` when systemd is there);
// - postinst creates the psea system user (no login shell) and /var/lib/psea (psea, 0700), and
//   makes psea.env root-only;
// - the installed binary, run as psea through psea-admin, creates a fresh database there, adds a
//   user, verifies the audit chain and serves the installed web app and catalogs;
// - `dpkg --purge` removes the package but keeps /var/lib/psea and the user (README.Debian);
//   the test then removes those too, since it made them.
// Needs root; skips when psea is already installed here or /var/lib/psea exists (a psea user
// that exists already is used and kept).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BINARY, run, sleep, httpRequest, strongPassword } from '../support/server.mjs';

const BUILD_DIR = path.dirname(BINARY);

function has(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function userExists(name) {
  try {
    execFileSync('getent', ['passwd', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function packageInstalled(name) {
  try {
    return /install ok installed/.test(execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

function whyNot() {
  for (const [command, pkg] of [['dpkg-deb', 'dpkg'], ['dpkg-shlibdeps', 'dpkg-dev'], ['cpack', 'cmake'], ['runuser', 'util-linux']]) {
    if (!has(command)) return `${command} is not installed (Debian package ${pkg})`;
  }
  if (process.getuid() !== 0) return 'dpkg -i needs root';
  if (!fs.existsSync(path.join(BUILD_DIR, 'CPackConfig.cmake'))) return `no CPackConfig.cmake in ${BUILD_DIR}`;
  if (packageInstalled('psea')) return 'a psea package is installed on this machine: not touching it';
  if (fs.existsSync('/var/lib/psea')) return '/var/lib/psea exists here: not touching it';
  return false;
}

// A psea user made before (by hand, or by another test) is kept, and its entry not checked.
const userBefore = userExists('psea');

async function must(cmd, args, opts = {}) {
  const r = await run(cmd, args, { timeoutMs: 120000, ...opts });
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function mode(file) {
  return (fs.statSync(file).mode & 0o7777).toString(8).padStart(4, '0');
}

function owner(file) {
  const st = fs.statSync(file);
  const name = (id, db) => execFileSync('getent', [db, String(id)], { encoding: 'utf8' }).split(':')[0];
  return `${name(st.uid, 'passwd')}:${name(st.gid, 'group')}`;
}

const skip = whyNot();

describe('Debian package', { skip, timeout: 240000 }, () => {
  let work;
  let deb;
  let installed = false;
  let version;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-deb-'));
    version = (await must(BINARY, ['version'])).stdout.trim().split(' ')[1];
    await must('cpack', ['-G', 'DEB', '--config', path.join(BUILD_DIR, 'CPackConfig.cmake'), '-B', work], { timeoutMs: 180000 });
    deb = path.join(work, `psea_${version}_amd64.deb`);
  });

  after(async () => {
    if (installed) {
      await run('dpkg', ['--purge', 'psea'], { timeoutMs: 60000 });
      if (!userBefore) {
        await run('userdel', ['psea']);
        await run('groupdel', ['psea']);
      }
      fs.rmSync('/var/lib/psea', { recursive: true, force: true });
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('cpack builds psea_<version>_amd64.deb with the layout and the dependencies', async () => {
    assert.ok(fs.existsSync(deb), `${deb} missing; ${fs.readdirSync(work).join(' ')}`);
    const info = (await must('dpkg-deb', ['--info', deb])).stdout;
    assert.match(info, /^ Package: psea$/m);
    assert.match(info, new RegExp(`^ Version: ${version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(info, /^ Architecture: amd64$/m);
    const depends = /^ Depends: (.*)$/m.exec(info)[1];
    for (const library of ['adduser', 'libsodium23', 'libsqlite3-0', 'libpq5', 'libc6']) {
      assert.match(depends, new RegExp(`\\b${library}\\b`), `Depends: ${depends}`);
    }
    const conffiles = (await must('sh', ['-c', `dpkg-deb --ctrl-tarfile '${deb}' | tar -xO ./conffiles`])).stdout;
    assert.equal(conffiles.trim(), '/etc/psea/psea.env');
    const contents = (await must('dpkg-deb', ['--contents', deb])).stdout;
    const lines = contents.split('\n');
    const entry = (file) => lines.find((line) => line.endsWith(` .${file}`) || line.includes(` .${file} `));
    for (const file of ['/usr/bin/psea', '/usr/sbin/psea-admin', '/etc/psea/psea.env',
      '/usr/share/psea/data/i18n/report/fr.json', '/usr/share/psea/data/plans/minusca-sea-2018-2019.yaml',
      '/lib/systemd/system/psea.service', '/lib/systemd/system/psea-backup.timer',
      '/lib/systemd/system/psea-audit-verify.timer', '/lib/systemd/system/psea-retention.timer',
      '/usr/share/doc/psea/copyright', '/usr/share/doc/psea/changelog.gz', '/usr/share/man/man1/psea.1.gz']) {
      const line = entry(file);
      assert.ok(line, `${file} is not in the package`);
      assert.match(line, /^[-d][-rwx]{9} root\/root /, `${file}: ${line}`);
    }
    assert.match(entry('/usr/bin/psea'), /^-rwxr-xr-x root\/root/);
    assert.ok(!lines.some((line) => / \.\/var\/lib\/psea/.test(line)), 'the data folder is made by postinst, not shipped');
  });

  it('lintian reports no error', { skip: !has('lintian') && 'lintian is not installed (Debian package lintian)' }, async () => {
    const r = await run('lintian', ['--fail-on', 'error', '--tag-display-limit', '0', deb], { timeoutMs: 120000 });
    const errors = r.stdout.split('\n').filter((line) => line.startsWith('E: '));
    assert.deepEqual(errors, [], r.stdout);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('installs: the psea user, owners and modes, units that verify', async () => {
    await must('dpkg', ['-i', deb]);
    installed = true;
    const passwd = execFileSync('getent', ['passwd', 'psea'], { encoding: 'utf8' }).trim().split(':');
    assert.ok(Number(passwd[2]) < 1000, `a system user: uid ${passwd[2]}`);
    assert.equal(passwd[6], '/usr/sbin/nologin');
    if (!userBefore) assert.equal(passwd[5], '/var/lib/psea');
    for (const [file, who, bits] of [
      ['/var/lib/psea', 'psea:psea', '0700'],
      ['/var/lib/psea/backups', 'psea:psea', '0700'],
      ['/etc/psea/psea.env', 'root:root', '0600'],
      ['/usr/bin/psea', 'root:root', '0755'],
      ['/usr/sbin/psea-admin', 'root:root', '0755'],
      ['/lib/systemd/system/psea.service', 'root:root', '0644'],
    ]) {
      assert.equal(owner(file), who, file);
      assert.equal(mode(file), bits, file);
    }
    const unit = fs.readFileSync('/lib/systemd/system/psea.service', 'utf8');
    for (const line of ['User=psea', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes',
      'PrivateTmp=yes', 'ReadWritePaths=/var/lib/psea', 'CapabilityBoundingSet=',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'EnvironmentFile=/etc/psea/psea.env',
      'ExecStart=/usr/bin/psea serve']) {
      assert.ok(unit.split('\n').includes(line), `psea.service lacks ${line}`);
    }
    if (has('systemd-analyze')) {
      const units = fs.readdirSync('/lib/systemd/system').filter((f) => /^psea.*\.(service|timer)$/.test(f));
      assert.equal(units.length, 7, units.join(' '));
      const r = await run('systemd-analyze', ['verify', '--man=no', ...units.map((f) => `/lib/systemd/system/${f}`)], { timeoutMs: 60000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });

  it('the installed binary, as psea, makes a fresh database, a user, a verified audit chain, and serves', async () => {
    assert.ok(installed, 'installed by the previous test');
    const admin = (args, stdin) => run('/usr/sbin/psea-admin', args, { stdin, timeoutMs: 60000 });
    const dry = await admin(['migrate', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /no database at \/var\/lib\/psea\/psea\.db/);
    assert.equal(fs.existsSync('/var/lib/psea/psea.db'), false, 'a dry run creates nothing');
    const migrated = await admin(['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
    const added = await admin(['user', 'add', '--username', 'first.admin', '--role', 'admin', '--password-stdin'], strongPassword() + '\n');
    assert.equal(added.code, 0, added.stderr);
    const verified = await admin(['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /audit chain intact: [1-9]\d* entries/);
    for (const file of fs.readdirSync('/var/lib/psea')) {
      assert.equal(owner(path.join('/var/lib/psea', file)), 'psea:psea', `/var/lib/psea/${file}`);
    }
    assert.equal(mode('/var/lib/psea/server.key'), '0600');
    assert.equal(mode('/var/lib/psea/psea.db'), '0600');

    // `psea serve` as psea, from / (the unit's settings, another port): the share folder is
    // found beside the installed binary.
    const portFile = '/var/lib/psea/test-port';
    const env = { PSEA_DB: 'sqlite:/var/lib/psea/psea.db', PSEA_DATA_DIR: '/var/lib/psea' };
    const server = spawn('setpriv', ['--reuid=psea', '--regid=psea', '--init-groups', '/usr/bin/psea', 'serve',
      '--listen', '127.0.0.1:0', '--port-file', portFile], { cwd: '/', env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    server.stderr.on('data', (d) => (log += d));
    try {
      let port = 0;
      for (let i = 0; i < 200 && !port; i++) {
        if (server.exitCode !== null) break;
        const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
        if (/^\d+$/.test(text)) port = Number(text);
        else await sleep(100);
      }
      assert.ok(port > 0, `psea serve did not start:\n${log}`);
      const health = await httpRequest(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200, health.text);
      const report = await httpRequest(`http://127.0.0.1:${port}/report`, { validate: false });
      assert.equal(report.status, 200, 'the public page, from the installed catalogs');
      if (fs.existsSync('/usr/share/psea/web/index.html')) {
        const page = await httpRequest(`http://127.0.0.1:${port}/`, { validate: false });
        assert.equal(page.status, 200);
        assert.match(page.text, /<html/i);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.on('exit', resolve)));
    }
  });

  it('purges the package and keeps the data', async () => {
    assert.ok(installed, 'installed by a previous test');
    await must('dpkg', ['--purge', 'psea']);
    for (const gone of ['/usr/bin/psea', '/usr/sbin/psea-admin', '/etc/psea', '/lib/systemd/system/psea.service', '/usr/share/psea']) {
      assert.equal(fs.existsSync(gone), false, `${gone} is left after purge`);
    }
    assert.ok(fs.existsSync('/var/lib/psea/psea.db'), 'purge keeps the database');
    assert.ok(userExists('psea'), 'purge keeps the user');
  });
});
