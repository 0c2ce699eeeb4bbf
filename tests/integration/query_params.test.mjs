// Query parameters are read strictly on every route (docs/api.md, "Query parameters"): a
// malformed value, a value out of range, a parameter the route does not take and one given
// twice are each a 400 validation_failed naming the parameter, in the one error shape. Empty
// values are the same as absent ones. A few routes of every module that reads a query, and
// one of each that reads none.
// Also here: unknown paths that look like files are 404, not the web app (static files).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, httpRequest, rawRequest, buildRequest } from '../support/server.mjs';

const chief = { username: 'qpchief', role: 'cdt_chief', password: strongPassword() };
const admin = { username: 'qpadmin', role: 'admin', password: strongPassword() };

describe('query parameters', { timeout: 120000 }, () => {
  let srv;
  let cc;
  let ac;

  before(async () => {
    srv = await startServer({
      users: [chief, admin],
      webFiles: { 'index.html': '<!doctype html><title>psea app</title>', 'assets/app-1a2b.js': 'console.log(1)' },
    });
    cc = (await loginEnrolled(srv, chief)).client;
    ac = (await loginEnrolled(srv, admin)).client;
  });
  after(async () => srv && srv.stop());

  // [client, path with query, the parameter the 400 names]
  const bad = () => [
    // intake
    [cc, '/api/v1/intake/complaints?offset=1abc', 'offset'],
    [cc, '/api/v1/intake/complaints?offset=-1', 'offset'],
    [cc, '/api/v1/intake/complaints?limit=-3', 'limit'],
    [cc, '/api/v1/intake/complaints?limit=100000', 'limit'],
    [cc, '/api/v1/intake/complaints?limit=0', 'limit'],
    [cc, '/api/v1/intake/complaints?limit=%2B5', 'limit'],
    [cc, '/api/v1/intake/complaints?limit=5&limit=6', 'limit'],
    [cc, '/api/v1/intake/complaints?urgent=yes', 'urgent'],
    [cc, '/api/v1/intake/complaints?status=bogus', 'status'],
    [cc, '/api/v1/intake/complaints?route=nowhere', 'route'],
    [cc, '/api/v1/intake/complaints?q=' + 'a'.repeat(101), 'q'],
    [cc, '/api/v1/intake/complaints?q=a%00b', 'q'],
    [cc, '/api/v1/intake/complaints?sort=urgent', 'sort'],
    [cc, '/api/v1/intake/figures?from=2026-13', 'from'],
    [cc, '/api/v1/intake/figures?to=26-01', 'to'],
    [cc, '/api/v1/intake/readers?scope=everyone', 'scope'],
    [cc, '/api/v1/intake/alerts?x=1', 'x'],
    // plan
    [cc, '/api/v1/plans/1?year=20x6', 'year'],
    [cc, '/api/v1/plans/1?year=1800', 'year'],
    [cc, '/api/v1/plans/1?pillar=all', 'pillar'],
    [cc, '/api/v1/plans/1/diff?against=0', 'against'],
    [cc, '/api/v1/plans/1/report?format=pdf', 'format'],
    [cc, '/api/v1/plans/1/report?format=xlsx&lang=de', 'lang'],
    [cc, '/api/v1/indicators?plan_id=-2', 'plan_id'],
    [cc, '/api/v1/indicators?from=2018-1', 'from'],
    [cc, '/api/v1/my/activities?pillar=x', 'pillar'],
    [cc, '/api/v1/plans?page=2', 'page'],
    // audit
    [ac, '/api/v1/audit?limit=501', 'limit'],
    [ac, '/api/v1/audit?limit=1.5', 'limit'],
    [ac, '/api/v1/audit?before_id=abc', 'before_id'],
    [ac, '/api/v1/audit?from=yesterday', 'from'],
    [ac, '/api/v1/audit?format=xml', 'format'],
    [ac, '/api/v1/audit?actor=' + 'a'.repeat(201), 'actor'],
    [ac, '/api/v1/audit?limt=5', 'limt'],
    // accounts, units: no parameters at all
    [ac, '/api/v1/users?page=1', 'page'],
    [ac, '/api/v1/units?q=x', 'q'],
    [ac, '/api/v1/auth/me?debug=true', 'debug'],
  ];

  it('every malformed, out-of-range, unknown or repeated parameter is a 400 naming it', async () => {
    for (const [client, target, field] of bad()) {
      const r = await client.get(target);
      assertError(r, 400, 'validation_failed', field);
      assert.ok(r.json.error.message.length < 200, `${target}: ${r.json.error.message}`);
    }
  });

  it('good values, and empty ones, are accepted', async () => {
    for (const [client, target] of [
      [cc, '/api/v1/intake/complaints?limit=500&offset=0&urgent=false&status=all'],
      [cc, '/api/v1/intake/complaints?limit=&offset=&status=&channel=&q=Bangui%20%C3%A9t%C3%A9'],
      [cc, '/api/v1/intake/figures?from=2026-01&to=2026-12'],
      [cc, '/api/v1/intake/readers?scope=victims'],
      [cc, '/api/v1/indicators?from=2018-01'],
      [ac, '/api/v1/audit?limit=1&before_id=999999&from=2026-01-01&to=2030-12-31'],
      [ac, '/api/v1/users'],
    ]) {
      const r = await client.get(target);
      assert.equal(r.status, 200, `${target}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  });

  it('the public pages ignore parameters added by shared links', async () => {
    const r = await httpRequest(srv.baseUrl + '/report?lang=fr&fbclid=abc&utm_source=whatsapp');
    assert.equal(r.status, 200);
  });

  it('paths that name files or dot segments are 404; app routes and real files are served', async () => {
    for (const target of ['/.git/config', '/.git/HEAD', '/.env', '/foo.php', '/x/../y', '/%2e%2e/etc/passwd',
      '/wp-login.php', '/assets/missing-0000.js', '/backup.sql', '/.well-known/security.txt']) {
      // Raw bytes: a URL parser would remove the dot segments before psea sees them.
      const r = await rawRequest(srv.port, buildRequest('GET', target));
      assert.equal(r.status, 404, `${target}: ${r.status}`);
      assert.doesNotMatch(r.text, /psea app/, target);
    }
    for (const target of ['/', '/users', '/intake/queue', '/index.html', '/assets/app-1a2b.js']) {
      const r = await httpRequest(srv.baseUrl + target);
      assert.equal(r.status, 200, `${target}: ${r.status}`);
    }
  });
});
