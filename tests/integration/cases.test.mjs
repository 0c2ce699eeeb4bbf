// Allegation cases (docs/api.md, "Cases"), on the engine PSEA_TEST_ENGINE names:
// - a case is made from complaints ready for a case; they become referred; the victims' and
//   subjects' names are re-sealed for the case, never stored in clear (file and WAL, or dump);
// - a role-by-endpoint matrix of who may do what (404 for a case one may not know of);
// - the workflow: illegal steps 409 naming status, stale versions 409 naming version,
//   impossible dates 422 naming the field, edits to a closed case 409;
// - assigning an officer grants the case, unassigning takes it away at once;
// - reveal opens one identity and is audited; the repeat-subject alert counts other cases.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'cschief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'csofficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'csvra', role: 'vra', password: strongPassword() };
const investigator = { username: 'csinv', role: 'investigator', password: strongPassword() };
const leader = { username: 'csleader', role: 'leadership', password: strongPassword() };
const admin = { username: 'csadmin', role: 'admin', password: strongPassword() };
const operator = { username: 'csop', role: 'intake_operator', password: strongPassword() };
// A second VRA, a victims reader only when the first names her (after cases exist).
const vra2 = { username: 'csvra2', role: 'vra', password: strongPassword() };
const USERS = [chief, officer, vra, investigator, leader, admin, operator, vra2];

const VICTIM = 'Orlavine Pesquette';
const SUBJECT = 'Corporal Thaddeo Wrenlasz';
const VICTIM_ADDED = 'Maribelle Quondrake';
const SUBJECT_ADDED = 'Lieutenant Osric Fellowind';

describe('allegation cases', { timeout: 300000 }, () => {
  let srv;
  const as = {};
  const ids = {};

  const readyComplaint = async (perpetratorName = SUBJECT) => {
    const c = as[chief.username];
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative at a checkpoint.',
      incident_date_precision: 'month', incident_date: '2026-01',
      victims: [{ age: 16, sex: 'female', name: VICTIM, child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Corporal', identified: 'yes', name: perpetratorName }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    const assessed = await c.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category: 'sexual_abuse', type: 'sexual_activity_minor', perpetrator_affiliation: 'mission' });
    assert.equal(assessed.status, 200, assessed.text);
    const routed = await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' });
    assert.equal(routed.status, 200, routed.text);
    return id;
  };
  const newCase = async (perpetratorName) => {
    const r = await as[chief.username].post('/api/v1/cases', { complaints: [await readyComplaint(perpetratorName)] });
    assert.equal(r.status, 201, r.text);
    return r.json.case;
  };
  const move = (c, id, body) => as[c.username].post(`/api/v1/cases/${id}/transitions`, body);

  before(async () => {
    srv = await startServer({ users: USERS, victimReaders: [vra.username] });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    // The first cases reader is named by an intake reader who is chief, with the step-up.
    const first = await as[chief.username].post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
    // The investigator is a focal point of OIOS.
    const units = await as[admin.username].get('/api/v1/units');
    const oios = units.json.units.find((u) => u.code === 'OIOS');
    const focal = await as[admin.username].patch(`/api/v1/units/${oios.id}`, { focal_point_ids: [ids[investigator.username]] });
    assert.equal(focal.status, 200, focal.text);
  });
  after(async () => srv && srv.stop());

  it('a case is made from a complaint ready for a case, which becomes referred', async () => {
    const complaint = await readyComplaint();
    const notReady = await as[chief.username].post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', narrative: 'Synthetic.', victims: [{ sex: 'female' }] });
    assert.equal(notReady.status, 201, notReady.text);
    assertError(await as[chief.username].post('/api/v1/cases', { complaints: [notReady.json.complaint.id] }), 409, 'conflict', 'complaints');
    // An officer who is no intake reader cannot re-seal the complaint.
    assertError(await as[officer.username].post('/api/v1/cases', { complaints: [complaint] }), 403, 'forbidden');
    const r = await as[chief.username].post('/api/v1/cases', { complaints: [complaint] });
    assert.equal(r.status, 201, r.text);
    const k = r.json.case;
    assert.match(k.reference, /^MINUSCA-\d{4}-0001$/);
    assert.equal(k.status, 'received');
    assert.equal(k.category, 'sexual_abuse');
    assert.equal(k.type, 'sexual_activity_minor');
    assert.equal(k.urgent, true);
    assert.equal(k.incident_date, '2026-01');
    assert.equal(k.victims.length, 1);
    assert.equal(k.victims[0].age_group, 'minor');
    assert.equal(k.subjects[0].nationality, 'CF');
    assert.equal(k.subjects[0].identified, true);
    assert.deepEqual(k.complaints.map((c) => c.id), [complaint]);
    assert.ok(!JSON.stringify(k).includes(VICTIM) && !JSON.stringify(k).includes(SUBJECT));
    const taken = await as[chief.username].get(`/api/v1/intake/complaints/${complaint}`);
    assert.equal(taken.json.complaint.status, 'referred');
    assertError(await as[chief.username].post('/api/v1/cases', { complaints: [complaint] }), 409, 'conflict', 'complaints');
    // Bad input names its field.
    assertError(await as[chief.username].post('/api/v1/cases', { complaints: [await readyComplaint()], type: 'teasing' }), 400, 'validation_failed', 'type');
    assertError(await as[chief.username].post('/api/v1/cases', { complaints: [await readyComplaint()], incident_date_precision: 'exact', incident_date: '2099-01-01' }), 422, 'unprocessable', 'incident_date');
  });

  it('answers each role on each endpoint as the need-to-know says', async () => {
    const k = await newCase();
    const v = k.victims[0].id;
    const s = k.subjects[0].id;
    const endpoints = [
      ['GET /cases', (c) => c.get('/api/v1/cases')],
      ['GET /cases/{id}', (c) => c.get(`/api/v1/cases/${k.id}`)],
      ['PATCH /cases/{id}', (c) => c.patch(`/api/v1/cases/${k.id}`, { version: 999, location: 'Boali' })],
      ['POST transitions', (c) => c.post(`/api/v1/cases/${k.id}/transitions`, { status: 'closed', version: 999, outcome: 'substantiated' })],
      ['POST victims', (c) => c.post(`/api/v1/cases/${k.id}/victims`, { pseudonym: 'VX', sex: 'female', version: 1 })],
      ['POST entries', (c) => c.post(`/api/v1/cases/${k.id}/entries`, { kind: 'action', type: 'fine', date: '2099-01-01' })],
      ['POST officers', (c) => c.post(`/api/v1/cases/${k.id}/officers`, { user_id: 999999 })],
      ['reveal victim', (c) => c.post(`/api/v1/cases/${k.id}/victims/${v}/reveal`, {})],
      ['reveal subject', (c) => c.post(`/api/v1/cases/${k.id}/subjects/${s}/reveal`, {})],
      ['GET case-readers', (c) => c.get('/api/v1/case-readers')],
    ];
    // Expected statuses: the chief reads every case; an unassigned officer, a VRA not linked to
    // the case, an investigator of a case not referred yet, leadership and the rest learn
    // nothing (404) or are refused by
    // role (403). Requests the chief may make fail on their content (400 unknown field,
    // 409 version, 422), after the need-to-know check.
    const expected = {
      [chief.username]: [200, 200, 409, 409, 400, 422, 422, 200, 200, 200],
      [officer.username]: [200, 404, 404, 404, 400, 422, 422, 404, 404, 200],
      [vra.username]: [200, 404, 403, 403, 400, 422, 403, 404, 404, 403],
      [investigator.username]: [200, 404, 403, 404, 400, 422, 403, 404, 404, 403],
      [leader.username]: [403, 404, 403, 403, 400, 422, 403, 404, 404, 403],
      [admin.username]: [403, 404, 403, 403, 400, 422, 403, 404, 404, 403],
      [operator.username]: [403, 404, 403, 403, 400, 422, 403, 404, 404, 403],
    };
    const got = {};
    for (const user of USERS.filter((u) => u !== vra2)) {
      got[user.username] = [];
      for (const [, call] of endpoints) got[user.username].push((await call(as[user.username])).status);
    }
    assert.deepEqual(got, expected);
    // The officer's list does not hold the case, nor the VRA's until she is linked to it.
    assert.ok(!(await as[officer.username].get('/api/v1/cases')).json.cases.some((c) => c.id === k.id));
    assert.ok(!(await as[vra.username].get('/api/v1/cases')).json.cases.some((c) => c.id === k.id));
    const linked = await as[chief.username].post(`/api/v1/cases/${k.id}/advocates`, { user_id: ids[vra.username] });
    assert.equal(linked.status, 200, linked.text);
    assert.deepEqual(linked.json.case.advocates.map((a) => a.username), [vra.username]);
    const linkedVra = [];
    for (const [, call] of endpoints) linkedVra.push((await call(as[vra.username])).status);
    assert.deepEqual(linkedVra, [200, 200, 403, 403, 400, 422, 403, 200, 404, 403]);
    assert.ok((await as[vra.username].get('/api/v1/cases')).json.cases.some((c) => c.id === k.id && c.access === 'victims'));
  });

  it('moves along the workflow, refusing illegal steps, stale versions and impossible dates', async () => {
    const k = await newCase();
    let version = k.version;
    assertError(await move(chief, k.id, { status: 'closed', version, outcome: 'substantiated' }), 409, 'conflict', 'status');
    assertError(await move(chief, k.id, { status: 'flying', version }), 400, 'validation_failed', 'status');
    assertError(await move(chief, k.id, { status: 'under_assessment', version: version + 5 }), 409, 'conflict', 'version');
    assertError(await move(chief, k.id, { status: 'under_assessment', version, date: '2020-01-01' }), 422, 'unprocessable', 'date');
    assertError(await move(chief, k.id, { status: 'under_assessment', version, date: '2099-01-01' }), 422, 'unprocessable', 'date');
    assertError(await as[chief.username].patch(`/api/v1/cases/${k.id}`, { version, incident_date_precision: 'exact', incident_date: '2099-02-30' }), 400, 'validation_failed', 'incident_date');
    let r = await move(chief, k.id, { status: 'under_assessment', version });
    assert.equal(r.status, 200, r.text);
    version = r.json.case.version;
    r = await move(chief, k.id, { status: 'referred_for_investigation', version });
    version = r.json.case.version;
    assertError(await move(chief, k.id, { status: 'under_investigation', version }), 400, 'validation_failed', 'entity');
    r = await move(chief, k.id, { status: 'under_investigation', version, entity: 'oios', reason: 'note verbale sent' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.case.investigating_entity, 'oios');
    version = r.json.case.version;
    // The OIOS investigator now sees the case, without victims' pseudonyms, and records the report.
    const seen = await as[investigator.username].get(`/api/v1/cases/${k.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.case.access, 'investigation');
    assert.equal(seen.json.case.victims[0].pseudonym, '');
    assertError(await as[investigator.username].post(`/api/v1/cases/${k.id}/victims/${k.victims[0].id}/reveal`, {}), 404, 'not_found');
    r = await move(investigator, k.id, { status: 'report_received', version });
    assert.equal(r.status, 200, r.text);
    version = r.json.case.version;
    r = await move(chief, k.id, { status: 'under_review', version });
    version = r.json.case.version;
    const entry = await as[chief.username].post(`/api/v1/cases/${k.id}/entries`, { kind: 'interim_measure', type: 'payment_suspension', date: k.date_reported });
    assert.equal(entry.status, 201, entry.text);
    assertError(await as[chief.username].post(`/api/v1/cases/${k.id}/entries`, { kind: 'action', type: 'payment_suspension', date: k.date_reported }), 400, 'validation_failed', 'type');
    version = entry.json.case.version;
    assertError(await move(chief, k.id, { status: 'closed', version }), 400, 'validation_failed', 'outcome');
    r = await move(chief, k.id, { status: 'closed', version, outcome: 'substantiated' });
    assert.equal(r.status, 200, r.text);
    const closed = r.json.case;
    assert.equal(closed.outcome, 'substantiated');
    const steps = closed.timeline.filter((e) => e.kind === 'status').map((e) => [e.from_status, e.to_status, e.by]);
    assert.deepEqual(steps, [
      ['received', 'under_assessment', chief.username],
      ['under_assessment', 'referred_for_investigation', chief.username],
      ['referred_for_investigation', 'under_investigation', chief.username],
      ['under_investigation', 'report_received', investigator.username],
      ['report_received', 'under_review', chief.username],
      ['under_review', 'closed', chief.username],
    ]);
    assert.equal(closed.timeline.find((e) => e.to_status === 'under_investigation').reason, 'note verbale sent');
    assertError(await as[chief.username].patch(`/api/v1/cases/${k.id}`, { version: closed.version, location: 'Bimbo' }), 409, 'conflict', 'status');
    assertError(await as[chief.username].post(`/api/v1/cases/${k.id}/victims`, { pseudonym: 'V9' }), 409, 'conflict', 'status');
  });

  it('assigning grants the case and its identities; unassigning takes them away at once', async () => {
    const k = await newCase();
    const added = await as[chief.username].post(`/api/v1/cases/${k.id}/victims`, { pseudonym: 'V2', sex: 'female', age: 30, child_born: 'yes', name: VICTIM_ADDED, address: 'Synthetic street 4' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.json.case.paternity_claim, true);
    const v2 = added.json.case.victims.find((v) => v.pseudonym === 'V2');
    assert.equal(v2.age_group, 'adult');
    assertError(await as[officer.username].get(`/api/v1/cases/${k.id}`), 404, 'not_found');
    const assigned = await as[chief.username].post(`/api/v1/cases/${k.id}/officers`, { user_id: ids[officer.username] });
    assert.equal(assigned.status, 200, assigned.text);
    assertError(await as[chief.username].post(`/api/v1/cases/${k.id}/officers`, { user_id: ids[vra.username] }), 422, 'unprocessable', 'user_id');
    const seen = await as[officer.username].get(`/api/v1/cases/${k.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.case.access, 'full');
    const opened = await as[officer.username].post(`/api/v1/cases/${k.id}/victims/${v2.id}/reveal`, {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, VICTIM_ADDED);
    const out = await as[chief.username].del(`/api/v1/cases/${k.id}/officers/${ids[officer.username]}`);
    assert.equal(out.status, 200, out.text);
    assertError(await as[officer.username].get(`/api/v1/cases/${k.id}`), 404, 'not_found');
    assertError(await as[officer.username].post(`/api/v1/cases/${k.id}/victims/${v2.id}/reveal`, {}), 404, 'not_found');
    // The VRA linked to the case is a victims reader: the victims' identities open for them too.
    assertError(await as[vra.username].post(`/api/v1/cases/${k.id}/victims/${v2.id}/reveal`, {}), 404, 'not_found');
    assert.equal((await as[chief.username].post(`/api/v1/cases/${k.id}/advocates`, { user_id: ids[vra.username] })).status, 200);
    const byVra = await as[vra.username].post(`/api/v1/cases/${k.id}/victims/${v2.id}/reveal`, {});
    assert.equal(byVra.status, 200, byVra.text);
    assert.equal(byVra.json.name, VICTIM_ADDED);
  });

  it('a victims reader named after the case opens its victims; removed, loses them at once', async () => {
    const k = await newCase();
    const v = k.victims[0].id;
    assert.equal((await as[chief.username].post(`/api/v1/cases/${k.id}/advocates`, { user_id: ids[vra2.username] })).status, 200);
    const reveal = () => as[vra2.username].post(`/api/v1/cases/${k.id}/victims/${v}/reveal`, {});
    assertError(await reveal(), 403, 'forbidden');
    const named = await as[vra.username].post('/api/v1/intake/readers', { scope: 'victims', user_id: ids[vra2.username], ...(await stepUp(vra)) });
    assert.equal(named.status, 204, named.text);
    const opened = await reveal();
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, VICTIM);
    // The grant is counted in the audit (intake's items, the cases' victims and files' identities).
    const audit = await as[admin.username].get('/api/v1/audit?object_type=user&limit=500');
    const add = audit.json.entries.find((e) => e.action === 'intake.readers.add' && e.object_id === String(ids[vra2.username]));
    assert.ok(add && add.details.items >= 2, JSON.stringify(add));
    const removed = await as[vra.username].post('/api/v1/intake/readers/remove', { scope: 'victims', user_id: ids[vra2.username], ...(await stepUp(vra)) });
    assert.equal(removed.status, 204, removed.text);
    assertError(await reveal(), 403, 'forbidden');
    const gone = (await as[admin.username].get('/api/v1/audit?object_type=user&limit=500')).json.entries
      .find((e) => e.action === 'intake.readers.remove' && e.object_id === String(ids[vra2.username]));
    assert.ok(gone && gone.details.items >= 2, JSON.stringify(gone));
  });

  it('reveal opens one identity and is audited; repeat subjects are flagged', async () => {
    const first = await newCase(SUBJECT_ADDED);
    const second = await newCase('fellowind, LIEUTENANT osric');
    const subject = (await as[chief.username].get(`/api/v1/cases/${second.id}`)).json.case.subjects[0];
    assert.equal(subject.other_cases, 1);
    const revealed = await as[chief.username].post(`/api/v1/cases/${first.id}/subjects/${first.subjects[0].id}/reveal`, {});
    assert.equal(revealed.status, 200, revealed.text);
    assert.equal(revealed.json.name, SUBJECT_ADDED);
    const victim = await as[chief.username].post(`/api/v1/cases/${first.id}/victims/${first.victims[0].id}/reveal`, {});
    assert.equal(victim.json.name, VICTIM);
    const audit = await as[admin.username].get('/api/v1/audit?object_type=case&limit=500');
    assert.equal(audit.status, 200, audit.text);
    const actions = audit.json.entries.filter((e) => e.object_id === String(first.id)).map((e) => e.action);
    assert.ok(actions.includes('cases.subject.reveal') && actions.includes('cases.victim.reveal'), actions.join());
    const timeline = (await as[chief.username].get(`/api/v1/cases/${first.id}`)).json.case.timeline.map((e) => e.kind);
    assert.ok(timeline.includes('victim_revealed') && timeline.includes('subject_revealed'));
  });

  it('absorbs a later complaint, and keeps its last cases reader', async () => {
    const k = await newCase();
    const later = await readyComplaint();
    const r = await as[chief.username].post(`/api/v1/cases/${k.id}/complaints`, { complaints: [later] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.case.complaints.length, 2);
    assert.deepEqual(r.json.case.victims.map((v) => v.pseudonym), ['V1', 'V2']);
    assert.ok(r.json.case.timeline.filter((e) => e.kind === 'complaint_added').length === 2);
    assertError(await as[chief.username].post(`/api/v1/cases/${k.id}/complaints`, { complaints: [later] }), 409, 'conflict', 'complaints');
    const readers = await as[chief.username].get('/api/v1/case-readers');
    assert.deepEqual(readers.json.readers.map((x) => x.user_id), [ids[chief.username]]);
    assert.ok(readers.json.eligible.some((x) => x.username === officer.username));
    assertError(await as[chief.username].post('/api/v1/case-readers/remove', { user_id: ids[chief.username], ...(await stepUp(chief)) }), 409, 'conflict');
    // Without the step-up nothing changes.
    assertError(await as[chief.username].post('/api/v1/case-readers', { user_id: ids[officer.username] }), 400, 'validation_failed', 'current_password');
  });

  it('the console names a cases reader from the recovery key; they open every case until removed', async () => {
    const k = await newCase();
    assertError(await as[officer.username].get(`/api/v1/cases/${k.id}`), 404, 'not_found');
    const cli = (args, stdin) => srv.cli(['cases', 'readers', ...args, ...srv.dbArgs], stdin);
    const wrong = await cli(['add', '--username', officer.username], 'A'.repeat(43) + '=\n');
    assert.notEqual(wrong.code, 0, 'a wrong recovery key is refused');
    assertError(await as[officer.username].get(`/api/v1/cases/${k.id}`), 404, 'not_found');
    assert.notEqual((await cli(['add', '--username', vra.username], srv.recoveryKey + '\n')).code, 0, 'a VRA is not eligible');
    const added = await cli(['add', '--username', officer.username], srv.recoveryKey + '\n');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^csofficer is a cases reader; [1-9]\d* victim and subject identities were granted/);
    assert.match((await cli(['list'])).stdout, /^csofficer\tadded by console on /m);
    // The officer's open session opens the case and its identities at once.
    const opened = await as[officer.username].post(`/api/v1/cases/${k.id}/victims/${k.victims[0].id}/reveal`, {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, VICTIM);
    const removed = await cli(['remove', '--username', officer.username]);
    assert.equal(removed.code, 0, removed.stderr);
    assertError(await as[officer.username].get(`/api/v1/cases/${k.id}`), 404, 'not_found');
    const audit = await as[admin.username].get('/api/v1/audit?object_type=user&limit=500');
    const console = audit.json.entries.filter((e) => e.actor === 'console' && e.action.startsWith('cases.readers.'));
    assert.deepEqual(console.map((e) => e.action).sort(), ['cases.readers.add', 'cases.readers.remove']);
  });

  it('stores no victim or subject name in clear', async () => {
    const bytes = await srv.databaseBytes();
    for (const name of [VICTIM, SUBJECT, VICTIM_ADDED, SUBJECT_ADDED, 'Synthetic street 4', 'Wrenlasz', 'Fellowind', 'fellowind']) {
      assert.equal(bytes.indexOf(Buffer.from(name)), -1, `${name} is in the database in clear`);
    }
  });
});
