// Paternity claims and child support (docs/api.md, "Paternity claims"), on the engine
// PSEA_TEST_ENGINE names, one server:
// - a VRA records a claim on an assistance file, against a subject of a case linked to the file;
//   the child's name, date of birth and the wishes are sealed (never in the database file in
//   clear) and opened only by an audited reveal, by a victims reader or a designee;
// - the role matrix: the case's officers, investigators, leadership and the admin get 404 on a
//   claim and 403 on creation and on the figure; another VRA works it but opens nothing; a
//   designee reads it but changes nothing;
// - the DNA sample's custody (hand-overs from the holder, in order, seals checked), the order of
//   the dates (test after collection, result after the sample), support and payments (amounts
//   positive, payments after the arrangement starts), bad input naming its field;
// - versions (If-Match 412, version 409), closing; the figure of open claims by age.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'pachief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'paofficer', role: 'cdt_officer', password: strongPassword() };
const investigator = { username: 'painv', role: 'investigator', password: strongPassword() };
const leader = { username: 'paleader', role: 'leadership', password: strongPassword() };
const vra = { username: 'pavra', role: 'vra', password: strongPassword() };
const vra2 = { username: 'pavra2', role: 'vra', password: strongPassword() };
const admin = { username: 'paadmin', role: 'admin', password: strongPassword() };
const USERS = [chief, officer, investigator, leader, vra, vra2, admin];

const CHILD = 'Theodolinde Quaresmaville-Oyo';
const WISHES = 'Wants schooling paid; no contact with Sergeant Imaginaire';

describe('paternity claims, DNA custody and child support', { timeout: 60000 }, () => {
  let srv;
  let caseId;
  let subjectId;
  let fileId;
  let claim;
  const as = {};
  const ids = {};

  const url = (id, tail = '') => `/api/v1/paternity/claims/${id}${tail}`;

  before(async () => {
    srv = await startServer({ users: USERS, victimReaders: [vra.username] });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const c = as[chief.username];
    const first = await c.post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2025-06',
      victims: [{ age: 19, sex: 'female', name: 'Case Victim Synthetica', child_born: 'yes' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Sergeant', identified: 'yes' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const complaint = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/route`, { route: 'case' })).status, 200);
    const made = await c.post('/api/v1/cases', { complaints: [complaint] });
    assert.equal(made.status, 201, made.text);
    caseId = made.json.case.id;
    assert.equal((await c.post(`/api/v1/cases/${caseId}/advocates`, { user_id: ids[vra.username] })).status, 200);
    const kase = await as[vra.username].get(`/api/v1/cases/${caseId}`);
    assert.equal(kase.status, 200, kase.text);
    subjectId = kase.json.case.subjects[0].id;
    const file = await as[vra.username].post('/api/v1/assistance/files', {
      pseudonym: 'Victim P', sex: 'female', age: 19, prefecture: 'OMP', case_ids: [caseId],
      identity: { name: 'Mother Synthetica Pellworm' },
    });
    assert.equal(file.status, 201, file.text);
    fileId = file.json.file.id;
  });
  after(async () => srv && srv.stop());

  it('a VRA records a claim whose child is sealed and opened only by an audited reveal', async () => {
    const v = as[vra.username];
    const made = await v.post('/api/v1/paternity/claims', {
      file_id: fileId, case_id: caseId, subject_id: subjectId, claim_date: '2025-09-01',
      sealed: { child_name: CHILD, child_date_of_birth: '2025-03-14', wishes: WISHES },
    });
    assert.equal(made.status, 201, made.text);
    claim = made.json.claim;
    assert.equal(made.headers.get('etag'), `"v${claim.version}"`);
    assert.equal(claim.subject_id, subjectId);
    assert.match(claim.case_reference, /-\d{4}-\d{4}$/);
    assert.equal(claim.result, 'pending');
    assert.equal(claim.has_sealed, true);
    assert.equal(claim.can_reveal, true);
    assert.ok(!made.text.includes(CHILD) && !made.text.includes('2025-03-14'));

    const opened = await v.post(url(claim.id, '/sealed/reveal'), {});
    assert.equal(opened.status, 200, opened.text);
    assert.deepEqual(opened.json, { child_name: CHILD, child_date_of_birth: '2025-03-14', wishes: WISHES });
    const listed = await v.get(`/api/v1/paternity/claims?file_id=${fileId}`);
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.claims.length, 1);

    const bytes = await srv.databaseBytes();
    for (const secret of [CHILD, WISHES]) {
      assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${secret} is stored in clear`);
    }
    const audit = await as[admin.username].get('/api/v1/audit?object_type=paternity_claim&limit=100');
    assert.equal(audit.status, 200, audit.text);
    const actions = audit.json.entries.filter((e) => e.object_id === String(claim.id)).map((e) => e.action);
    assert.ok(actions.includes('paternity.claim.create') && actions.includes('paternity.sealed.reveal'), actions.join());
  });

  it('the role matrix: the VRA works, a designee reads, nobody else learns a claim exists', async () => {
    const other = as[vra2.username];
    const seen = await other.get(url(claim.id));
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.claim.can_work, true);
    assert.equal(seen.json.claim.can_reveal, false);
    assertError(await other.post(url(claim.id, '/sealed/reveal'), {}), 403, 'forbidden');
    for (const outsider of [chief, officer, investigator, leader, admin]) {
      const c = as[outsider.username];
      assertError(await c.get(url(claim.id)), 404, 'not_found');
      assertError(await c.get(`/api/v1/paternity/claims?file_id=${fileId}`), 404, 'not_found');
      assertError(await c.patch(url(claim.id), { version: claim.version, lab: 'X' }), 404, 'not_found');
      assertError(await c.post(url(claim.id, '/sealed/reveal'), {}), 404, 'not_found');
      assertError(await c.post(url(claim.id, '/sample'), { collected_by: 'X', collected_at: '2025-09-02', place: 'X' }), 404, 'not_found');
      assertError(await c.post('/api/v1/paternity/claims', { file_id: fileId }), 403, 'forbidden');
      assertError(await c.get('/api/v1/paternity/figures/open-by-age'), 403, 'forbidden');
    }
    // The case's officer designated for the file reads the claim, changes nothing.
    assert.equal((await as[vra.username].post(`/api/v1/assistance/files/${fileId}/designees`, { user_id: ids[officer.username] })).status, 200);
    const read = await as[officer.username].get(url(claim.id));
    assert.equal(read.status, 200, read.text);
    assert.equal(read.json.claim.can_work, false);
    assertError(await as[officer.username].patch(url(claim.id), { version: claim.version, lab: 'X' }), 403, 'forbidden');
    // Designated after the sealing: the claim's key comes with the designation (nothing for
    // the sync to do).
    const opened = await as[officer.username].post(url(claim.id, '/sealed/reveal'), {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.child_name, CHILD);
    const sync = await as[vra.username].post('/api/v1/paternity/readers/sync', {});
    assert.equal(sync.status, 200, sync.text);
    assert.equal(sync.json.granted, 0);
    const keys = async () => (await srv.sql(
      `SELECT COUNT(*) FROM vault_item_keys k JOIN paternity_claims p ON p.sealed_item = k.item_id WHERE k.reader_id = ${ids[officer.username]}`)).trim();
    assert.equal(await keys(), '1');
    assert.equal((await as[vra.username].del(`/api/v1/assistance/files/${fileId}/designees/${ids[officer.username]}`)).status, 200);
    assertError(await as[officer.username].get(url(claim.id)), 404, 'not_found');
    assert.equal(await keys(), '0', 'undesignated, the key goes at once');
  });

  it('bad input names its field and writes nothing', async () => {
    const v = as[vra.username];
    const post = (body) => v.post('/api/v1/paternity/claims', { file_id: fileId, ...body });
    assertError(await post({ claim_date: '2999-01-01' }), 422, 'unprocessable', 'claim_date');
    assertError(await post({ claim_date: 'yesterday' }), 400, 'validation_failed', 'claim_date');
    assertError(await post({ subject_id: subjectId }), 422, 'unprocessable', 'subject_id');
    assertError(await post({ case_id: 987654 }), 422, 'unprocessable', 'case_id');
    assertError(await post({ case_id: caseId, subject_id: 987654 }), 422, 'unprocessable', 'subject_id');
    assertError(await post({ sealed: { child_name: CHILD, eye_colour: 'brown' } }), 400, 'unknown_field', 'sealed.eye_colour');
    assertError(await post({ sealed: { child_date_of_birth: '14/03/2025' } }), 400, 'validation_failed', 'sealed.child_date_of_birth');
    assertError(await v.post('/api/v1/paternity/claims', { file_id: 987654 }), 404, 'not_found');
    assertError(await v.get('/api/v1/paternity/claims'), 400, 'validation_failed', 'file_id');
    const listed = await v.get(`/api/v1/paternity/claims?file_id=${fileId}`);
    assert.equal(listed.json.claims.length, 1, 'nothing half-written');
  });

  it('the DNA sample keeps its custody, the dates keep their order, support and payments are followed', async () => {
    const v = as[vra.username];
    assertError(await v.patch(url(claim.id), { version: claim.version, tested_at: '2025-09-10' }), 422, 'unprocessable', 'tested_at');
    assertError(await v.patch(url(claim.id), { version: claim.version, ms_notified_at: '2025-08-01' }), 422, 'unprocessable', 'ms_notified_at');
    let r = await v.post(url(claim.id, '/sample'), { collected_by: 'Nurse Synthetica', collected_at: '2025-09-05T09:00:00Z', place: 'Invented clinic' });
    assert.equal(r.status, 201, r.text);
    assertError(await v.post(url(claim.id, '/sample'), { collected_by: 'X', collected_at: '2025-09-05', place: 'X' }), 409, 'conflict', 'sample');
    assertError(await v.post(url(claim.id, '/sample/custody'), { from_holder: 'Courier', to_holder: 'Lab', at: '2025-09-06' }), 422, 'unprocessable', 'from_holder');
    assertError(await v.post(url(claim.id, '/sample/custody'), { from_holder: 'Nurse Synthetica', to_holder: 'Courier', at: '2025-09-04' }), 422, 'unprocessable', 'at');
    r = await v.post(url(claim.id, '/sample/custody'), { from_holder: 'Nurse Synthetica', to_holder: 'Courier Fictive', at: '2025-09-06', place: 'Bangui' });
    assert.equal(r.status, 201, r.text);
    r = await v.post(url(claim.id, '/sample/custody'), { from_holder: 'Courier Fictive', to_holder: 'Laboratoire Imaginaire', at: '2025-09-08', seal_intact: false, note: 'seal torn' });
    assert.equal(r.status, 201, r.text);
    let current = r.json.claim;
    assert.equal(current.custody.length, 3);
    assert.equal(current.sample.holder, 'Laboratoire Imaginaire');
    assert.equal(current.sample.custody_intact, true);
    assert.equal(current.sample.seals_intact, false);
    assert.equal(current.custody[2].prev_hash, undefined);
    assert.match(current.custody[2].hash, /^[0-9a-f]{64}$/);

    assertError(await v.patch(url(claim.id), { version: current.version, tested_at: '2025-09-01' }), 422, 'unprocessable', 'tested_at');
    assertError(await v.patch(url(claim.id), { version: current.version, tested_at: '2025-09-20', result: 'established_by_dna', result_at: '2025-09-10' }), 422, 'unprocessable', 'result_at');
    assertError(await v.patch(url(claim.id), { version: current.version, result: 'established_by_admission' }), 422, 'unprocessable', 'result_at');
    assertError(await v.patch(url(claim.id), { lab: 'L' }, { headers: { 'If-Match': '"v1"' } }), 412, 'precondition_failed', 'If-Match');
    assertError(await v.patch(url(claim.id), { version: 1, lab: 'L' }), 409, 'conflict', 'version');
    r = await v.patch(url(claim.id), {
      ms_notified_at: '2025-09-03', ms_reference: 'MS-SYN-1', lab: 'Laboratoire Imaginaire', tested_at: '2025-09-20',
      result: 'established_by_dna', result_at: '2025-10-01',
    }, { headers: { 'If-Match': `"v${current.version}"` } });
    assert.equal(r.status, 200, r.text);
    current = r.json.claim;
    assert.equal(current.result, 'established_by_dna');

    const support = { kind: 'voluntary_agreement', amount: 25000, currency: 'XAF', frequency: 'monthly', payer: 'subject', starts_on: '2025-11-01' };
    assertError(await v.post(url(claim.id, '/support'), { ...support, amount: 0 }), 422, 'unprocessable', 'amount');
    assertError(await v.post(url(claim.id, '/support'), { ...support, amount: 12.345 }), 400, 'validation_failed', 'amount');
    assertError(await v.post(url(claim.id, '/support'), { ...support, currency: 'francs' }), 400, 'validation_failed', 'currency');
    assertError(await v.post(url(claim.id, '/support'), { ...support, payer: 'uncle' }), 400, 'validation_failed', 'payer');
    r = await v.post(url(claim.id, '/support'), support);
    assert.equal(r.status, 201, r.text);
    const supportId = r.json.claim.support[0].id;
    const pay = (body) => v.post(url(claim.id, `/support/${supportId}/payments`), body);
    assertError(await pay({ on: '2025-10-15', amount: 25000, state: 'received' }), 422, 'unprocessable', 'on');
    assertError(await pay({ on: '2025-11-15', amount: -1, state: 'received' }), 422, 'unprocessable', 'amount');
    assertError(await pay({ on: '2025-11-15', amount: 25000, state: 'lost' }), 400, 'validation_failed', 'state');
    assert.equal((await pay({ on: '2025-11-01', amount: 25000, state: 'received' })).status, 201);
    r = await pay({ on: '2025-12-01', amount: 25000, state: 'missed' });
    assert.equal(r.status, 201, r.text);
    const arranged = r.json.claim.support[0];
    assert.equal(arranged.payments.length, 2);
    assert.equal(arranged.received_total, 25000);
    assert.equal(arranged.missed_total, 25000);

    // Closed: nothing but reopening.
    r = await v.patch(url(claim.id), { version: r.json.claim.version, status: 'closed' });
    assert.equal(r.status, 200, r.text);
    assertError(await pay({ on: '2026-01-01', amount: 25000, state: 'received' }), 409, 'conflict', 'status');
    r = await v.patch(url(claim.id), { version: r.json.claim.version, status: 'open' });
    assert.equal(r.status, 200, r.text);
  });

  it('the figure counts open claims by age', async () => {
    const v = as[vra.username];
    const recent = await v.post('/api/v1/paternity/claims', { file_id: fileId });
    assert.equal(recent.status, 201, recent.text);
    const figure = await v.get('/api/v1/paternity/figures/open-by-age');
    assert.equal(figure.status, 200, figure.text);
    assert.equal(figure.json.total, 2);
    assert.deepEqual(figure.json.bands.map((b) => b.band), ['under_90', '90_to_179', '180_to_364', '365_and_over']);
    assert.equal(figure.json.bands[0].count, 1);
    assert.equal(figure.json.bands.reduce((sum, b) => sum + b.count, 0), 2);
    // The action plan's computed indicators: open at the end of the period (the chief reads them).
    const list = (await as[chief.username].get('/api/v1/indicators?from=2025-01&to=2025-12'));
    assert.equal(list.status, 200, list.text);
    const value = (key) => {
      const found = list.json.indicators.find((i) => i.key === key);
      assert.ok(found, `${key} is registered`);
      assert.equal(found.kind, 'computed');
      return found.latest?.value;
    };
    // At the end of 2025 only the claim of 2025-09-01 was open, and under a year old.
    assert.equal(value('paternity.open_claims'), 1);
    assert.equal(value('paternity.open_claims_over_365_days'), 0);
    const vocabulary = await v.get('/api/v1/paternity/vocabulary');
    assert.equal(vocabulary.status, 200);
    assert.ok(vocabulary.json.results.includes('established_by_admission'));
  });
});
