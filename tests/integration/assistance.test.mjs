// Victims' assistance (docs/api.md, "Victims' assistance"), on the engine PSEA_TEST_ENGINE
// names, one server:
// - a VRA opens files linked to a case she sees; the identity is sealed (never in the database
//   or its dump in clear) and opened only by an audited reveal, by a victims reader or a designee;
// - the role matrix: every other role gets 404 on a file, an empty list, 403 on creation;
// - bad input names its field (400/422), nothing half-written;
// - consents: a child's is the guardian's (422 naming guardian), a withdrawal is kept, the
//   consent check follows scope, provider and withdrawal;
// - needs: the 72-hour window of a medical need after rape (urgent inside, missed after);
// - versions (If-Match 412, version 409), designation and its revocation at once, closing;
// - a victims reader named later gets the identities' keys by a sync, and loses them at once
//   when removed from the set.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'aschief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'asofficer', role: 'cdt_officer', password: strongPassword() };
const investigator = { username: 'asinv', role: 'investigator', password: strongPassword() };
const leader = { username: 'asleader', role: 'leadership', password: strongPassword() };
const vra = { username: 'asvra', role: 'vra', password: strongPassword() };
const vra2 = { username: 'asvra2', role: 'vra', password: strongPassword() };
const partner = { username: 'aspartner', role: 'partner_focal_point', password: strongPassword() };
const admin = { username: 'asadmin', role: 'admin', password: strongPassword() };
const USERS = [chief, officer, investigator, leader, vra, vra2, partner, admin];

const NAME = 'Zephyrine Maltravers-Quade';
const GUARDIAN = 'Ottoline Brackenridge-Vey';
const PHONE = '+236 75 31 41 59';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3600 * 1000;

describe("victims' assistance files, consents and needs", { timeout: 120000 }, () => {
  let srv;
  let caseId;
  const as = {};
  const ids = {};

  const adult = (over = {}) => ({
    pseudonym: 'Victim A', sex: 'female', age: 24, prefecture: 'OMP',
    identity: { name: NAME, contacts: PHONE, address: 'Quartier Synthetique 7' }, ...over,
  });
  const child = (over = {}) => ({
    pseudonym: 'Victim B', sex: 'female', age: 15, prefecture: 'OMP',
    identity: { name: 'Child Synthetica Pellworm', guardian_name: GUARDIAN, guardian_contact: '+236 75 00 00 09' }, ...over,
  });
  const open = async (body) => {
    const r = await as[vra.username].post('/api/v1/assistance/files', body);
    assert.equal(r.status, 201, r.text);
    return r.json.file;
  };
  const auditActions = async (fileId) => {
    const r = await as[admin.username].get('/api/v1/audit?object_type=assistance_file&limit=500');
    assert.equal(r.status, 200, r.text);
    return r.json.entries.filter((e) => e.object_id === String(fileId)).map((e) => e.action);
  };

  before(async () => {
    // vra reads the victims' identities; vra2 works the files but reads no identity.
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
      incident_date_precision: 'month', incident_date: '2026-01',
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

  it('a VRA opens a file linked to a case she sees; the identity is sealed and opened only by an audited reveal', async () => {
    const v = as[vra.username];
    // She sees the case only once a CDT member links her to it.
    assertError(await v.post('/api/v1/assistance/files', adult({ case_ids: [caseId] })), 422, 'unprocessable', 'case_ids');
    assert.equal((await as[chief.username].post(`/api/v1/cases/${caseId}/advocates`, { user_id: ids[vra.username] })).status, 200);
    const made = await v.post('/api/v1/assistance/files', adult({ case_ids: [caseId] }));
    assert.equal(made.status, 201, made.text);
    const file = made.json.file;
    assert.match(file.reference, /^VA-\d{4}-\d{4}$/);
    assert.equal(made.headers.get('etag'), `"v${file.version}"`);
    assert.equal(file.age_group, 'adult');
    assert.equal(file.has_identity, true);
    assert.equal(file.can_reveal, true);
    assert.equal(file.cases.length, 1);
    assert.equal(file.cases[0].case_id, caseId);
    assert.match(file.cases[0].reference, /-\d{4}-\d{4}$/);
    assert.ok(!JSON.stringify(file).includes(NAME));

    const revealed = await v.post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {});
    assert.equal(revealed.status, 200, revealed.text);
    assert.equal(revealed.json.name, NAME);
    assert.equal(revealed.json.contacts, PHONE);
    // Another VRA works the file but is no victims reader: 403; the case's officers: 404.
    assertError(await as[vra2.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 403, 'forbidden');
    assertError(await as[chief.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 404, 'not_found');

    const kid = await open(child());
    assert.equal(kid.age_group, 'minor');
    const opened = await v.post(`/api/v1/assistance/files/${kid.id}/identity/reveal`, {});
    assert.equal(opened.json.guardian_name, GUARDIAN);

    const bytes = await srv.databaseBytes();
    for (const secret of [NAME, GUARDIAN, PHONE, 'Quartier Synthetique']) {
      assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${secret} is stored in clear`);
    }
    const actions = await auditActions(file.id);
    assert.ok(actions.includes('assistance.file.create') && actions.includes('assistance.identity.reveal'), actions.join());
  });

  it('the role matrix: nobody but the VRA (and designees) sees a file', async () => {
    const file = await open(adult({ pseudonym: 'Victim M' }));
    const v2 = await as[vra2.username].get(`/api/v1/assistance/files/${file.id}`);
    assert.equal(v2.status, 200, v2.text);
    assert.equal(v2.json.file.can_work, true);
    assert.equal(v2.json.file.can_reveal, false);
    for (const outsider of [chief, officer, investigator, leader, partner, admin]) {
      const c = as[outsider.username];
      assertError(await c.get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
      assertError(await c.patch(`/api/v1/assistance/files/${file.id}`, { version: file.version, pseudonym: 'X' }), 404, 'not_found');
      assertError(await c.post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 404, 'not_found');
      assertError(await c.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'medical' }), 404, 'not_found');
      assertError(await c.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'assistance', means: 'oral' }), 404, 'not_found');
      assertError(await c.get(`/api/v1/assistance/files/${file.id}/consent-check?scope=referral`), 404, 'not_found');
      assertError(await c.post('/api/v1/assistance/files', adult()), 403, 'forbidden');
      assertError(await c.get('/api/v1/assistance/designable'), 403, 'forbidden');
      const list = await c.get('/api/v1/assistance/files');
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.total, 0);
    }
    const mine = await as[vra.username].get('/api/v1/assistance/files?status=open&prefecture=OMP');
    assert.ok(mine.json.total >= 1);
    const designable = (await as[vra.username].get('/api/v1/assistance/designable')).json.users.map((u) => u.username);
    assert.ok(designable.includes(officer.username) && designable.includes(partner.username) && !designable.includes(leader.username));
  });

  it('bad input names its field; nothing half-written', async () => {
    const v = as[vra.username];
    const before = (await v.get('/api/v1/assistance/files')).json.total;
    assertError(await v.post('/api/v1/assistance/files', adult({ sex: 'x' })), 400, 'validation_failed', 'sex');
    assertError(await v.post('/api/v1/assistance/files', adult({ age: 130 })), 400, 'validation_failed', 'age');
    assertError(await v.post('/api/v1/assistance/files', adult({ age_group: 'minor' })), 400, 'validation_failed', 'age_group');
    assertError(await v.post('/api/v1/assistance/files', adult({ prefecture: 'ZZZ' })), 422, 'unprocessable', 'prefecture');
    assertError(await v.post('/api/v1/assistance/files', adult({ case_ids: [999999] })), 422, 'unprocessable', 'case_ids');
    assertError(await v.post('/api/v1/assistance/files', adult({ colour: 'red' })), 400, 'unknown_field', 'colour');
    assertError(await v.post('/api/v1/assistance/files', adult({ identity: { nickname: 'x' } })), 400, 'unknown_field', 'identity.nickname');
    assertError(await v.get('/api/v1/assistance/files?status=archived'), 400, 'validation_failed', 'status');
    assertError(await v.get('/api/v1/assistance/files?need=shelter'), 400, 'validation_failed', 'need');
    assertError(await v.get('/api/v1/assistance/files?colour=1'), 400, 'validation_failed', 'colour');
    assertError(await v.get('/api/v1/assistance/files/999999'), 404, 'not_found');
    assert.equal((await v.get('/api/v1/assistance/files')).json.total, before);
    const file = await open(adult());
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'shelter' }), 400, 'validation_failed', 'type');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'legal', after_rape: true }), 422, 'unprocessable', 'after_rape');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'medical', incident_at: '2099-01-01' }), 422, 'unprocessable', 'incident_at');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'paternity', means: 'oral' }), 400, 'validation_failed', 'scope');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'contact', means: 'oral' }), 422, 'unprocessable', 'channel');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'information_sharing', means: 'oral' }), 422, 'unprocessable', 'with_whom');
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'assistance', means: 'oral', given_at: '2099-01-01' }), 422, 'unprocessable', 'given_at');
    assertError(await v.get(`/api/v1/assistance/files/${file.id}/consent-check`), 400, 'validation_failed', 'scope');
    const after = (await v.get(`/api/v1/assistance/files/${file.id}`)).json.file;
    assert.equal(after.needs.length, 0);
    assert.equal(after.consents.length, 0);
  });

  it("consents: a child's is the guardian's; a withdrawal is kept and ends the cover", async () => {
    const v = as[vra.username];
    const kid = await open(child({ pseudonym: 'Victim C' }));
    assertError(await v.post(`/api/v1/assistance/files/${kid.id}/consents`, { scope: 'referral', means: 'oral' }), 422, 'unprocessable', 'guardian');
    assertError(await v.post(`/api/v1/assistance/files/${kid.id}/consents`, { scope: 'referral', means: 'oral', given_by: 'guardian' }), 422, 'unprocessable', 'guardian');
    const given = await v.post(`/api/v1/assistance/files/${kid.id}/consents`,
      { scope: 'referral', provider_id: 5, means: 'thumbprint', given_by: 'guardian', guardian: 'mother', given_at: iso(Date.now() - HOUR) });
    assert.equal(given.status, 201, given.text);
    const consent = given.json.consent;
    assert.equal(consent.guardian, 'mother');
    assert.equal(consent.withdrawn_at, null);
    let check = await v.get(`/api/v1/assistance/files/${kid.id}/consent-check?scope=referral&provider_id=5`);
    assert.equal(check.status, 200, check.text);
    assert.deepEqual(check.json, { covered: true, verdict: 'covered', consent_id: consent.id });
    check = await v.get(`/api/v1/assistance/files/${kid.id}/consent-check?scope=referral&provider_id=6`);
    assert.equal(check.json.verdict, 'other_provider');
    check = await v.get(`/api/v1/assistance/files/${kid.id}/consent-check?scope=information_sharing`);
    assert.equal(check.json.verdict, 'no_consent');

    const withdrawn = await v.post(`/api/v1/assistance/files/${kid.id}/consents/${consent.id}/withdraw`, { note: 'the mother asked' });
    assert.equal(withdrawn.status, 200, withdrawn.text);
    assert.match(withdrawn.json.consent.withdrawn_at, /Z$/);
    assert.equal(withdrawn.json.consent.withdrawn_by, vra.username);
    assertError(await v.post(`/api/v1/assistance/files/${kid.id}/consents/${consent.id}/withdraw`, {}), 409, 'conflict', 'withdrawn_at');
    check = await v.get(`/api/v1/assistance/files/${kid.id}/consent-check?scope=referral&provider_id=5`);
    assert.equal(check.json.verdict, 'withdrawn');
    // Before the withdrawal it covered.
    check = await v.get(`/api/v1/assistance/files/${kid.id}/consent-check?scope=referral&provider_id=5&at=${iso(Date.now() - HOUR / 2)}`);
    assert.equal(check.json.covered, true);
    const kept = (await v.get(`/api/v1/assistance/files/${kid.id}`)).json.file.consents;
    assert.equal(kept.length, 1);
    assert.ok(kept[0].withdrawn_at);
    const actions = await auditActions(kid.id);
    assert.ok(actions.includes('assistance.consent.add') && actions.includes('assistance.consent.withdraw'), actions.join());
  });

  it('needs: a medical need after rape is urgent inside 72 hours and missed after them', async () => {
    const v = as[vra.username];
    const file = await open(adult({ pseudonym: 'Victim D' }));
    const recent = await v.post(`/api/v1/assistance/files/${file.id}/needs`,
      { type: 'medical', urgency: 'immediate', after_rape: true, incident_at: iso(Date.now() - 10 * HOUR), notes: 'PEP kit' });
    assert.equal(recent.status, 201, recent.text);
    assert.equal(recent.json.need.pep.state, 'inside_window');
    assert.equal(recent.json.need.pep.urgent, true);
    assert.equal(recent.json.need.pep.deadline, iso(Date.parse(recent.json.need.incident_at) + 72 * HOUR));
    const old = await v.post(`/api/v1/assistance/files/${file.id}/needs`,
      { type: 'medical', after_rape: true, incident_at: iso(Date.now() - 5 * 24 * HOUR) });
    assert.equal(old.json.need.pep.state, 'missed');
    assert.equal(old.json.need.pep.urgent, false);
    const unknown = await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'medical', after_rape: true });
    assert.equal(unknown.json.need.pep.state, 'unknown');
    assert.equal(unknown.json.need.pep.urgent, true);
    const psy = await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'psychosocial', urgency: 'high' });
    assert.equal(psy.json.need.pep, null);

    const met = await v.patch(`/api/v1/assistance/files/${file.id}/needs/${recent.json.need.id}`, { status: 'met' });
    assert.equal(met.status, 200, met.text);
    assert.equal(met.json.need.status, 'met');
    assert.equal(met.json.need.pep.state, 'met_in_time');
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}/needs/${recent.json.need.id}`, { notes: 'x' }), 409, 'conflict', 'status');
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}/needs/${psy.json.need.id}`, { status: 'open' }), 400, 'validation_failed', 'status');
    const list = await v.get('/api/v1/assistance/files?need=medical');
    const row = list.json.files.find((f) => f.id === file.id);
    assert.equal(row.open_needs, 3);
  });

  it('versions, designation revoked at once, closing', async () => {
    const v = as[vra.username];
    const file = await open(adult({ pseudonym: 'Victim E' }));
    const changed = await v.patch(`/api/v1/assistance/files/${file.id}`, { prefecture: 'BGI' }, { headers: { 'If-Match': `"v${file.version}"` } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.file.version, file.version + 1);
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}`, { prefecture: 'OMP' }, { headers: { 'If-Match': `"v${file.version}"` } }), 412, 'precondition_failed', 'If-Match');
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}`, { version: file.version, prefecture: 'OMP' }), 409, 'conflict', 'version');
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}`, { prefecture: 'OMP' }), 400, 'validation_failed', 'version');

    assertError(await v.post(`/api/v1/assistance/files/${file.id}/designees`, { user_id: ids[leader.username] }), 422, 'unprocessable', 'user_id');
    // vra2's key does not open the identity: she cannot pass it on.
    assertError(await as[vra2.username].post(`/api/v1/assistance/files/${file.id}/designees`, { user_id: ids[officer.username] }), 403, 'forbidden');
    const designated = await v.post(`/api/v1/assistance/files/${file.id}/designees`, { user_id: ids[partner.username] });
    assert.equal(designated.status, 200, designated.text);
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/designees`, { user_id: ids[partner.username] }), 409, 'conflict', 'user_id');
    const p = as[partner.username];
    const seen = await p.get(`/api/v1/assistance/files/${file.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.file.can_work, false);
    assert.equal((await p.get('/api/v1/assistance/files')).json.total, 1);
    const opened = await p.post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, NAME);
    assertError(await p.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'legal' }), 403, 'forbidden');
    const removed = await v.del(`/api/v1/assistance/files/${file.id}/designees/${ids[partner.username]}`);
    assert.equal(removed.status, 200, removed.text);
    assertError(await p.get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
    assertError(await p.post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 404, 'not_found');

    const version = changed.json.file.version;
    const closed = await v.patch(`/api/v1/assistance/files/${file.id}`, { version, status: 'closed' });
    assert.equal(closed.status, 200, closed.text);
    assert.ok(closed.json.file.closed_at);
    assertError(await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type: 'legal' }), 409, 'conflict', 'status');
    assertError(await v.patch(`/api/v1/assistance/files/${file.id}`, { version: version + 1, pseudonym: 'Y' }), 409, 'conflict', 'status');
    const reopened = await v.patch(`/api/v1/assistance/files/${file.id}`, { version: version + 1, status: 'open' });
    assert.equal(reopened.status, 200, reopened.text);
    assert.equal(reopened.json.file.closed_at, null);
    const actions = await auditActions(file.id);
    for (const action of ['assistance.file.update', 'assistance.designee.add', 'assistance.designee.remove']) {
      assert.ok(actions.includes(action), `${action} in ${actions.join()}`);
    }
  });
  it("a later victims reader gets the identities' keys at once and loses them on leaving, but for files she is designated for", async () => {
    const file = await open(adult({ pseudonym: 'Victim F' }));
    const kept = await open(adult({ pseudonym: 'Victim G' }));
    const designated = await as[vra.username].post(`/api/v1/assistance/files/${kept.id}/designees`, { user_id: ids[vra2.username] });
    assert.equal(designated.status, 200, designated.text);
    await srv.designateReader(vra2.username, 'victims');
    const opened = await as[vra2.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, NAME);
    // The sync repairs what a grant could not do; here nothing is missing.
    assertError(await as[officer.username].post('/api/v1/assistance/readers/sync', {}), 403, 'forbidden');
    const synced = await as[vra.username].post('/api/v1/assistance/readers/sync', {});
    assert.equal(synced.status, 200, synced.text);
    const keysOfVra2 = async (f) => (await srv.sql(
      `SELECT COUNT(*) FROM vault_item_keys k JOIN assistance_files f ON f.identity_item = k.item_id WHERE k.reader_id = ${ids[vra2.username]} AND f.id = ${f.id}`)).trim();
    assert.equal(await keysOfVra2(file), '1');
    const removed = await srv.cli(['intake', 'readers', 'remove', ...srv.dbArgs, '--scope', 'victims', '--username', vra2.username]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(await keysOfVra2(file), '0');
    assert.equal(await keysOfVra2(kept), '1', 'a designee keeps the file she is designated for');
    assertError(await as[vra2.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 403, 'forbidden');
    const still = await as[vra2.username].post(`/api/v1/assistance/files/${kept.id}/identity/reveal`, {});
    assert.equal(still.status, 200, still.text);
  });
});
