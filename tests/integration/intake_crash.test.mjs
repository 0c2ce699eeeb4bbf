// Durability of public reports (docs/api.md "Intake"): a receipt code shown to a reporter means
// the complaint is on disk. Hundreds of reports are POSTed to /report, 48 at a time; once about
// half have been answered the server is killed with SIGKILL in the middle of the others. After a
// restart, every receipt code a client received must find its complaint: all of them through
// the database (the code's locator, an HMAC under the server key, is in intake_complaints) and
// a sample of them through the follow-up page itself.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { startServer, strongPassword, httpRequest, sleep } from '../support/server.mjs';

process.env.PSEA_PUBLIC_REPORTS_PER_HOUR = '100000';
process.env.PSEA_PUBLIC_REPORTS_PER_MINUTE = '100000';  // 400 reports in a few seconds

const TOTAL = 400;
const PARALLEL = 48;

function canonical(code) {
  return code.replaceAll('-', '');
}

describe('intake durability', { timeout: 180000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer({ users: [{ username: 'crashchief', role: 'cdt_chief', password: strongPassword() }] });
  });
  after(async () => srv && srv.stop());

  it('every receipt code a reporter received survives SIGKILL', async () => {
    const body = (i) => new URLSearchParams({
      lang: 'en',
      narrative: `Synthetic durability report ${i}`,
      reporter_relation: 'witness',
    }).toString();
    const received = [];
    let failed = 0;
    let next = 0;
    let killed = false;
    const baseUrl = srv.baseUrl;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        try {
          const r = await httpRequest(`${baseUrl}/report`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: body(i),
            timeoutMs: 20000,
          });
          const match = r.status === 201 && /id="receipt">([0-9A-Z-]{19})</.exec(r.text);
          if (match) received.push(match[1]);
          else failed += 1;
        } catch {
          failed += 1;
        }
        if (!killed && received.length >= TOTAL / 2) {
          killed = true;
          srv.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    assert.ok(killed, `the server was killed (${received.length} codes, ${failed} failures)`);
    await srv.exitPromise;
    assert.ok(received.length >= TOTAL / 2, `only ${received.length} codes received`);
    assert.ok(failed > 0, 'some requests were in flight when the server died');

    // Restart on the same database.
    fs.rmSync(srv.portFile, { force: true });
    await srv.serve();

    const key = Buffer.from(fs.readFileSync(path.join(srv.dataDir, 'server.key'), 'utf8').trim(), 'base64');
    const stored = new Set((await srv.sql('SELECT receipt_locator FROM intake_complaints')).trim().split('\n'));
    const missing = received.filter((code) => {
      const locator = createHmac('sha256', key).update(`psea-receipt:${canonical(code)}`).digest('hex').slice(0, 32);
      return !stored.has(locator);
    });
    assert.deepEqual(missing, [], `${missing.length} of ${received.length} acknowledged reports were lost`);

    // A sample through the reporter's own page, from different loopback addresses (the
    // follow-up is throttled per address).
    for (let i = 0; i < 20; i += 1) {
      const code = received[Math.floor((i * received.length) / 20)];
      const r = await httpRequest(`${srv.baseUrl}/report/follow-up`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ lang: 'en', code }).toString(),
        localAddress: `127.0.0.${10 + i}`,
      });
      assert.equal(r.status, 200, `follow-up of ${code}: ${r.status}`);
      assert.match(r.text, /Received/);
    }
    await sleep(10);
  });
});
