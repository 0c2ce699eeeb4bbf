// /healthz, /metrics, /api/v1/meta and /api/v1/openapi.json (docs/api.md, Endpoints).
//
// Choices where docs/api.md is silent (the stricter reading; the server should match):
// - /healthz answers exactly {"status":"ok","database":"ok"} as application/json.
// - /metrics is Prometheus text exposition (text/plain; version=0.0.4) with # TYPE lines:
//   psea_http_requests_total is a counter, psea_http_request_duration_seconds a histogram, and at least one
//   psea_db_pool* series. Labels use route templates, never raw paths: an id or unknown path requested by a
//   client does not appear in /metrics (no unbounded label cardinality, no data in labels).
// - The OpenAPI document lists every `METHOD /path` of the Endpoints table in docs/api.md (parsed at test
//   time), either as the full path or relative to a `servers[].url` prefix such as /api/v1; path parameter
//   names may differ ({id} vs {user_id}).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, documentedEndpoints } from '../support/server.mjs';

describe('observability', { timeout: 60000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('GET /healthz answers 200 {"status":"ok","database":"ok"}', async () => {
    const r = await srv.client().get('/healthz');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(r.json, { status: 'ok', database: 'ok' });
  });

  it('GET /api/v1/meta answers name, version and demo', async () => {
    const r = await srv.client().get('/api/v1/meta');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, 'psea');
    assert.equal(r.json.version, '0.1.0');
    assert.equal(r.json.demo, false);
  });

  it('GET /metrics is Prometheus text with the request, duration and pool metrics', async () => {
    // produce some traffic first
    for (let i = 0; i < 3; i++) await srv.client().get('/api/v1/meta');
    await srv.client().get('/api/v1/auth/me');
    const r = await srv.client().get('/metrics');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') || '', /^text\/plain/);
    const text = r.text;
    assert.ok(text.includes('psea_http_requests_total'), 'psea_http_requests_total missing');
    assert.ok(text.includes('psea_http_request_duration_seconds_bucket'), 'psea_http_request_duration_seconds_bucket missing');
    assert.ok(text.includes('psea_db_pool'), 'psea_db_pool* missing');
    assert.match(text, /^# TYPE psea_http_requests_total counter$/m);
    assert.match(text, /^# TYPE psea_http_request_duration_seconds histogram$/m);
    assert.match(text, /^psea_http_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/m);
    assert.match(text, /^psea_http_request_duration_seconds_(sum|count)(\{[^}]*\})? [0-9.eE+-]+$/m);
    // every sample line parses
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?\d+)?$/, `bad sample line: ${line}`);
    }
    const total = text.split('\n').filter((l) => l.startsWith('psea_http_requests_total'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    assert.ok(total >= 4, `psea_http_requests_total sums to ${total} after at least 4 requests`);
  });

  it('/metrics labels use route templates, not raw paths or ids', async () => {
    const marker = 'zq' + Date.now();
    await srv.client().get(`/api/v1/${marker}`);
    await srv.client().get('/api/v1/users/918273645');
    await srv.client().get(`/static/${marker}.js`);
    const r = await srv.client().get('/metrics');
    assert.ok(!r.text.includes(marker), 'an unknown path appears in /metrics');
    assert.ok(!r.text.includes('918273645'), 'a record id appears in /metrics');
  });

  it('GET /api/v1/openapi.json is OpenAPI 3 with a path for every endpoint of docs/api.md', async () => {
    const r = await srv.client().get('/api/v1/openapi.json');
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    const doc = r.json;
    assert.ok(doc && typeof doc.openapi === 'string' && doc.openapi.startsWith('3.'), `openapi: ${doc?.openapi}`);
    assert.ok(doc.info && doc.paths && typeof doc.paths === 'object');
    const endpoints = documentedEndpoints();
    assert.ok(endpoints.length >= 15, `parsed only ${endpoints.length} endpoints from docs/api.md`);
    const norm = (p) => p.replace(/\{[^}]+\}/g, '{}').replace(/\/+$/, '') || '/';
    const bases = (doc.servers || []).map((s) => {
      try {
        return new URL(s.url, 'http://x').pathname.replace(/\/+$/, '');
      } catch {
        return '';
      }
    }).filter((b) => b && b !== '/');
    const index = new Map();
    for (const [p, item] of Object.entries(doc.paths)) {
      const methods = Object.keys(item).map((m) => m.toUpperCase());
      index.set(norm(p), methods);
      for (const b of bases) index.set(norm(b + p), methods);
    }
    const missing = [];
    for (const { method, path } of endpoints) {
      const methods = index.get(norm(path));
      if (!methods || !methods.includes(method)) missing.push(`${method} ${path}`);
    }
    assert.deepEqual(missing, [], `openapi.json lacks: ${missing.join(', ')}`);
  });
});
