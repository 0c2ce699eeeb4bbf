// The Trust Fund in Support of Victims (docs/api.md, "Trust Fund"), on the engine
// PSEA_TEST_ENGINE names, one server:
// - the role matrix, endpoint by endpoint: the VRA and the CDT chief manage, leadership reads
//   the figures only, everybody else gets 403;
// - bad input names its field (400/422): dates out of order, negative amounts and counts, a
//   currency that is not ISO 4217, a prefecture or provider that does not exist;
// - If-Match / version: 412 and 409 for a lost update;
// - beneficiaries are counts by period; figures sum by year and currency, never across;
// - a transfer's case link is seen only by who may see the case;
// - CSV and XLSX exports, audited.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'tfchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'tfofficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'tfvra', role: 'vra', password: strongPassword() };
const leader = { username: 'tfleader', role: 'leadership', password: strongPassword() };
const admin = { username: 'tfadmin', role: 'admin', password: strongPassword() };
const investigator = { username: 'tfinv', role: 'investigator', password: strongPassword() };
const manager = { username: 'tfmanager', role: 'provider_case_manager', password: strongPassword() };
const USERS = [chief, officer, vra, leader, admin, investigator, manager];

const year = new Date().getUTCFullYear();
const project = (over = {}) => ({
  title: 'Synthetic livelihood project Quillon', partner: 'Invented NGO Marrowdale', amount_minor: 12500000,
  currency: 'USD', start_day: `${year}-01-01`, end_day: `${year}-12-31`, prefectures: ['BGI', 'OMP'],
  services: ['livelihood', 'psychosocial'], status: 'active', notes: 'Synthetic notes', ...over,
});
const transfer = (over = {}) => ({
  transfer_day: `${year - 1}-06-15`, amount_minor: 400000, currency: 'XAF', contributor: 'Invented Member State Varnholt',
  reference: 'FIN-SYN-1', ...over,
});

describe('the Trust Fund: projects, beneficiaries, transfers, figures', { timeout: 60000 }, () => {
  let srv;
  let caseId;
  const as = {};
  const ids = {};

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    // One case, which the chief (a cases reader) sees and the VRA does not until linked to it.
    const c = as[chief.username];
    assert.equal((await c.post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) })).status, 204);
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: `${year}-01`,
      victims: [{ age: 24, sex: 'female', name: 'Case Victim Synthetica', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Corporal', identified: 'yes' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const complaint = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/route`, { route: 'case' })).status, 200);
    const made = await c.post('/api/v1/cases', { complaints: [complaint] });
    assert.equal(made.status, 201, made.text);
    caseId = made.json.case.id;
  });
  after(async () => srv && srv.stop());

  it('lets each role do what its permissions say, endpoint by endpoint', async () => {
    const made = await as[vra.username].post('/api/v1/trust-fund/projects', project());
    assert.equal(made.status, 201, made.text);
    const p = made.json.project;
    assert.equal(made.headers.get('etag'), '"v1"');
    assert.deepEqual(p.services, ['psychosocial', 'livelihood'], 'in vocabulary order');
    assert.equal(p.minor_digits, 2);
    const t = (await as[chief.username].post('/api/v1/trust-fund/transfers', transfer())).json.transfer;
    assert.equal(t.minor_digits, 0);

    const others = [officer, admin, investigator, manager];
    const deny = (extra = {}) => Object.fromEntries([...others.map((u) => [u.username, 403]), [leader.username, 403], ...Object.entries(extra)]);
    const matrix = [
      ['GET', '/api/v1/trust-fund/projects', undefined, deny({ [vra.username]: 200, [chief.username]: 200 })],
      ['POST', '/api/v1/trust-fund/projects', project({ title: 'Matrix' }), deny()],
      ['GET', `/api/v1/trust-fund/projects/${p.id}`, undefined, deny({ [chief.username]: 200 })],
      ['PATCH', `/api/v1/trust-fund/projects/${p.id}`, { notes: 'x', version: 1 }, deny()],
      ['POST', `/api/v1/trust-fund/projects/${p.id}/beneficiaries`, { period_start: `${year}-01-01`, period_end: `${year}-03-31`, women: 1 }, deny()],
      ['DELETE', `/api/v1/trust-fund/projects/${p.id}/beneficiaries/1`, undefined, deny()],
      ['GET', '/api/v1/trust-fund/transfers', undefined, deny({ [vra.username]: 200, [chief.username]: 200 })],
      ['POST', '/api/v1/trust-fund/transfers', transfer(), deny()],
      ['GET', `/api/v1/trust-fund/transfers/${t.id}`, undefined, deny({ [vra.username]: 200 })],
      ['PATCH', `/api/v1/trust-fund/transfers/${t.id}`, { notes: 'x', version: 1 }, deny()],
      ['GET', '/api/v1/trust-fund/figures', undefined, { ...deny(), [leader.username]: 200, [vra.username]: 200, [chief.username]: 200 }],
      ['GET', '/api/v1/trust-fund/export?what=projects', undefined, deny({ [chief.username]: 200 })],
    ];
    for (const [method, url, body, expected] of matrix) {
      for (const [username, status] of Object.entries(expected)) {
        const r = await as[username].request(method, url, body);
        assert.equal(r.status, status, `${username} ${method} ${url}: ${r.status} ${r.text}`);
      }
    }
    assertError(await as[vra.username].get('/api/v1/trust-fund/projects/999999'), 404, 'not_found');
  });

  it('names the field of bad input, and keeps nothing of it', async () => {
    const c = as[vra.username];
    const before = (await c.get('/api/v1/trust-fund/projects')).json.projects.length;
    const cases = [
      [{ end_day: `${year - 1}-12-31` }, 422, 'unprocessable', 'end_day'],
      [{ amount_minor: -5 }, 422, 'unprocessable', 'amount_minor'],
      [{ amount_minor: 12.5 }, 400, 'validation_failed', 'amount_minor'],
      [{ currency: 'usd' }, 422, 'unprocessable', 'currency'],
      [{ currency: 'ABC' }, 422, 'unprocessable', 'currency'],
      [{ currency: 'DOLLAR' }, 422, 'unprocessable', 'currency'],
      [{ prefectures: ['ZZZ'] }, 422, 'unprocessable', 'prefectures'],
      [{ provider_id: 999999 }, 422, 'unprocessable', 'provider_id'],
      [{ services: ['dancing'] }, 400, 'validation_failed', 'services'],
      [{ status: 'finished' }, 400, 'validation_failed', 'status'],
      [{ start_day: '01/02/2026' }, 400, 'validation_failed', 'start_day'],
      [{ title: '' }, 400, 'validation_failed', 'title'],
      [{ colour: 'blue' }, 400, 'unknown_field', 'colour'],
    ];
    for (const [over, status, code, field] of cases) {
      assertError(await c.post('/api/v1/trust-fund/projects', project(over), { validate: false }), status, code, field);
    }
    const noPartner = project();
    delete noPartner.partner;
    assertError(await c.post('/api/v1/trust-fund/projects', noPartner, { validate: false }), 400, 'validation_failed', 'partner');
    assert.equal((await c.get('/api/v1/trust-fund/projects')).json.projects.length, before, 'nothing written');

    const transfers = [
      [{ amount_minor: -1 }, 422, 'unprocessable', 'amount_minor'],
      [{ amount_minor: 0 }, 422, 'unprocessable', 'amount_minor'],
      [{ currency: 'FCF' }, 422, 'unprocessable', 'currency'],
      [{ transfer_day: `${year + 1}-01-01` }, 422, 'unprocessable', 'transfer_day'],
      [{ contributor: '' }, 400, 'validation_failed', 'contributor'],
      [{ case_id: 999999 }, 422, 'unprocessable', 'case_id'],
    ];
    for (const [over, status, code, field] of transfers) {
      assertError(await c.post('/api/v1/trust-fund/transfers', transfer(over), { validate: false }), status, code, field);
    }
  });

  it('records beneficiaries by period, versions and figures by year and currency', async () => {
    const c = as[vra.username];
    const p = (await c.post('/api/v1/trust-fund/projects', project({ title: 'Synthetic shelter project Ivel', currency: 'EUR', amount_minor: 5000000 }))).json.project;
    const q1 = { period_start: `${year}-01-01`, period_end: `${year}-03-31`, women: 12, girls: 5, men: 1, boys: 2, children_born_of_sea: 3 };
    let r = await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, q1, { headers: { 'If-Match': '"v1"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('etag'), '"v2"');
    assert.equal(r.json.project.beneficiaries_total.total, 23);
    // The same first day replaces the counts.
    r = await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, { ...q1, women: 14 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.project.beneficiaries.length, 1);
    assert.equal(r.json.project.beneficiaries_total.total, 25);
    assertError(await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, { ...q1, period_start: `${year}-04-01`, period_end: `${year}-06-30`, girls: -1 }), 422, 'unprocessable', 'girls');
    assertError(await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, { ...q1, period_end: `${year - 1}-12-01` }), 422, 'unprocessable', 'period_end');
    assertError(await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, { ...q1, period_start: `${year + 1}-01-01`, period_end: `${year + 1}-02-01` }), 422, 'unprocessable', 'period_start');
    assertError(await c.post(`/api/v1/trust-fund/projects/${p.id}/beneficiaries`, q1, { headers: { 'If-Match': '"v1"' } }), 412, 'precondition_failed', 'If-Match');

    // Lost updates: If-Match 412, version 409.
    assertError(await as[chief.username].patch(`/api/v1/trust-fund/projects/${p.id}`, { status: 'completed' }, { headers: { 'If-Match': '"v1"' } }), 412, 'precondition_failed', 'If-Match');
    assertError(await as[chief.username].patch(`/api/v1/trust-fund/projects/${p.id}`, { status: 'completed', version: 1 }), 409, 'conflict', 'version');
    assertError(await as[chief.username].patch(`/api/v1/trust-fund/projects/${p.id}`, { status: 'completed' }), 400, 'validation_failed', 'version');
    assertError(await as[chief.username].patch(`/api/v1/trust-fund/projects/${p.id}`, { start_day: `${year}-05-01`, version: 3 }), 422, 'unprocessable', 'start_day');
    r = await as[chief.username].patch(`/api/v1/trust-fund/projects/${p.id}`, { status: 'completed' }, { headers: { 'If-Match': '"v3"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.project.version, 4);

    const entry = r.json.project.beneficiaries[0].id;
    assertError(await c.del(`/api/v1/trust-fund/projects/${p.id}/beneficiaries/999999`), 404, 'not_found');

    const figures = (await as[leader.username].get('/api/v1/trust-fund/figures')).json.figures;
    const funded = figures.funded.filter((s) => s.year === year);
    assert.ok(funded.some((s) => s.currency === 'EUR' && s.amount_minor === 5000000), JSON.stringify(funded));
    assert.ok(funded.some((s) => s.currency === 'USD'), 'USD apart from EUR');
    assert.equal(figures.beneficiaries_total.total, 25);
    assert.deepEqual(figures.beneficiaries_by_year.map((b) => [b.year, b.women]), [[year, 14]]);
    r = await c.del(`/api/v1/trust-fund/projects/${p.id}/beneficiaries/${entry}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.project.beneficiaries.length, 0);
  });

  it('shows a transfer\'s case only to who may see the case, totals by year and currency, and exports', async () => {
    const linked = await as[chief.username].post('/api/v1/trust-fund/transfers', transfer({ case_id: caseId, amount_minor: 100000, reference: 'FIN-SYN-2' }));
    assert.equal(linked.status, 201, linked.text);
    const t = linked.json.transfer;
    assert.equal(t.case_id, caseId);
    assert.match(t.case_reference, /-\d{4}-\d{4}$/);
    // The VRA is not linked to the case: she sees the amount, not the link; nor may she link it.
    let seen = (await as[vra.username].get(`/api/v1/trust-fund/transfers/${t.id}`)).json.transfer;
    assert.equal(seen.case_id, null);
    assert.equal(seen.case_reference, null);
    assertError(await as[vra.username].post('/api/v1/trust-fund/transfers', transfer({ case_id: caseId })), 422, 'unprocessable', 'case_id');
    // A correction of hers leaves the link she cannot see.
    const corrected = await as[vra.username].patch(`/api/v1/trust-fund/transfers/${t.id}`, { amount_minor: 150000 }, { headers: { 'If-Match': '"v1"' } });
    assert.equal(corrected.status, 200, corrected.text);
    assertError(await as[vra.username].patch(`/api/v1/trust-fund/transfers/${t.id}`, { notes: 'x', version: 1 }), 409, 'conflict', 'version');
    assert.equal((await as[chief.username].post(`/api/v1/cases/${caseId}/advocates`, { user_id: ids[vra.username] })).status, 200);
    seen = (await as[vra.username].get(`/api/v1/trust-fund/transfers/${t.id}`)).json.transfer;
    assert.equal(seen.case_id, caseId);
    assert.equal(seen.amount_minor, 150000);

    const list = (await as[vra.username].get('/api/v1/trust-fund/transfers')).json;
    const xaf = list.totals.find((s) => s.year === year - 1 && s.currency === 'XAF');
    assert.equal(xaf.amount_minor, 400000 + 150000);
    assert.equal(xaf.count, 2);

    const csv = await as[chief.username].get('/api/v1/trust-fund/export?what=transfers&format=csv');
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /trust-fund-transfers\.csv/);
    assert.ok(csv.text.includes('id,date,amount_minor,amount,currency,contributor,case,reference'), csv.text.slice(0, 200));
    assert.ok(csv.text.includes('150000,150000,XAF'), 'XAF has no decimals');
    assert.ok(csv.text.includes(t.case_reference), 'the chief sees the case: its reference is exported');
    const projects = await as[vra.username].get('/api/v1/trust-fund/export?what=projects&format=csv');
    assert.ok(projects.text.includes('125000.00,USD'), projects.text.slice(0, 400));
    assert.ok(!projects.text.includes('Synthetic notes'), 'notes stay out of exports');
    const xlsx = await as[vra.username].get('/api/v1/trust-fund/export?what=projects&format=xlsx');
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK', 'a zip container');
    assertError(await as[vra.username].get('/api/v1/trust-fund/export?format=csv', { validate: false }), 400, 'validation_failed', 'what');
    const audit = await as[admin.username].get('/api/v1/audit?action=trustfund.export&limit=50');
    assert.equal(audit.status, 200, audit.text);
    assert.ok(audit.json.entries.length >= 3, audit.text);
  });
});
