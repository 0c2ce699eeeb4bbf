// Referrals, the service tracking table and the provider case managers' portal (docs/api.md,
// "Referrals"), on the engine PSEA_TEST_ENGINE names, one server:
// - a referral needs a valid referral consent for that provider (422 naming consent), but for an
//   emergency medical referral, which needs and records a justification; a provider outside its
//   service list, a need of another file, dates out of order: 422 naming the field; nothing
//   partial written;
// - status transitions, the service start date, versions (If-Match 412, version 409);
// - the role-by-endpoint matrix, the provider case manager of the referred provider against
//   the case manager of another provider (404, and the refusal audited);
// - the tracking table: one row per file and need, filters, paging, overdue first, CSV and
//   XLSX without identities; the figures.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError } from '../support/server.mjs';

const vra = { username: 'rfvra', role: 'vra', password: strongPassword() };
const chief = { username: 'rfchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'rfofficer', role: 'cdt_officer', password: strongPassword() };
const admin = { username: 'rfadmin', role: 'admin', password: strongPassword() };
const leader = { username: 'rfleader', role: 'leadership', password: strongPassword() };
const manager = { username: 'rfmanager', role: 'provider_case_manager', password: strongPassword() };
const outsider = { username: 'rfoutsider', role: 'provider_case_manager', password: strongPassword() };
const USERS = [vra, chief, officer, admin, leader, manager, outsider];

const NAME = 'Philippa Vantongeren-Oyelaran';
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const provider = (over = {}) => ({
  name: 'Synthetic clinic Mahogany', kind: 'health_facility', services: ['medical', 'psychosocial'],
  prefecture: 'OMP', town: 'Boali', hours: 'Mon-Fri', languages: ['French'], capacity: '10 a week',
  cost: 'free', ...over,
});

describe('referrals, the service tracking table and the provider portal', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};
  let clinic, lawyers, file, other, needs, otherNeed;

  const audit = async (action) => {
    const r = await as[admin.username].get('/api/v1/audit?object_type=referral&limit=500');
    assert.equal(r.status, 200, r.text);
    return r.json.entries.filter((e) => !action || e.action === action);
  };
  const referralsOf = async (fileId) => {
    const r = await as[vra.username].get(`/api/v1/assistance/files/${fileId}/referrals`);
    assert.equal(r.status, 200, r.text);
    return r.json.referrals;
  };

  before(async () => {
    srv = await startServer({ users: USERS, victimReaders: [vra.username] });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const v = as[vra.username];
    clinic = (await v.post('/api/v1/providers', provider())).json.provider;
    lawyers = (await v.post('/api/v1/providers', provider({ name: 'Synthetic legal aid Sapele', kind: 'legal_aid', services: ['legal'], prefecture: 'BGI' }))).json.provider;
    assert.ok(clinic && lawyers);
    assert.equal((await v.post(`/api/v1/providers/${clinic.id}/members`, { user_id: ids[manager.username] })).status, 204);
    assert.equal((await v.post(`/api/v1/providers/${lawyers.id}/members`, { user_id: ids[outsider.username] })).status, 204);
    const made = await v.post('/api/v1/assistance/files', { pseudonym: 'Victim R', sex: 'female', age: 26, prefecture: 'OMP', identity: { name: NAME, contacts: '+236 70 11 22 33' } });
    assert.equal(made.status, 201, made.text);
    file = made.json.file;
    other = (await v.post('/api/v1/assistance/files', { pseudonym: 'Victim S', sex: 'female', age: 30, prefecture: 'BGI' })).json.file;
    needs = {};
    for (const type of ['medical', 'psychosocial', 'legal']) {
      const r = await v.post(`/api/v1/assistance/files/${file.id}/needs`, { type, urgency: type === 'medical' ? 'immediate' : 'high' });
      assert.equal(r.status, 201, r.text);
      needs[type] = r.json.need;
    }
    otherNeed = (await v.post(`/api/v1/assistance/files/${other.id}/needs`, { type: 'legal' })).json.need;
  });
  after(async () => srv && srv.stop());

  it('refuses a referral without consent, outside the service list or with dates out of order; an emergency records its justification', async () => {
    const v = as[vra.username];
    const url = `/api/v1/assistance/files/${file.id}/referrals`;
    const refusals = [
      [{ need_id: needs.psychosocial.id, provider_id: clinic.id }, 422, 'unprocessable', 'consent'],
      [{ need_id: needs.legal.id, provider_id: clinic.id }, 422, 'unprocessable', 'service'],
      [{ need_id: needs.psychosocial.id, provider_id: clinic.id, service: 'legal' }, 422, 'unprocessable', 'service'],
      [{ need_id: needs.psychosocial.id, provider_id: 999999 }, 422, 'unprocessable', 'provider_id'],
      [{ need_id: otherNeed.id, provider_id: lawyers.id }, 422, 'unprocessable', 'need_id'],
      [{ need_id: needs.psychosocial.id, provider_id: clinic.id, service: 'dentistry' }, 400, 'validation_failed', 'service'],
      [{ need_id: needs.medical.id, provider_id: clinic.id, emergency: true }, 422, 'unprocessable', 'justification'],
      [{ need_id: needs.psychosocial.id, provider_id: clinic.id, emergency: true, justification: 'Distress' }, 422, 'unprocessable', 'emergency'],
      [{ need_id: needs.medical.id, provider_id: clinic.id, emergency: true, justification: 'x', referred_at: iso(Date.now() + 2 * DAY) }, 422, 'unprocessable', 'referred_at'],
      [{ need_id: needs.medical.id, provider_id: clinic.id, emergency: true, justification: 'x', referred_at: iso(Date.now() - DAY), next_follow_up_at: iso(Date.now() - 2 * DAY) }, 422, 'unprocessable', 'next_follow_up_at'],
      [{ need_id: needs.medical.id, provider_id: clinic.id, referred_at: 'yesterday' }, 400, 'validation_failed', 'referred_at'],
      [{ need_id: needs.medical.id, provider_id: clinic.id, colour: 'red' }, 400, 'unknown_field', 'colour'],
    ];
    for (const [body, status, code, field] of refusals) {
      assertError(await v.post(url, body, { validate: false }), status, code, field);
    }
    assert.deepEqual(await referralsOf(file.id), [], 'nothing partial written');

    // The emergency medical referral goes without consent and keeps its justification.
    const emergency = await v.post(url, { need_id: needs.medical.id, provider_id: clinic.id, emergency: true, justification: 'Post-exposure care within 72 hours', referred_at: iso(Date.now() - 3 * DAY), next_follow_up_at: iso(Date.now() - DAY) });
    assert.equal(emergency.status, 201, emergency.text);
    const e = emergency.json.referral;
    assert.equal(e.status, 'referred');
    assert.equal(e.emergency, true);
    assert.equal(e.consent_id, null);
    assert.equal(e.justification, 'Post-exposure care within 72 hours');
    assert.equal(e.service, 'medical');
    assert.equal(e.overdue, true);
    assert.equal(emergency.headers.get('etag'), '"v1"');

    // A consent to a referral to the clinic covers the clinic, not the lawyers.
    const consent = await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'referral', provider_id: clinic.id, means: 'written', given_at: iso(Date.now() - 2 * DAY) });
    assert.equal(consent.status, 201, consent.text);
    assertError(await v.post(url, { need_id: needs.legal.id, provider_id: lawyers.id }), 422, 'unprocessable', 'consent');
    // Referred before the consent was given: refused.
    assertError(await v.post(url, { need_id: needs.psychosocial.id, provider_id: clinic.id, referred_at: iso(Date.now() - 3 * DAY) }), 422, 'unprocessable', 'consent');
    const psy = await v.post(url, { need_id: needs.psychosocial.id, provider_id: clinic.id, next_follow_up_at: iso(Date.now() + 7 * DAY) });
    assert.equal(psy.status, 201, psy.text);
    assert.equal(psy.json.referral.consent_id, consent.json.consent.id);
    assert.equal(psy.json.referral.overdue, false);
    const general = await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'referral', means: 'oral' });
    assert.equal(general.status, 201, general.text);
    const legal = await v.post(url, { need_id: needs.legal.id, provider_id: lawyers.id });
    assert.equal(legal.status, 201, legal.text);
    assert.equal((await referralsOf(file.id)).length, 3);
    const created = await audit('referral.create');
    assert.equal(created.length, 3);
  });

  it('records progress with transitions, dates in order and versions', async () => {
    const [medical] = await referralsOf(file.id);
    const m = as[manager.username];
    const url = `/api/v1/assistance/referrals/${medical.id}`;
    assertError(await m.patch(url, { status: 'in_progress', version: 1 }), 422, 'unprocessable', 'service_started_at');
    assertError(await m.patch(url, { status: 'in_progress', service_started_at: iso(Date.now() - 4 * DAY), version: 1 }), 422, 'unprocessable', 'service_started_at');
    assertError(await m.patch(url, { status: 'in_progress', service_started_at: iso(Date.now() + DAY), version: 1 }), 422, 'unprocessable', 'service_started_at');
    assertError(await m.patch(url, { status: 'declined_by_victim', version: 1 }), 403, 'forbidden', 'status');
    assertError(await m.patch(url, { status: 'completed', version: 1 }), 422, 'unprocessable', 'status');
    assertError(await m.patch(url, { status: 'paused', version: 1 }), 400, 'validation_failed', 'status');
    assertError(await m.patch(url, { notes: 'x' }), 400, 'validation_failed', 'version');
    const accepted = await m.patch(url, { status: 'accepted' }, { headers: { 'If-Match': '"v1"' } });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.headers.get('etag'), '"v2"');
    assertError(await m.patch(url, { notes: 'late' }, { headers: { 'If-Match': '"v1"' } }), 412, 'precondition_failed');
    assertError(await m.patch(url, { notes: 'late', version: 1 }), 409, 'conflict', 'version');
    const started = await m.patch(url, { status: 'in_progress', service_started_at: iso(Date.now() - 2 * DAY), outcome: 'PEP started', notes: 'Seen by the nurse', version: 2 });
    assert.equal(started.status, 200, started.text);
    const r = started.json.referral;
    assert.equal(r.status, 'in_progress');
    assert.equal(r.outcome, 'PEP started');
    assert.equal(r.updated_by, manager.username);
    const done = await m.patch(url, { status: 'completed', version: 3 });
    assert.equal(done.status, 200, done.text);
    assert.ok(done.json.referral.closed_at);
    assert.equal(done.json.referral.overdue, false, 'a completed referral is never overdue');
    assert.equal(done.json.referral.can_update, false);
    assertError(await m.patch(url, { notes: 'after', version: 4 }), 409, 'conflict', 'status');
    assertError(await as[vra.username].patch(url, { status: 'referred', version: 4 }), 422, 'unprocessable', 'status');
    const updates = await audit('referral.update');
    assert.ok(updates.some((e) => e.object_id === String(medical.id) && e.details.to === 'completed'));
  });

  it('lets each role do what the matrix says, a provider case manager their own provider only', async () => {
    const all = await referralsOf(file.id);
    const toClinic = all.find((x) => x.provider_id === clinic.id && x.status === 'referred');
    const toLawyers = all.find((x) => x.provider_id === lawyers.id);
    const everyone = [vra, chief, officer, admin, leader, manager, outsider].map((u) => u.username);
    const only = (allowed, denied, otherwise) => Object.fromEntries(everyone.map((u) => [u, allowed[u] ?? otherwise]));
    const matrix = [
      ['GET', '/api/v1/assistance/tracking', undefined, only({ [vra.username]: 200 }, {}, 403)],
      ['GET', '/api/v1/assistance/tracking/export?format=csv', undefined, only({ [vra.username]: 200 }, {}, 403)],
      ['GET', '/api/v1/assistance/referral-vocabulary', undefined, only({}, {}, 200)],
      ['GET', `/api/v1/assistance/referrals/${toClinic.id}`, undefined, only({ [vra.username]: 200, [manager.username]: 200 }, {}, 404)],
      ['GET', `/api/v1/assistance/referrals/${toLawyers.id}`, undefined, only({ [vra.username]: 200, [outsider.username]: 200 }, {}, 404)],
      ['PATCH', `/api/v1/assistance/referrals/${toLawyers.id}`, { notes: 'matrix', version: 99 }, only({ [vra.username]: 409, [outsider.username]: 409 }, {}, 404)],
      ['POST', `/api/v1/assistance/files/${file.id}/referrals`, { need_id: needs.legal.id, provider_id: 999999 }, only({ [vra.username]: 422 }, {}, 403)],
      ['GET', `/api/v1/assistance/files/${file.id}/referrals`, undefined, only({ [vra.username]: 200 }, {}, 404)],
      ['GET', '/api/v1/assistance/provider-portal', undefined, only({ [manager.username]: 200, [outsider.username]: 200 }, {}, 403)],
      ['GET', '/api/v1/assistance/referral-figures?from=2026-01-01&to=2026-12-31', undefined, only({ [vra.username]: 200, [chief.username]: 200 }, {}, 403)],
    ];
    for (const [method, url, body, expected] of matrix) {
      for (const [username, status] of Object.entries(expected)) {
        const r = await as[username].request(method, url, body);
        assert.equal(r.status, status, `${username} ${method} ${url}: ${r.status} ${r.text}`);
      }
    }
    // The other provider's case manager: refused and audited, each time.
    const refused = (await audit('referral.access.refused')).filter((e) => e.actor === outsider.username);
    assert.ok(refused.some((e) => e.object_id === String(toClinic.id)), JSON.stringify(refused));
    // And the file itself stays closed to provider case managers, the refusal audited.
    assertError(await as[manager.username].get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
    const fileAudit = (await as[admin.username].get('/api/v1/audit?object_type=assistance_file&limit=500')).json.entries;
    assert.ok(fileAudit.some((e) => e.action === 'assistance.access.refused' && e.actor === manager.username && e.object_id === String(file.id)));
  });

  it('shows the provider case manager only their referrals and what the consents allow', async () => {
    const portal = async (user, query = '') => {
      const r = await as[user].get(`/api/v1/assistance/provider-portal${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const mine = await portal(manager.username);
    assert.equal(mine.total, 2);
    assert.ok(mine.referrals.every((x) => x.provider_id === clinic.id));
    assert.ok(mine.referrals.every((x) => x.file_reference === file.reference));
    assert.ok(!JSON.stringify(mine).includes(NAME), 'no identity');
    assert.ok(!JSON.stringify(mine).includes('Victim R'), 'no pseudonym either');
    assert.ok(mine.referrals.every((x) => x.information_shared === false && x.contact_allowed === false));
    const theirs = await portal(outsider.username);
    assert.deepEqual(theirs.referrals.map((x) => x.provider_id), [lawyers.id]);
    assert.equal((await portal(manager.username, '?status=completed')).total, 1);

    // The victim agrees to share information with the clinic and to be contacted by phone.
    const v = as[vra.username];
    assert.equal((await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'information_sharing', provider_id: clinic.id, means: 'written' })).status, 201);
    assert.equal((await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'contact', channel: 'phone', means: 'oral' })).status, 201);
    const after = await portal(manager.username);
    assert.ok(after.referrals.every((x) => x.information_shared === true && x.contact_allowed === true && x.contact_channel === 'phone'));
    const lawyersView = await portal(outsider.username);
    assert.equal(lawyersView.referrals[0].information_shared, false, 'sharing with the clinic is not sharing with the lawyers');

    // The identity shared with the clinic's case manager through the file's designees.
    const toClinic = after.referrals[0];
    const toLawyers = lawyersView.referrals[0];
    assertError(await v.post(`/api/v1/assistance/referrals/${toLawyers.id}/share-identity`, { user_id: ids[outsider.username] }), 422, 'unprocessable', 'consent');
    assertError(await v.post(`/api/v1/assistance/referrals/${toClinic.id}/share-identity`, { user_id: ids[outsider.username] }), 422, 'unprocessable', 'user_id');
    assertError(await as[manager.username].post(`/api/v1/assistance/referrals/${toClinic.id}/share-identity`, { user_id: ids[manager.username] }), 403, 'forbidden');
    const shared = await v.post(`/api/v1/assistance/referrals/${toClinic.id}/share-identity`, { user_id: ids[manager.username] });
    assert.equal(shared.status, 200, shared.text);
    const seen = await as[manager.username].get(`/api/v1/assistance/files/${file.id}`);
    assert.equal(seen.status, 200, seen.text);
    // The share opens the clear half and the identity, not the VRA's consents, needs or cases,
    // nor the file's paternity claims.
    assert.deepEqual([seen.json.file.consents, seen.json.file.needs, seen.json.file.designees], [[], [], []]);
    assertError(await as[manager.username].get(`/api/v1/paternity/claims?file_id=${file.id}`), 404, 'not_found');
    const opened = await as[manager.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {});
    assert.equal(opened.status, 200, opened.text);
    assert.equal(opened.json.name, NAME);
    assertError(await as[outsider.username].get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
    // The victim withdraws her consent to share with the clinic: the file closes to its case
    // manager at once; a new consent opens it again.
    const sharing = (await v.get(`/api/v1/assistance/files/${file.id}`)).json.file.consents
      .find((k) => k.scope === 'information_sharing' && k.provider_id === clinic.id && !k.withdrawn_at);
    assert.equal((await v.post(`/api/v1/assistance/files/${file.id}/consents/${sharing.id}/withdraw`, { note: 'she asked' })).status, 200);
    assertError(await as[manager.username].get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
    assertError(await as[manager.username].post(`/api/v1/assistance/files/${file.id}/identity/reveal`, {}), 404, 'not_found');
    assert.equal((await v.post(`/api/v1/assistance/files/${file.id}/consents`, { scope: 'information_sharing', provider_id: clinic.id, means: 'written' })).status, 201);
    assert.equal((await as[manager.username].get(`/api/v1/assistance/files/${file.id}`)).status, 200);
    // Removing the designee closes it again at once.
    assert.equal((await v.del(`/api/v1/assistance/files/${file.id}/designees/${ids[manager.username]}`)).status, 200);
    assertError(await as[manager.username].get(`/api/v1/assistance/files/${file.id}`), 404, 'not_found');
  });

  it('keeps the tracking table: one row per file and need, filters, paging, overdue first, exports without identities', async () => {
    const v = as[vra.username];
    // An overdue psychosocial follow-up on the other file.
    const otherPsy = (await v.post(`/api/v1/assistance/files/${other.id}/needs`, { type: 'psychosocial' })).json.need;
    assert.equal((await v.post(`/api/v1/assistance/files/${other.id}/consents`, { scope: 'referral', means: 'oral', given_at: iso(Date.now() - 10 * DAY) })).status, 201);
    const late = await v.post(`/api/v1/assistance/files/${other.id}/referrals`, { need_id: otherPsy.id, provider_id: clinic.id, referred_at: iso(Date.now() - 9 * DAY), next_follow_up_at: iso(Date.now() - 2 * DAY) });
    assert.equal(late.status, 201, late.text);
    // A second referral of the same need replaces it as the table's row.
    const table = async (query = '') => {
      const r = await v.get(`/api/v1/assistance/tracking${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const all = await table();
    assert.equal(all.total, 5, 'five needs, one row each');
    assert.equal(all.rows[0].overdue, true, 'overdue first');
    assert.equal(all.rows[0].file_reference, other.reference);
    assert.ok(all.rows.every((row, i) => i === 0 || !row.overdue));
    assert.ok(!JSON.stringify(all).includes(NAME));
    assert.ok(!JSON.stringify(all).includes('Victim R'));
    const unreferred = await table('?status=not_referred');
    assert.deepEqual(unreferred.rows.map((r) => r.need_id), [otherNeed.id]);
    assert.equal((await table('?overdue=true')).total, 1);
    assert.equal((await table('?overdue=false')).total, 4);
    assert.equal((await table(`?provider_id=${clinic.id}`)).total, 3);
    assert.equal((await table('?service=legal')).total, 2);
    assert.equal((await table('?prefecture=BGI')).total, 2);
    assert.equal((await table('?status=completed')).total, 1);
    assert.equal((await table(`?referred_from=${iso(Date.now() - 5 * DAY).slice(0, 10)}`)).total, 3);
    assert.equal((await table(`?referred_to=${iso(Date.now() - 5 * DAY).slice(0, 10)}`)).total, 1);
    const page = await table('?limit=2&offset=2');
    assert.equal(page.total, 5);
    assert.equal(page.rows.length, 2);
    const beyond = await table('?limit=2&offset=10');
    assert.equal(beyond.total, 5);
    assert.deepEqual(beyond.rows, []);
    assertError(await v.get('/api/v1/assistance/tracking?status=waiting'), 400, 'validation_failed', 'status');
    assertError(await v.get('/api/v1/assistance/tracking?overdue=maybe'), 400, 'validation_failed', 'overdue');
    assertError(await v.get('/api/v1/assistance/tracking?colour=red'), 400);

    const csv = await v.get('/api/v1/assistance/tracking/export?format=csv&overdue=true');
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /service-tracking\.csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^file,prefecture,need/);
    assert.ok(lines[1].startsWith(other.reference));
    const full = await v.get('/api/v1/assistance/tracking/export');
    assert.ok(!full.text.includes(NAME) && !full.text.includes('Victim R'));
    const xlsx = await v.get('/api/v1/assistance/tracking/export?format=xlsx');
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
    const exports = (await as[admin.username].get('/api/v1/audit?limit=500')).json.entries.filter((e) => e.action === 'referrals.tracking.export');
    assert.equal(exports.length >= 3, true);
  });

  it('computes the figures: referred within 24 and 72 hours, median days to the service', async () => {
    const today = iso(Date.now()).slice(0, 10);
    const r = await as[chief.username].get(`/api/v1/assistance/referral-figures?from=${today}&to=${today}`);
    assert.equal(r.status, 200, r.text);
    // Both files opened today; the first was referred "3 days before" (entered late: within),
    // the other 9 days before: within as well.
    assert.equal(r.json.victims, 2);
    assert.equal(r.json.referred_within_24h, 2);
    assert.equal(r.json.share_within_72h, 100);
    assertError(await as[chief.username].get('/api/v1/assistance/referral-figures?from=2026-01-01'), 400, 'validation_failed', 'to');
    // The same as the action plan's computed indicators, for the month.
    const month = today.slice(0, 7);
    const list = (await as[chief.username].get(`/api/v1/indicators?from=${month}&to=${month}`)).json.indicators;
    const value = (key) => {
      const found = list.find((i) => i.key === key);
      assert.ok(found, `${key} is registered`);
      assert.equal(found.kind, 'computed');
      return found.latest?.value;
    };
    assert.equal(value('assistance.referred_within_24h'), 100);
    assert.equal(value('assistance.referred_within_72h'), 100);
    assert.equal(typeof value('assistance.median_days_to_service'), 'number');
  });
});
