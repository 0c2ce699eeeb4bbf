// E-mail intake through Debian's Postfix, set up as docs/operations.md says ("Postfix on
// Debian 12, step by step"): the test reads the master.cf block and the commands block from
// that file (marked <!-- postfix-test: ... -->), so that the documentation and what is tested
// cannot drift. Only the paths change: /usr/local/bin/psea becomes the built binary, the
// database and /var/lib/psea the test server's, /etc/postfix a private config_directory.
//
// - Always: the master.cf argv line runs as Postfix runs it (no shell, an empty environment,
//   as the psea user when we are root) and files a message; the same line with a mistyped
//   --db exits 75 and creates nothing.
// - As root with postfix and swaks installed: a private Postfix (its own config, queue and
//   data folders under a temp dir, smtpd on a free 127.0.0.1 port, `postfix -c DIR start`)
//   takes swaks' messages: a plain complaint, one with a photo, one with a file over psea's
//   10 MiB limit (and over Postfix's default 10 MB message limit), one sent automatically.
//   The acknowledgements (--email-ack-from) are routed by the same Postfix to a capture
//   transport whose file the test reads. psea's sendmail there is a wrapper that checks
//   psea's arguments (-i -f <> -- ADDRESS) and submits over SMTP: Postfix's own sendmail
//   (postdrop) refuses a private config_directory to a user other than root; the test checks
//   separately, as root, that the real sendmail takes those arguments.
// Names, addresses and texts are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, run, sleep, BINARY, REPO_ROOT } from '../support/server.mjs';

const POSTFIX = '/usr/sbin/postfix';
const POSTCONF = '/usr/sbin/postconf';
const SENDMAIL = '/usr/sbin/sendmail';
const SWAKS = '/usr/bin/swaks';
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const INTAKE_ADDRESS = 'signalement@mission.example';
const ACK_FROM = 'ne-pas-repondre@mission.example';
const CODE = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

function postfixSkipReason() {
  if (!IS_ROOT) return 'a private Postfix needs root (the pipe runs as the psea user)';
  if (!fs.existsSync(POSTFIX)) return 'postfix is not installed (Debian package postfix)';
  if (!fs.existsSync(SWAKS)) return 'swaks is not installed (Debian package swaks)';
  return false;
}

/** The fenced block after `<!-- postfix-test: NAME -->` in docs/operations.md. */
function docBlock(name) {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
  const marker = `<!-- postfix-test: ${name} -->`;
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `docs/operations.md has no ${marker}`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at + marker.length));
  assert.ok(block, `no code block after ${marker}`);
  return block[1];
}

/** The master.cf entry's argv, split on white space as pipe(8) does. */
function argvOf(masterCf) {
  const joined = masterCf.replace(/\n[ \t]+/g, ' ');
  const at = joined.indexOf('argv=');
  assert.ok(at >= 0, 'the master.cf entry has an argv=');
  return joined.slice(at + 'argv='.length).trim().split(/\s+/);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs argv without a shell and with an empty environment, as pipe(8) does. */
function runLikePipe(argv, stdin, user) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: {}, stdio: ['pipe', 'pipe', 'pipe'], ...(user || {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function pseaAccount() {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'psea']).toString()), gid: Number(execFileSync('id', ['-g', 'psea']).toString()) };
  } catch {
    return null;
  }
}

const chief = { username: 'pfchief', role: 'cdt_chief', password: strongPassword() };

describe('e-mail through the documented Postfix set-up', { timeout: 120000 }, () => {
  let srv;
  let client;
  let account = null; // the psea user, when we are root
  let localize;
  let installed = path.resolve(BINARY); // where the documented /usr/local/bin/psea is

  before(async () => {
    srv = await startServer({ users: [chief] });
    client = (await loginEnrolled(srv, chief)).client;
    if (IS_ROOT) {
      account = pseaAccount();
      if (!account) {
        // As step 1 of the docs, with useradd (adduser is not always installed).
        execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'psea']);
        account = pseaAccount();
      }
      // The database, its WAL files, server.key and intake/ belong to psea, as in the docs.
      fs.chmodSync(srv.tmpDir, 0o755);
      execFileSync('chown', ['-R', 'psea:psea', srv.tmpDir]);
      // The docs install a copy at /usr/local/bin/psea: the psea user (Postfix's pipe) must reach
      // it, which the build tree may not allow (a clone in a private mktemp -d folder).
      installed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'psea-bin-')), 'psea');
      fs.chmodSync(path.dirname(installed), 0o755);
      fs.copyFileSync(path.resolve(BINARY), installed);
      fs.chmodSync(installed, 0o755);
    }
    localize = (text) => text
      .replaceAll('/usr/local/bin/psea', installed)
      .replaceAll('sqlite:/var/lib/psea/psea.db', srv.dbUrl)
      .replaceAll('/var/lib/psea', srv.dataDir);
  });
  after(async () => {
    if (srv) await srv.stop();
    if (installed !== path.resolve(BINARY)) fs.rmSync(path.dirname(installed), { recursive: true, force: true });
  });

  const emailComplaints = async () => (await client.get('/api/v1/intake/complaints?channel=email')).json.complaints;
  const detailOf = async (id) => (await client.get(`/api/v1/intake/complaints/${id}`)).json;

  it('runs the documented master.cf argv line as Postfix does: no shell, no variables', async () => {
    const argv = argvOf(docBlock('master.cf'));
    assert.equal(argv[0], '/usr/local/bin/psea', 'the documented install path');
    assert.ok(argv.every((word) => !word.includes('$')), 'Postfix would read a $ as a macro');
    const line = argv.map(localize);
    const message = [
      'Return-Path: <argv-line@example.org>',
      'From: Synthetic Sender <argv-line@example.org>',
      `To: ${INTAKE_ADDRESS}`,
      'Subject: Synthetic report through the argv line',
      '',
      'Synthetic text, run as the pipe runs it.',
      '',
    ].join('\r\n');
    const user = account ? { uid: account.uid, gid: account.gid } : undefined;
    const filed = await runLikePipe(line, message, user);
    assert.equal(filed.code, 0, filed.stderr);
    assert.match(filed.stdout, /^filed complaint C-\d{4}-\d{5}/);
    const complaints = await emailComplaints();
    assert.equal(complaints.length, 1);
    assert.equal(complaints[0].reporter_relation, 'unknown');
    assert.equal(complaints[0].anonymous, false);

    // A mistyped --db: exit 75 (Postfix keeps the message), and nothing is created.
    const missing = path.join(path.dirname(srv.dbUrl.slice('sqlite:'.length)), 'nothing-here', 'psea.db');
    const mistyped = line.map((word) => (word === srv.dbUrl ? `sqlite:${missing}` : word));
    const deferred = await runLikePipe(mistyped, message, user);
    assert.equal(deferred.code, 75, deferred.stderr);
    assert.match(deferred.stderr, /no database at .*nothing-here/);
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('delivers swaks\' messages through a private Postfix, with acknowledgements', { skip: postfixSkipReason() }, async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-postfix-'));
    fs.chmodSync(base, 0o755);
    const conf = path.join(base, 'conf');
    const captured = path.join(base, 'capture');
    const maillog = path.join(base, 'maillog');
    for (const dir of [conf, path.join(base, 'queue'), path.join(base, 'data'), captured]) fs.mkdirSync(dir);
    execFileSync('chown', ['postfix', path.join(base, 'data')]);
    execFileSync('chown', ['psea:psea', captured]);
    const port = await freePort();
    const acks = path.join(captured, 'acks.mbox');
    const postfix = (...args) => run(POSTFIX, ['-c', conf, ...args], { timeoutMs: 30000 });
    let started = false;
    try {
      // What Debian's "Local only" set-up gives, in a private instance: local domains, the
      // passwd and alias lookups, no chroot, smtpd on loopback only.
      fs.writeFileSync(path.join(conf, 'aliases'), 'postmaster: root\n');
      fs.writeFileSync(path.join(conf, 'main.cf'), [
        'compatibility_level = 3.6',
        `queue_directory = ${base}/queue`,
        `data_directory = ${base}/data`,
        'myhostname = psea-test.localdomain',
        'mydestination = $myhostname, localhost.localdomain, localhost',
        'inet_interfaces = loopback-only',
        'inet_protocols = ipv4',
        'mynetworks = 127.0.0.0/8',
        `alias_maps = hash:${conf}/aliases`,
        `alias_database = hash:${conf}/aliases`,
        'smtpd_relay_restrictions = permit_mynetworks defer_unauth_destination',
        'mailbox_size_limit = 0',
        'biff = no',
        `maillog_file_prefixes = ${base}`,
        `maillog_file = ${maillog}`,
        '',
      ].join('\n'));
      const services = [
        `127.0.0.1:${port} inet n - n - - smtpd`,
        'pickup unix n - n 60 1 pickup',
        'cleanup unix n - n - 0 cleanup',
        'qmgr unix n - n 300 1 qmgr',
        'rewrite unix - - n - - trivial-rewrite',
        'bounce unix - - n - 0 bounce',
        'defer unix - - n - 0 bounce',
        'trace unix - - n - 0 bounce',
        'verify unix - - n - 1 verify',
        'flush unix n - n 1000? 0 flush',
        'proxymap unix - - n - - proxymap',
        'proxywrite unix - - n - 1 proxymap',
        'smtp unix - - n - - smtp',
        'showq unix n - n - - showq',
        'error unix - - n - - error',
        'retry unix - - n - - error',
        'discard unix - - n - - discard',
        'local unix - n n - - local',
        'anvil unix - - n - 1 anvil',
        'scache unix - - n - 1 scache',
        'postlog unix-dgram n - n - 1 postlogd',
        // The reporters' domain goes to a file: the acknowledgements, one mbox entry each.
        'capture unix - n n - 1 pipe',
        `  flags=FR user=psea argv=/usr/bin/dd status=none oflag=append conv=notrunc of=${acks}`,
      ];
      fs.writeFileSync(path.join(conf, 'master.cf'), services.join('\n') + '\n');
      execFileSync('/usr/sbin/postalias', ['-c', conf, path.join(conf, 'aliases')]);
      const start = await postfix('start');
      assert.equal(start.code, 0, start.stdout + start.stderr);
      started = true;

      // psea's sendmail: checks the arguments psea gives, then submits over SMTP.
      const sendmail = path.join(base, 'sendmail');
      fs.writeFileSync(sendmail, [
        '#!/bin/sh',
        '[ $# -eq 5 ] && [ "$1" = -i ] && [ "$2" = -f ] && [ "$3" = "<>" ] && [ "$4" = -- ] || exit 64',
        `exec ${SWAKS} --server 127.0.0.1 --port ${port} --from '<>' --to "$5" --data - --silent 2`,
        '',
      ].join('\n'), { mode: 0o755 });

      // The docs' steps 2 and 3, on this instance.
      const entry = localize(docBlock('master.cf')).trimEnd() + ` --email-ack-from ${ACK_FROM} --email-ack-sendmail ${sendmail}\n`;
      fs.appendFileSync(path.join(conf, 'master.cf'), entry);
      fs.writeFileSync(path.join(conf, 'transport'), 'example.org    capture:\n');
      const commands = docBlock('commands')
        .replaceAll('sudo ', '')
        .replaceAll('/etc/postfix/', `${conf}/`)
        .replaceAll('postconf ', `postconf -c ${conf} `)
        .replaceAll('postmap ', `postmap -c ${conf} `)
        .replaceAll('systemctl reload postfix', `${POSTFIX} -c ${conf} reload`);
      const configured = await run('/bin/sh', ['-ec', commands], { timeoutMs: 30000 });
      assert.equal(configured.code, 0, configured.stdout + configured.stderr);
      const limit = execFileSync(POSTCONF, ['-c', conf, '-h', 'message_size_limit']).toString().trim();
      assert.equal(limit, '62914560');
      await sleep(500);

      const swaks = async (args, stdin) => {
        const r = await run(SWAKS, ['--server', '127.0.0.1', '--port', String(port), '--to', INTAKE_ADDRESS, ...args], { stdin, timeoutMs: 60000 });
        assert.equal(r.code, 0, `swaks ${args.join(' ')}\n${r.stdout.slice(-2000)}${r.stderr}`);
        assert.match(r.stdout, /250 2\.0\.0 Ok: queued/);
      };
      await swaks(['--from', 'reporter1@example.org', '--header', 'Subject: Synthetic plain report',
        '--header', 'Message-Id: <plain-1@example.org>', '--body', 'Synthetic text of a plain report.']);
      const photo = path.join(base, 'photo.jpg');
      fs.writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]));
      await swaks(['--from', 'reporter2@example.org', '--header', 'Subject: Synthetic report with a photo',
        '--body', 'Synthetic text with a photo.', '--attach-type', 'image/jpeg', '--attach', photo]);
      const video = path.join(base, 'video.mp4');
      fs.writeFileSync(video, Buffer.alloc(10 * 1024 * 1024 + 4096, 0x41));
      await swaks(['--from', 'reporter3@example.org', '--header', 'Subject: Synthetic report with a large video',
        '--body', 'Synthetic text with a video too large to keep.', '--attach', video, '--suppress-data']);
      await swaks(['--from', 'robot@example.org', '--header', 'Subject: Synthetic automatic notice',
        '--header', 'Auto-Submitted: auto-generated', '--body', 'Synthetic text sent by a program.']);

      let complaints = [];
      for (let i = 0; i < 150 && complaints.length < 5; i += 1) {
        await sleep(200);
        complaints = await emailComplaints();
      }
      const log = () => (fs.existsSync(maillog) ? fs.readFileSync(maillog, 'utf8').slice(-4000) : '(no mail log)');
      assert.equal(complaints.length, 5, log());
      const details = await Promise.all(complaints.map((c) => detailOf(c.id)));
      const bySubject = (subject) => details.find((d) => d.identifying.narrative.startsWith(subject));

      const plain = bySubject('Synthetic plain report');
      assert.ok(plain, log());
      assert.equal(plain.identifying.reporter_email, 'reporter1@example.org');
      assert.equal(plain.complaint.reporter_relation, 'unknown');
      assert.match(plain.identifying.narrative, /Synthetic text of a plain report\./);

      const withPhoto = bySubject('Synthetic report with a photo');
      assert.equal(withPhoto.attachments.length, 1);
      assert.equal(withPhoto.attachments[0].filename, 'photo.jpg');
      assert.equal(withPhoto.attachments[0].content_type, 'image/jpeg');

      const withVideo = bySubject('Synthetic report with a large video');
      assert.match(withVideo.identifying.narrative, /too large to keep/);
      assert.equal(withVideo.attachments.length, 0);
      assert.equal(withVideo.notes.length, 1);
      assert.match(withVideo.notes[0].text, /too large.*video\.mp4.*quarantine/s);
      const quarantine = (await client.get('/api/v1/intake/quarantine')).json.messages;
      assert.equal(quarantine.length, 1);
      assert.equal(quarantine[0].channel, 'email-attachment');
      const kept = await client.get(`/api/v1/intake/quarantine/${quarantine[0].id}`);
      assert.equal(kept.status, 200);
      assert.equal(Number(kept.headers.get('content-length') ?? kept.text.length), 10 * 1024 * 1024 + 4096);

      // One acknowledgement per person: none to the program, none for the argv-line test
      // (no --email-ack-from there).
      let mbox = '';
      for (let i = 0; i < 100 && (mbox.match(/^From /gm) || []).length < 3; i += 1) {
        await sleep(200);
        mbox = fs.existsSync(acks) ? fs.readFileSync(acks, 'utf8') : '';
      }
      await sleep(1000);
      mbox = fs.readFileSync(acks, 'utf8');
      const answers = mbox.split(/^From /m).filter((part) => part.trim());
      assert.equal(answers.length, 3, mbox.slice(0, 3000) + log());
      assert.equal(mbox.includes('robot@example.org'), false, 'no answer to automatic mail');
      const first = answers.find((a) => /^To: reporter1@example\.org$/m.test(a));
      assert.ok(first, mbox.slice(0, 3000));
      assert.match(first, /^Return-Path: <MAILER-DAEMON>$/m); // the empty envelope sender
      assert.match(first, new RegExp(`^From: ${ACK_FROM}$`, 'm'));
      assert.match(first, /^Auto-Submitted: auto-replied$/m);
      assert.match(first, /^In-Reply-To: <plain-1@example\.org>$/m);
      assert.match(first, /^Subject: Re: Synthetic plain report$/m);
      assert.match(first, /^Content-Type: text\/plain; charset=utf-8$/m);
      const code = first.match(CODE)[0];
      // The code is the complaint's: it opens its follow-up page.
      const seen = await srv.client().post('/report/follow-up', new URLSearchParams({ code, lang: 'en' }).toString(),
        { contentType: 'application/x-www-form-urlencoded' });
      assert.equal(seen.status, 200, seen.text.slice(0, 300));
      assert.match(seen.text, /Received/);

      // Postfix's own sendmail takes the arguments psea gives it (as root: see the header).
      const direct = await run(SENDMAIL, ['-C', conf, '-i', '-f', '<>', '--', 'direct@example.org'],
        { stdin: 'Subject: Synthetic check of sendmail\n\nSynthetic.\n' });
      assert.equal(direct.code, 0, direct.stderr);
      for (let i = 0; i < 100 && !fs.readFileSync(acks, 'utf8').includes('Synthetic check of sendmail'); i += 1) await sleep(200);
      const directEntry = fs.readFileSync(acks, 'utf8').split(/^From /m).find((part) => part.includes('Subject: Synthetic check of sendmail'));
      assert.match(directEntry ?? '', /^Return-Path: <MAILER-DAEMON>$/m);
    } finally {
      if (started) await postfix('stop');
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
