// The gap table under load: 300 providers and 5,000 assistance files with two needs each (a third
// of them met) made through the API, then GET /api/v1/assistance/gaps 200 times (docs/performance.md).
//   PSEA_BINARY=build/psea PSEA_TEST_ENGINE=sqlite|postgres [PSEA_TEST_PG_URL=...] node bench/gaps.mjs
// Until the referrals generator exists, the data is made here, request by request (about 2 minutes).

import { startServer, strongPassword, loginEnrolled } from '../tests/support/server.mjs';
const vra = { username: 'perfvra', role: 'vra', password: strongPassword() };
const srv = await startServer({ users: [vra] });
try {
  const { client } = await loginEnrolled(srv, vra);
  const places = (await client.get('/api/v1/providers')).json.prefectures.map((p) => p.code);
  const services = ['safety_protection','medical','psychosocial','legal','education','livelihood','basic_material','child_support'];
  let t0 = Date.now();
  for (let i = 0; i < 300; i++) {
    const r = await client.request('POST', '/api/v1/providers', { name: `Perf provider ${i}`, kind: 'other', services: [services[i % 8], services[(i * 3 + 1) % 8]].filter((v, k, a) => a.indexOf(v) === k), prefecture: places[i % places.length], cost: 'free', last_verified: i % 5 === 0 ? '2025-01-01' : undefined }, { validate: false });
    if (r.status !== 201) throw new Error(r.text);
  }
  console.log('providers', Date.now() - t0, 'ms');
  t0 = Date.now();
  for (let i = 0; i < 5000; i++) {
    const f = await client.request('POST', '/api/v1/assistance/files', { pseudonym: `P${i}`, prefecture: places[(i * 7) % places.length] }, { validate: false });
    if (f.status !== 201) throw new Error(f.text);
    for (let k = 0; k < 2; k++) {
      const n = await client.request('POST', `/api/v1/assistance/files/${f.json.file.id}/needs`, { type: services[(i + k * 3) % 8] }, { validate: false });
      if (n.status !== 201) throw new Error(n.text);
      if ((i + k) % 3 === 0) await client.request('PATCH', `/api/v1/assistance/files/${f.json.file.id}/needs/${n.json.need.id}`, { status: 'met' }, { validate: false });
    }
  }
  console.log('files', Date.now() - t0, 'ms');
  const times = [];
  for (let i = 0; i < 200; i++) {
    const s = process.hrtime.bigint();
    const r = await client.request('GET', '/api/v1/assistance/gaps', undefined, { validate: false });
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (r.status !== 200) throw new Error(r.text);
    if (i === 0) console.log('rows', r.json.rows.length, JSON.stringify(r.json.summary));
  }
  times.sort((a, b) => a - b);
  console.log(`GET /assistance/gaps x200: p50 ${times[100].toFixed(2)} ms, p95 ${times[190].toFixed(2)} ms, max ${times[199].toFixed(2)} ms`);
} finally { await srv.stop(); }
