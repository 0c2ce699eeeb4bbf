// The case list (docs/api.md, "The case list"), on the engine PSEA_TEST_ENGINE names:
// - every filter of GET /api/v1/cases, combined, with the total and the paging, and each bad
//   value refused with 400 naming its parameter;
// - full-text search over the clear half only: a reference, a place, a unit are found; a
//   victim's or subject's name never is;
// - need-to-know inside the query: an officer sees the cases assigned to them, an investigator
//   the cases referred to their unit, the VRA only the cases she is linked to (list, case and
//   due view), and the totals count nothing else;
// - concurrency: GET gives an ETag; If-Match that names another version is 412, a stale body
//   version 409; two edits made against the same version: one wins, the other is refused.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'clchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'clofficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'clvra', role: 'vra', password: strongPassword() };
const investigator = { username: 'clinv', role: 'investigator', password: strongPassword() };
const admin = { username: 'cladmin', role: 'admin', password: strongPassword() };
const USERS = [chief, officer, vra, investigator, admin];

const VICTIM = 'Quillane Dorsevaux';
const SUBJECT = 'Sergeant Pemberly Vaskotch';
const DAY = 86400000;
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

describe('the case list', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};
  const k = {}; // the cases, by letter

  const newCase = async ({ town, category, type, age, unit, dateReported }) => {
    const c = as[chief.username];
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town, narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-01',
      victims: [{ age, sex: 'female', name: VICTIM, child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit, rank: 'Sergeant', identified: 'yes', name: SUBJECT }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category, type, perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
    const r = await c.post('/api/v1/cases', { complaints: [id], date_reported: dateReported });
    assert.equal(r.status, 201, r.text);
    return r.json.case;
  };
  const move = async (kase, status, extra = {}) => {
    const r = await as[chief.username].post(`/api/v1/cases/${kase.id}/transitions`, { status, version: kase.version, ...extra });
    assert.equal(r.status, 200, r.text);
    return r.json.case;
  };
  // The letters of the cases a list answer holds, sorted.
  const letters = (res) => {
    assert.equal(res.status, 200, res.text);
    const byId = Object.fromEntries(Object.entries(k).map(([letter, kase]) => [kase.id, letter]));
    return res.json.cases.map((c) => byId[c.id]).filter(Boolean).sort().join('');
  };
  const list = (who, query) => as[who.username].get(`/api/v1/cases${query ? `?${query}` : ''}`);

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const first = await as[chief.username].post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
    const units = await as[admin.username].get('/api/v1/units');
    const oios = units.json.units.find((u) => u.code === 'OIOS');
    assert.equal((await as[admin.username].patch(`/api/v1/units/${oios.id}`, { focal_point_ids: [ids[investigator.username]] })).status, 200);
    // A: a minor (urgent), reported 60 days ago (overdue), in Boali.
    k.A = await newCase({ town: 'Boali', category: 'sexual_abuse', type: 'sexual_activity_minor', age: 15, unit: 'Battalion Nord', dateReported: daysAgo(60) });
    // B: an adult, today, in Bambari; a police subject added; the officer is assigned.
    k.B = await newCase({ town: 'Bambari', category: 'sexual_exploitation', type: 'transactional_sex', age: 30, unit: 'Battalion Sud', dateReported: daysAgo(0) });
    const subject = await as[chief.username].post(`/api/v1/cases/${k.B.id}/subjects`, { personnel_category: 'police_fpu', nationality: 'SN', unit: 'FPU Kilimanjaro' });
    assert.equal(subject.status, 201, subject.text);
    const assigned = await as[chief.username].post(`/api/v1/cases/${k.B.id}/officers`, { user_id: ids[officer.username] });
    assert.equal(assigned.status, 200, assigned.text);
    k.B = assigned.json.case;
    // C: referred to OIOS and under investigation.
    k.C = await newCase({ town: 'Bria', category: 'sexual_exploitation', type: 'exploitative_relationship', age: 25, unit: 'Battalion Est', dateReported: daysAgo(1) });
    k.C = await move(k.C, 'under_assessment');
    k.C = await move(k.C, 'referred_for_investigation');
    k.C = await move(k.C, 'under_investigation', { entity: 'oios' });
  });
  after(async () => srv && srv.stop());

  it('filters, searches, sorts and pages in one query', async () => {
    assert.equal(letters(await list(chief)), 'ABC');
    assert.equal(letters(await list(chief, 'status=received')), 'AB');
    assert.equal(letters(await list(chief, 'status=received,under_investigation')), 'ABC');
    assert.equal(letters(await list(chief, 'category=sexual_exploitation')), 'BC');
    assert.equal(letters(await list(chief, 'type=transactional_sex')), 'B');
    assert.equal(letters(await list(chief, 'entity=oios')), 'C');
    assert.equal(letters(await list(chief, 'personnel_category=police_fpu')), 'B');
    assert.equal(letters(await list(chief, 'personnel_category=military_contingent&category=sexual_exploitation')), 'BC');
    assert.equal(letters(await list(chief, 'urgent=true')), 'A');
    assert.equal(letters(await list(chief, 'overdue=true')), 'A');
    assert.equal(letters(await list(chief, 'overdue=false')), 'ABC');
    assert.equal(letters(await list(chief, 'mine=true')), '');
    assert.equal(letters(await list(officer, 'mine=true')), 'B');
    // Full-text: a place, a reference (whole or a part), a unit, words of the vocabularies.
    assert.equal(letters(await list(chief, 'q=bambari')), 'B');
    assert.equal(letters(await list(chief, 'q=BAMB')), 'B');
    assert.equal(letters(await list(chief, `q=${encodeURIComponent(k.C.reference)}`)), 'C');
    assert.equal(letters(await list(chief, 'q=kilimanjaro')), 'B');
    assert.equal(letters(await list(chief, 'q=transactional%20sex')), 'B');
    assert.equal(letters(await list(chief, 'q=investigation%20oios')), 'C');
    assert.equal(letters(await list(chief, 'q=boali&status=closed')), '');
    assert.equal(letters(await list(chief, 'q=%22%20*%20-%20(')), 'ABC'); // no word: no filter
    // Never an identity: neither the victim's nor the subject's name is searchable.
    for (const word of ['Quillane', 'Dorsevaux', 'Vaskotch', 'Pemberly']) {
      assert.equal(letters(await list(chief, `q=${word}`)), '', word);
    }
    // The total counts every match; the page holds limit of them from offset.
    const page = await list(chief, 'limit=1&offset=1&sort=oldest');
    assert.equal(page.json.total, 3);
    assert.equal(page.json.limit, 1);
    assert.equal(page.json.offset, 1);
    assert.deepEqual(page.json.cases.map((c) => c.id), [k.B.id]);
    assert.deepEqual((await list(chief, 'sort=newest')).json.cases.map((c) => c.id), [k.C.id, k.B.id, k.A.id]);
    assert.deepEqual((await list(chief, 'sort=reported')).json.cases.map((c) => c.id), [k.B.id, k.C.id, k.A.id]);
    assert.deepEqual((await list(chief, 'sort=reference')).json.cases.map((c) => c.reference),
      [k.A.reference, k.B.reference, k.C.reference].sort());
    assert.deepEqual((await list(chief, 'offset=50')).json, { cases: [], total: 3, limit: 50, offset: 50 });
    const row = (await list(chief)).json.cases[0];
    assert.equal(typeof row.version, 'number');
  });

  it('refuses each bad value with 400 naming its parameter', async () => {
    for (const [query, field] of [
      ['status=open', 'status'], ['status=received,', 'status'], ['category=harassment', 'category'],
      ['type=teasing', 'type'], ['entity=fbi', 'entity'], ['personnel_category=pilot', 'personnel_category'],
      ['overdue=yes', 'overdue'], ['urgent=1', 'urgent'], ['mine=maybe', 'mine'], ['sort=random', 'sort'],
      ['limit=0', 'limit'], ['limit=201', 'limit'], ['offset=-1', 'offset'], ['statuses=received', 'statuses'],
      ['status=received&status=closed', 'status'],
    ]) {
      assertError(await list(chief, query), 400, 'validation_failed', field);
    }
  });

  it('keeps the need-to-know inside the query: list, totals, case and due view', async () => {
    // The officer: the case assigned; the investigator: the case referred to OIOS.
    let r = await list(officer);
    assert.equal(letters(r), 'B');
    assert.equal(r.json.total, 1);
    r = await list(investigator, 'q=bambari');
    assert.equal(r.json.total, 0);
    assert.equal(letters(await list(investigator)), 'C');
    assert.equal((await list(investigator)).json.cases[0].access, 'investigation');
    // The VRA sees no case until she is linked to its victims; then that one only.
    r = await list(vra);
    assert.equal(r.json.total, 0);
    assertError(await as[vra.username].get(`/api/v1/cases/${k.A.id}`), 404, 'not_found');
    assert.deepEqual((await as[vra.username].get('/api/v1/cases/due?within_days=30')).json.items, []);
    // Only a CDT member with full access links, and only an active VRA.
    assertError(await as[officer.username].post(`/api/v1/cases/${k.A.id}/advocates`, { user_id: ids[vra.username] }), 404, 'not_found');
    assertError(await as[vra.username].post(`/api/v1/cases/${k.A.id}/advocates`, { user_id: ids[vra.username] }), 403, 'forbidden');
    assertError(await as[chief.username].post(`/api/v1/cases/${k.A.id}/advocates`, { user_id: ids[officer.username] }), 422, 'unprocessable', 'user_id');
    const linked = await as[chief.username].post(`/api/v1/cases/${k.A.id}/advocates`, { user_id: ids[vra.username] });
    assert.equal(linked.status, 200, linked.text);
    k.A = linked.json.case;
    assert.ok(k.A.timeline.some((e) => e.kind === 'advocate_linked'));
    assertError(await as[chief.username].post(`/api/v1/cases/${k.A.id}/advocates`, { user_id: ids[vra.username] }), 409, 'conflict', 'user_id');
    r = await list(vra);
    assert.equal(letters(r), 'A');
    assert.equal(r.json.cases[0].access, 'victims');
    const seen = await as[vra.username].get(`/api/v1/cases/${k.A.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.json.case.advocates, []); // the links are the CDT's to see
    const due = await as[vra.username].get('/api/v1/cases/due?within_days=30');
    assert.ok(due.json.items.length > 0 && due.json.items.every((i) => i.case_id === String(k.A.id)), due.text);
    assert.ok(due.json.items.every((i) => i.assignee_ids.length === 0));
    // The chief's due view: A overdue, the cases of today running; the officer sees B only.
    const chiefDue = await as[chief.username].get('/api/v1/cases/due?within_days=365');
    assert.ok(chiefDue.json.items.some((i) => i.case_id === String(k.A.id) && i.state === 'overdue'), chiefDue.text);
    const officerDue = await as[officer.username].get('/api/v1/cases/due?within_days=365&mine=true');
    assert.ok(officerDue.json.items.length > 0 && officerDue.json.items.every((i) => i.case_id === String(k.B.id)), officerDue.text);
    assert.ok(officerDue.json.items.every((i) => i.assignee_ids.includes(officer.username)));
    const unlinked = await as[chief.username].del(`/api/v1/cases/${k.A.id}/advocates/${ids[vra.username]}`);
    assert.equal(unlinked.status, 200, unlinked.text);
    k.A = unlinked.json.case;
    assertError(await as[vra.username].get(`/api/v1/cases/${k.A.id}`), 404, 'not_found');
    assertError(await as[chief.username].del(`/api/v1/cases/${k.A.id}/advocates/${ids[vra.username]}`), 404, 'not_found');
  });

  it('gives an ETag and honours If-Match (412) and the body version (409)', async () => {
    const got = await as[chief.username].get(`/api/v1/cases/${k.B.id}`);
    assert.equal(got.status, 200, got.text);
    const version = got.json.case.version;
    const etag = got.headers.get('etag');
    assert.equal(etag, `"v${version}"`);
    const url = `/api/v1/cases/${k.B.id}`;
    const stale = `"v${version - 1}"`;
    assertError(await as[chief.username].patch(url, { location: 'Sibut' }, { headers: { 'If-Match': stale } }), 412, 'precondition_failed', 'If-Match');
    assertError(await as[chief.username].patch(url, { location: 'Sibut' }, { headers: { 'If-Match': `W/${etag}` } }), 412, 'precondition_failed', 'If-Match');
    assertError(await as[chief.username].patch(url, { location: 'Sibut', version: version - 1 }), 409, 'conflict', 'version');
    assertError(await as[chief.username].patch(url, { location: 'Sibut' }), 400, 'validation_failed', 'version');
    assertError(await as[chief.username].patch(url, { location: 'Sibut' }, { headers: { 'If-Match': 'v1' } }), 400, 'validation_failed', 'If-Match');
    assertError(await as[chief.username].patch(url, { location: 'Sibut', version: version + 1 }, { headers: { 'If-Match': etag } }), 400, 'validation_failed', 'version');
    // Two edits made against the same version at the same time: one wins, the other is 412.
    const answers = await Promise.all(['Sibut', 'Kaga-Bandoro'].map((location) =>
      as[chief.username].patch(url, { location }, { headers: { 'If-Match': etag } })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 412], answers.map((a) => a.text).join('\n'));
    const winner = answers.find((a) => a.status === 200);
    assert.equal(winner.headers.get('etag'), `"v${version + 1}"`);
    assertError(answers.find((a) => a.status === 412), 412, 'precondition_failed', 'If-Match');
    // The search follows the edit in the same transaction.
    assert.equal(letters(await list(chief, `q=${winner.json.case.location.split('-')[0]}`)), 'B');
    assert.equal(letters(await list(chief, 'q=bambari')), '');
    // Transitions take If-Match too; If-Match: * checks nothing.
    const fresh = `"v${winner.json.case.version}"`;
    assertError(await as[chief.username].post(`${url}/transitions`, { status: 'under_assessment' }, { headers: { 'If-Match': etag } }), 412, 'precondition_failed', 'If-Match');
    const moved = await as[chief.username].post(`${url}/transitions`, { status: 'under_assessment' }, { headers: { 'If-Match': fresh } });
    assert.equal(moved.status, 200, moved.text);
    const star = await as[chief.username].patch(url, { risk_ongoing: true }, { headers: { 'If-Match': '*' } });
    assert.equal(star.status, 200, star.text);
    assert.equal(star.json.case.version, winner.json.case.version + 2);
    assert.equal(letters(await list(chief, 'status=under_assessment&urgent=true')), 'B');
  });
});
