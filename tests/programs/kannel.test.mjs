// Debian's Kannel 1.4.5 delivering SMS to psea end to end, configured as docs/operations.md
// says: a fake phone (fakesmsc, from kannel-extras) -> bearerbox -> smsbox -> psea, and psea's
// answer back to the phone as an SMS.
// - get-url (GET, Basic auth with the token as password, Kannel's %t time that psea cannot read
//   as an instant): the first message files a complaint and the phone receives the receipt code;
//   a second message from the same phone joins that complaint; the code works on the public
//   follow-up page.
// - post-url (text/plain with X-Kannel-From and friends, send-sender): a message with accents
//   files a complaint and the phone receives the code.
// Phone numbers and texts are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, startServer, strongPassword, loginEnrolled, sleep } from '../support/server.mjs';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';
const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';
const missing = [BEARERBOX, SMSBOX, FAKESMSC].find((p) => !fs.existsSync(p));
const skip = missing ? `${missing} is missing: install Debian's kannel and kannel-extras` : false;

const chief = { username: 'kachief', role: 'cdt_chief', password: strongPassword() };
const admin = { username: 'kaadmin', role: 'admin', password: strongPassword() };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The sms-service part of the configuration is the one docs/operations.md shows ("SMS through
// Kannel"); the rest wires a fake SMSC on loopback.
function kannelConfig(dir, ports, service) {
  return `group = core
admin-port = ${ports.admin}
admin-password = ${'a'.repeat(12)}
admin-allow-ip = "127.0.0.1"
smsbox-port = ${ports.smsbox}
box-allow-ip = "127.0.0.1"
log-file = "${dir}/bearerbox.log"
log-level = 1

group = smsc
smsc = fake
smsc-id = fake
port = ${ports.smsc}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
log-file = "${dir}/smsbox.log"
log-level = 1
mo-recode = true

${service}
`;
}

class Kannel {
  constructor(dir, ports) {
    this.dir = dir;
    this.ports = ports;
    this.children = [];
  }

  async start(conf) {
    const file = path.join(this.dir, 'kannel.conf');
    fs.writeFileSync(file, conf);
    this.children.push(spawn(BEARERBOX, ['-v', '1', file], { stdio: 'ignore' }));
    await this.waitForPort(this.ports.smsbox);
    this.children.push(spawn(SMSBOX, ['-v', '1', file], { stdio: 'ignore' }));
    // The smsbox is on line once bearerbox's status lists it.
    for (let i = 0; i < 100; i += 1) {
      const status = await fetch(`http://127.0.0.1:${this.ports.admin}/status.txt?password=${'a'.repeat(12)}`)
        .then((r) => r.text())
        .catch(() => '');
      if (/smsbox:.*on-line/.test(status)) return;
      await sleep(100);
    }
    throw new Error(`smsbox did not connect:\n${this.logs()}`);
  }

  async waitForPort(port) {
    for (let i = 0; i < 100; i += 1) {
      const ok = await new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`bearerbox did not listen on ${port}:\n${this.logs()}`);
  }

  logs() {
    return ['bearerbox.log', 'smsbox.log']
      .map((f) => path.join(this.dir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
      .join('\n');
  }

  // One message from a fake phone ("sender receiver text|data message"); resolves with the
  // text of every SMS the phone receives within the time allowed, once one has arrived and no
  // other part follows for a second.
  async send(message, timeoutMs = 15000) {
    const phone = spawn(FAKESMSC, ['-H', '127.0.0.1', '-r', String(this.ports.smsc), '-m', '1', message], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    phone.stdout.on('data', (d) => (out += d));
    phone.stderr.on('data', (d) => (out += d));
    const started = Date.now();
    let lastCount = 0;
    let lastChange = Date.now();
    try {
      while (Date.now() - started < timeoutMs) {
        await sleep(100);
        const got = received(out);
        if (got.length !== lastCount) {
          lastCount = got.length;
          lastChange = Date.now();
        }
        if (got.length > 0 && Date.now() - lastChange > 1000) return got;
      }
      throw new Error(`the phone received nothing:\n${out}\n${this.logs()}`);
    } finally {
      phone.kill('SIGTERM');
    }
  }

  async stop() {
    for (const child of this.children.reverse()) child.kill('SIGTERM');
    await sleep(300);
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    this.children = [];
  }
}

// fakesmsc prints what the phone receives as "Got message N: <from to type data>"; "data" and
// "udh" types are URL-encoded.
function received(out) {
  const texts = [];
  for (const m of out.matchAll(/Got message \d+: <\S+ \S+ (\S+) (.*)>$/gm)) {
    const [, type, data] = m;
    if (type === 'text') texts.push(data);
    else if (type === 'udh') texts.push(decodeURIComponent(data.split(' ').slice(1).join(' ')));
    else texts.push(decodeURIComponent(data.replace(/\+/g, ' ')));
  }
  return texts;
}

// The two sms-service groups of docs/operations.md ("kannel"), pointed at this server.
function documentedServices(secret, port) {
  const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
  const blocks = [...docs.matchAll(/```\n(group = sms-service\n[\s\S]*?)```/g)].map((m) => m[1]);
  const get = blocks.find((b) => b.includes('get-url'));
  const post = blocks.find((b) => b.includes('post-url'));
  assert.ok(get && post, 'docs/operations.md shows a get-url and a post-url sms-service group');
  const here = (b) => b.replaceAll('https://kannel:psea_TOKEN@psea.example.org', `http://kannel:${secret}@127.0.0.1:${port}`);
  return { get: here(get), post: here(post) };
}

function ucs2(text) {
  const bytes = Buffer.from(text, 'utf16le').swap16();
  return [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
}

const CODE = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

describe('Kannel delivers SMS to psea', { skip, timeout: 180000 }, () => {
  let srv;
  let chiefClient;
  let secret;
  let tmp;
  let ports;
  let kannel;

  before(async () => {
    srv = await startServer({ users: [chief, admin] });
    chiefClient = (await loginEnrolled(srv, chief)).client;
    const adminClient = (await loginEnrolled(srv, admin)).client;
    const minted = await adminClient.post('/api/v1/tokens', {
      name: 'Kannel Bangui', scopes: ['intake.sms'], gateway: 'kannel', expires_in_days: 30,
    });
    assert.equal(minted.status, 201, minted.text);
    secret = minted.json.secret;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-kannel-'));
    ports = { admin: await freePort(), smsbox: await freePort(), smsc: await freePort() };
    kannel = new Kannel(tmp, ports);
  });
  after(async () => {
    if (kannel) await kannel.stop();
    if (srv) await srv.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const complaintsFrom = async (phone) => {
    const list = await chiefClient.get('/api/v1/intake/complaints?status=all&channel=sms');
    assert.equal(list.status, 200, list.text);
    const out = [];
    for (const c of list.json.complaints) {
      const detail = await chiefClient.get(`/api/v1/intake/complaints/${c.id}`);
      if (detail.json.identifying?.reporter_phone === phone) out.push(detail.json);
    }
    return out;
  };

  it('get-url: the phone gets its receipt code, a second message joins the complaint', async () => {
    await kannel.start(kannelConfig(tmp, ports, documentedServices(secret, srv.port).get));
    const first = (await kannel.send('+23670004401 4044 text Synthetic report: a soldier asked for sex at the market')).join('');
    const code = first.match(CODE)?.[0];
    assert.ok(code, `no receipt code in the reply: ${first}`);
    // The whole reply arrives (two concatenated parts), not only its first 160 characters.
    assert.match(first, /Follow-up code: [0-9A-Z-]{19}/, first);

    const second = (await kannel.send('+23670004401 4044 text Synthetic follow-up: it was on Tuesday')).join('');
    assert.doesNotMatch(second, CODE, 'a joined message gets no new code');
    assert.ok(second.length > 0);

    const filed = await complaintsFrom('+23670004401');
    assert.equal(filed.length, 1, 'both messages are one complaint');
    assert.match(filed[0].identifying.narrative, /a soldier asked for sex at the market/);
    assert.equal(filed[0].messages.length, 1);
    assert.equal(filed[0].messages[0].text, 'Synthetic follow-up: it was on Tuesday');

    // The code the phone received works on the public follow-up page.
    const follow = await srv.client().post('/report/follow-up', new URLSearchParams({
      code, message: 'Synthetic: any news?',
    }).toString(), { contentType: 'application/x-www-form-urlencoded' });
    assert.equal(follow.status, 200, follow.text.slice(0, 300));
    await kannel.stop();
  });

  it('post-url: a message with accents is filed and the phone gets its code', async () => {
    await kannel.start(kannelConfig(tmp, ports, documentedServices(secret, srv.port).post));
    // A phone sends accents as UCS-2 (fakesmsc's "ucs2": URL-encoded UTF-16BE); smsbox recodes it.
    const reply = (await kannel.send(`+23670004402 4044 ucs2 ${ucs2('Signalement synthétique à Bria')}`)).join('');
    assert.match(reply, CODE, reply);
    const filed = await complaintsFrom('+23670004402');
    assert.equal(filed.length, 1);
    assert.equal(filed[0].identifying.narrative, 'Signalement synthétique à Bria');
    // X-Kannel-Time is the Kannel host's local time without a zone, not an instant: psea files the
    // message at the time received and keeps the value as a note, never drops the message.
    assert.ok((filed[0].notes || []).some((n) => /X-Kannel-Time=\d{4}-\d\d-\d\d \d\d:\d\d/.test(n.text)), JSON.stringify(filed[0].notes));
    await kannel.stop();
  });
});
