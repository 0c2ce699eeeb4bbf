// Throttles an attacker cannot cheaply exhaust, and the proxy settings (docs/security.md
// "Throttles", docs/operations.md "Behind a reverse proxy"):
// - with --trust-proxy the client is the last address of ALL X-Forwarded-For lines joined in
//   order, and IPv6 clients are counted by their /64: rotating the low bits or writing a forged
//   first line changes nothing;
// - --trust-proxy off loopback is refused at start-up without --trusted-proxies;
// - above --public-reports-per-minute, /report answers 429 with a page in its language naming
//   the hotlines, and keeps what the reporter wrote;
// - the body limit of an encoded path is its route's (sign-in: 16 KiB);
// - the audit anchor is e-mailed at start through the alert queue (a fake sendmail).
// Everything here is synthetic.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, strongPassword, assertError, sleep } from '../support/server.mjs';

const chief = { username: 'thchief', role: 'cdt_chief', password: strongPassword() };

const form = (fields) => new URLSearchParams(fields).toString();

// One request on a raw socket, so that a header can be sent on several lines.
function rawRequest(port, method, target, headerLines, body = '') {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    socket.on('error', reject);
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: psea.test', 'Connection: close',
      ...headerLines, `Content-Length: ${Buffer.byteLength(body)}`, '', body];
    socket.write(lines.join('\r\n'));
  });
}

describe('throttles and the proxy', { timeout: 180000 }, () => {
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-mail-'));
  const mailFile = path.join(mailDir, 'sent.eml');
  let srv;

  before(async () => {
    srv = await startServer({
      users: [chief],
      env: {
        PSEA_TRUST_PROXY: 'true',
        PSEA_PUBLIC_REPORTS_PER_MINUTE: '3',
        PSEA_ALERT_EMAIL_TO: 'cdt@mission.example',
        PSEA_ALERT_SENDMAIL: `cat >> ${mailFile}`,
      },
    });
  });
  after(async () => {
    if (srv) await srv.stop();
    fs.rmSync(mailDir, { recursive: true, force: true });
  });

  it('mails the audit anchor at start through the alert queue', async () => {
    let text = '';
    for (let i = 0; i < 50 && !text.includes('--anchor'); i += 1) {
      await sleep(100);
      text = fs.existsSync(mailFile) ? fs.readFileSync(mailFile, 'utf8') : '';
    }
    assert.match(text, /To: cdt@mission\.example/);
    assert.match(text, /Subject: psea: audit anchor \d+/);
    assert.match(text, /psea audit verify --anchor \d+:[0-9a-f]{64}/);
  });

  it('counts the last hop of every X-Forwarded-For line, and an IPv6 client by its /64', async () => {
    const lookUp = (lines) => rawRequest(srv.port, 'POST', '/report/follow-up',
      ['Content-Type: application/x-www-form-urlencoded', ...lines],
      form({ code: 'ABCD-EFGH-JKMN-PQRS', lang: 'en' }));
    // Ten look-ups a minute per address: each from a new address of one /64, behind a forged
    // line the client wrote itself.
    const statuses = [];
    for (let i = 1; i <= 11; i += 1) {
      const r = await lookUp([`X-Forwarded-For: 198.51.100.${i}`, `X-Forwarded-For: 6.6.6.6, 2001:db8:77:1::${i.toString(16)}`]);
      statuses.push(r.status);
    }
    // (A minute boundary can reset the window once; then the limit comes at most ten later.)
    assert.ok(statuses.includes(429), `no 429 for one /64: ${statuses}`);
    assert.equal(statuses[0], 404);
    // Another /64 is another client.
    assert.equal((await lookUp(['X-Forwarded-For: 2001:db8:77:2::1'])).status, 404);
  });

  it('above the per-minute limit for everybody, /report names the hotlines (429)', async () => {
    const anon = srv.client();
    const post = (lang, i) => anon.post('/report', form({ narrative: `Synthetic report ${i}.`, lang }), {
      contentType: 'application/x-www-form-urlencoded',
      headers: { 'X-Forwarded-For': `203.0.113.${i}` },  // each from its own address
    });
    let busy = null;
    for (let i = 1; i <= 8 && !busy; i += 1) {
      const r = await post('fr', i);
      if (r.status === 429) busy = r;
      else assert.equal(r.status, 201, r.text.slice(0, 300));
    }
    assert.ok(busy, 'the fourth report of a minute is refused');
    assert.match(busy.headers.get('content-type'), /^text\/html/);
    assert.match(busy.text, /<html lang="fr"/);
    assert.match(busy.text, /Trop de signalements arrivent en ce moment/);
    assert.match(busy.text, /Appelez gratuitement le 4044 ou 4445/);
    assert.match(busy.text, /Synthetic report \d+\./, 'what the reporter wrote is kept');
    assert.ok(Number(busy.headers.get('retry-after')) >= 1);
    const english = await post('en', 9);
    if (english.status === 429) {
      assert.match(english.text, /Too many reports are arriving right now/);
      assert.match(english.text, /Call the free hotlines 4044 or 4445/);
    }
  });

  it('looks the body limit up on the decoded path', async () => {
    const big = JSON.stringify({ username: 'x', password: 'y'.repeat(20000) });
    const anon = srv.client();
    assertError(await anon.post('/api/v1/auth/%6Cogin', big, { contentType: 'application/json' }), 413, 'payload_too_large');
    assertError(await anon.post('/api/v1/auth/login', big, { contentType: 'application/json' }), 413, 'payload_too_large');
  });

  it('refuses --trust-proxy off loopback without --trusted-proxies', async () => {
    const refused = await srv.cli(['serve', ...srv.dbArgs, '--listen', '0.0.0.0:0', '--trust-proxy'], undefined);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr + refused.stdout, /trusted-proxies/);
  });
});
