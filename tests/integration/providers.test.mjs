// The service providers' directory (docs/api.md, "Service providers"), on the engine
// PSEA_TEST_ENGINE names, one server:
// - who may do what, endpoint by endpoint, for every role involved, the provider case manager
//   included (their own entry only, once an administrator or the VRA linked their account);
// - bad input names its field (400/422); filters;
// - If-Match / version: 412 and 409 for a lost update;
// - the contact persons are sealed: only a victims reader opens them, and on SQLite neither the
//   database file nor its WAL holds them in clear;
// - every change audited.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, assertError, ENGINE } from '../support/server.mjs';

const chief = { username: 'prchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'profficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'prvra', role: 'vra', password: strongPassword() };
const admin = { username: 'pradmin', role: 'admin', password: strongPassword() };
const leader = { username: 'prleader', role: 'leadership', password: strongPassword() };
const manager = { username: 'prmanager', role: 'provider_case_manager', password: strongPassword() };
const USERS = [chief, officer, vra, admin, leader, manager];

const CONTACT = 'Orlaith Vennacombe';
const CONTACT_EMAIL = 'orlaith.vennacombe@clinic.example';

const clinic = (over = {}) => ({
  name: 'Synthetic clinic Tamarind', kind: 'health_facility', services: ['psychosocial', 'medical'],
  prefecture: 'BGI', town: 'Bangui', lat: 4.3947, lon: 18.5582, hours: 'Mon-Fri 8-16',
  languages: ['French', 'Sango'], capacity: '20 a week', cost: 'free', public_phone: '+236 21 00 00 00', ...over,
});

describe('service providers', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
  });
  after(async () => srv && srv.stop());

  it('lets each role do what its permissions say, endpoint by endpoint', async () => {
    const made = await as[vra.username].post('/api/v1/providers', clinic({ contacts: { person: CONTACT, email: CONTACT_EMAIL } }));
    assert.equal(made.status, 201, made.text);
    const p = made.json.provider;
    assert.deepEqual(p.services, ['medical', 'psychosocial'], 'in vocabulary order');
    assert.equal(p.has_contacts, true);
    assert.equal(p.stale, false);
    assert.equal(made.headers.get('etag'), '"v1"');
    const other = (await as[chief.username].post('/api/v1/providers', clinic({ name: 'Synthetic legal aid Juniper', kind: 'legal_aid', services: ['legal'] }))).json.provider;

    // [role, expected status] per endpoint; the provider case manager is not linked yet.
    const matrix = [
      ['GET', '/api/v1/providers', undefined, { [chief.username]: 200, [officer.username]: 200, [vra.username]: 200, [admin.username]: 403, [leader.username]: 403, [manager.username]: 200 }],
      ['GET', `/api/v1/providers/${p.id}`, undefined, { [chief.username]: 200, [officer.username]: 200, [vra.username]: 200, [admin.username]: 403, [leader.username]: 403, [manager.username]: 404 }],
      ['POST', '/api/v1/providers', clinic({ name: 'Matrix entry' }), { [officer.username]: 403, [admin.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
      ['PATCH', `/api/v1/providers/${other.id}`, { hours: 'any', version: 1 }, { [officer.username]: 403, [admin.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
      ['POST', `/api/v1/providers/${other.id}/verify`, {}, { [officer.username]: 403, [admin.username]: 403, [manager.username]: 403, [chief.username]: 200 }],
      ['POST', `/api/v1/providers/${other.id}/deactivate`, {}, { [officer.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
      ['GET', `/api/v1/providers/${p.id}/contacts`, undefined, { [vra.username]: 200, [chief.username]: 403, [officer.username]: 403, [admin.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
      ['GET', `/api/v1/providers/${p.id}/members`, undefined, { [vra.username]: 200, [admin.username]: 200, [chief.username]: 403, [officer.username]: 403, [manager.username]: 403 }],
      ['POST', `/api/v1/providers/${p.id}/members`, { user_id: 1 }, { [chief.username]: 403, [officer.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
    ];
    for (const [method, url, body, expected] of matrix) {
      for (const [username, status] of Object.entries(expected)) {
        const r = await as[username].request(method, url, body);
        assert.equal(r.status, status, `${username} ${method} ${url}: ${r.status} ${r.text}`);
      }
    }
    const listed = await as[manager.username].get('/api/v1/providers');
    assert.deepEqual(listed.json.providers, [], 'an unlinked case manager sees nothing');

    // The administrator links the case manager's account: their own entry, nothing else.
    const before = await as[admin.username].get(`/api/v1/providers/${p.id}/members`);
    assert.deepEqual(before.json.eligible.map((e) => e.username), [manager.username]);
    assertError(await as[admin.username].post(`/api/v1/providers/${p.id}/members`, { user_id: ids[officer.username] }), 422, 'unprocessable', 'user_id');
    const linked = await as[admin.username].post(`/api/v1/providers/${p.id}/members`, { user_id: ids[manager.username] });
    assert.equal(linked.status, 204, linked.text);
    const members = await as[vra.username].get(`/api/v1/providers/${p.id}/members`);
    assert.deepEqual(members.json.members.map((m) => m.username), [manager.username]);
    assert.deepEqual(members.json.eligible, [], 'a linked account is no longer eligible');
    const own = await as[manager.username].get('/api/v1/providers');
    assert.deepEqual(own.json.providers.map((x) => x.id), [p.id]);
    assert.equal((await as[manager.username].get(`/api/v1/providers/${p.id}`)).status, 200);
    assertError(await as[manager.username].get(`/api/v1/providers/${other.id}`), 404, 'not_found');
    assertError(await as[manager.username].get(`/api/v1/providers/${p.id}/contacts`), 403, 'forbidden');
    assertError(await as[manager.username].patch(`/api/v1/providers/${p.id}`, { hours: 'x', version: 1 }), 403, 'forbidden');
    assertError(await as[vra.username].del(`/api/v1/providers/${other.id}/members/${ids[manager.username]}`), 404, 'not_found');
    assert.equal((await as[vra.username].del(`/api/v1/providers/${p.id}/members/${ids[manager.username]}`)).status, 204);
    assert.deepEqual((await as[manager.username].get('/api/v1/providers')).json.providers, []);
  });

  it('names the field of bad input and filters the directory', async () => {
    const c = as[vra.username];
    const cases = [
      [{ kind: 'hospital' }, 400, 'validation_failed', 'kind'],
      [{ services: [] }, 400, 'validation_failed', 'services'],
      [{ services: ['dental'] }, 400, 'validation_failed', 'services'],
      [{ services: ['legal', 'legal'] }, 400, 'validation_failed', 'services'],
      [{ cost: 'cheap' }, 400, 'validation_failed', 'cost'],
      [{ name: '' }, 400, 'validation_failed', 'name'],
      [{ lat: 4.39, lon: undefined }, 400, 'validation_failed', 'lon'],
      [{ lat: 'north' }, 400, 'validation_failed', 'lat'],
      [{ lat: 18.5582, lon: 4.3947 }, 422, 'unprocessable', 'lat'],
      [{ lon: 9.7 }, 422, 'unprocessable', 'lon'],
      [{ prefecture: 'ZZZ' }, 422, 'unprocessable', 'prefecture'],
      [{ last_verified: '2999-01-01' }, 422, 'unprocessable', 'last_verified'],
      [{ last_verified: '01/02/2026' }, 400, 'validation_failed', 'last_verified'],
      [{ contacts: { email: 'no-at-sign' } }, 400, 'validation_failed', 'contacts.email'],
      [{ contacts: { fax: '1' } }, 400, 'unknown_field', 'contacts.fax'],
      [{ colour: 'blue' }, 400, 'unknown_field', 'colour'],
    ];
    for (const [over, status, code, field] of cases) {
      const body = clinic({ name: 'Bad input', ...over });
      for (const [key, value] of Object.entries(over)) if (value === undefined) delete body[key];
      assertError(await c.post('/api/v1/providers', body, { validate: false }), status, code, field);
    }
    const missing = clinic();
    delete missing.prefecture;
    assertError(await c.post('/api/v1/providers', missing, { validate: false }), 400, 'validation_failed', 'prefecture');

    const shelter = await c.post('/api/v1/providers', clinic({ name: 'Synthetic shelter Baobab', kind: 'shelter', services: ['safety_protection'], prefecture: 'OUA', town: 'Bambari', lat: 5.7628, lon: 20.6742, last_verified: '2025-01-02' }));
    assert.equal(shelter.status, 201, shelter.text);
    assert.equal(shelter.json.provider.stale, true);
    const names = async (query) => {
      const r = await as[officer.username].get(`/api/v1/providers${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json.providers.map((x) => x.name);
    };
    assert.deepEqual(await names('?prefecture=OUA'), ['Synthetic shelter Baobab']);
    assert.deepEqual(await names('?service=safety_protection'), ['Synthetic shelter Baobab']);
    assert.deepEqual(await names('?stale=true'), ['Synthetic shelter Baobab']);
    assert.ok(!(await names('?stale=false')).includes('Synthetic shelter Baobab'));
    assert.deepEqual(await names('?q=BAOBAB'), ['Synthetic shelter Baobab']);
    assert.deepEqual(await names('?kind=shelter&prefecture=BGI'), []);
    const list = await as[officer.username].get('/api/v1/providers');
    assert.equal(list.json.stale_days, 180);
    assert.ok(list.json.prefectures.some((x) => x.code === 'BGI' && x.name === 'Bangui'));
    assertError(await as[officer.username].get('/api/v1/providers?service=dental'), 400, 'validation_failed', 'service');
    assertError(await as[officer.username].get('/api/v1/providers?stale=maybe'), 400, 'validation_failed', 'stale');
    assertError(await as[officer.username].get('/api/v1/providers?colour=blue'), 400, 'validation_failed', 'colour');

    // Verification and deactivation.
    const verified = await c.post(`/api/v1/providers/${shelter.json.provider.id}/verify`, {});
    assert.equal(verified.status, 200, verified.text);
    assert.equal(verified.json.provider.stale, false);
    assertError(await c.post(`/api/v1/providers/${shelter.json.provider.id}/verify`, { date: '2999-01-01' }), 422, 'unprocessable', 'date');
    const off = await c.post(`/api/v1/providers/${shelter.json.provider.id}/deactivate`, {});
    assert.equal(off.json.provider.active, false);
    assert.deepEqual(await names('?active=false'), ['Synthetic shelter Baobab']);
    assertError(await c.get('/api/v1/providers/999999'), 404, 'not_found');
  });

  it('refuses a lost update with 412 (If-Match) or 409 (version)', async () => {
    const c = as[vra.username];
    const made = await c.post('/api/v1/providers', clinic({ name: 'Synthetic centre Mahogany' }));
    const id = made.json.provider.id;
    const read = await c.get(`/api/v1/providers/${id}`);
    const etag = read.headers.get('etag');
    assert.equal(etag, '"v1"');
    const first = await c.patch(`/api/v1/providers/${id}`, { hours: 'Every day', lat: null, lon: null }, { headers: { 'If-Match': etag } });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('etag'), '"v2"');
    assert.equal(first.json.provider.lat, null);
    assertError(await as[chief.username].patch(`/api/v1/providers/${id}`, { hours: 'Never' }, { headers: { 'If-Match': etag } }), 412, 'precondition_failed', 'If-Match');
    assertError(await as[chief.username].patch(`/api/v1/providers/${id}`, { hours: 'Never', version: 1 }), 409, 'conflict', 'version');
    assertError(await as[chief.username].patch(`/api/v1/providers/${id}`, { hours: 'Never' }), 400, 'validation_failed', 'version');
    assertError(await as[chief.username].patch(`/api/v1/providers/${id}`, { version: 2 }), 400, 'validation_failed', 'body');
    const star = await as[chief.username].patch(`/api/v1/providers/${id}`, { active: true, services: ['medical'] }, { headers: { 'If-Match': '*' } });
    assert.equal(star.status, 200, star.text);
    assert.equal(star.json.provider.version, 3);
    assert.equal((await c.get(`/api/v1/providers/${id}`)).json.provider.hours, 'Every day');
  });

  it('seals the contact persons: only a victims reader opens them, and not in the database in clear', async () => {
    const c = as[vra.username];
    const made = await as[chief.username].post('/api/v1/providers', clinic({ name: 'Synthetic network Acacia', contacts: { person: CONTACT, phone: '+236 72 11 22 33', email: CONTACT_EMAIL } }));
    assert.equal(made.status, 201, made.text);
    const id = made.json.provider.id;
    assert.ok(!made.text.includes(CONTACT), 'the entry does not carry the contacts');
    assertError(await as[chief.username].get(`/api/v1/providers/${id}/contacts`), 403, 'forbidden');
    const opened = await c.get(`/api/v1/providers/${id}/contacts`);
    assert.equal(opened.status, 200, opened.text);
    assert.deepEqual(opened.json.contacts, { person: CONTACT, phone: '+236 72 11 22 33', email: CONTACT_EMAIL });
    const changed = await c.patch(`/api/v1/providers/${id}`, { contacts: null, version: 1 });
    assert.equal(changed.json.provider.has_contacts, false);
    assert.deepEqual((await c.get(`/api/v1/providers/${id}/contacts`)).json.contacts, { person: '', phone: '', email: '' });
    const again = await c.patch(`/api/v1/providers/${id}`, { contacts: { person: CONTACT, email: CONTACT_EMAIL }, version: 2 });
    assert.equal(again.json.provider.has_contacts, true);

    const audit = await as[admin.username].get('/api/v1/audit?object_type=provider&limit=500');
    assert.equal(audit.status, 200, audit.text);
    const actions = new Set(audit.json.entries.map((e) => e.action));
    for (const action of ['providers.create', 'providers.update', 'providers.verify', 'providers.deactivate', 'providers.contacts.open', 'providers.members.add', 'providers.members.remove']) {
      assert.ok(actions.has(action), `audited ${action}`);
    }
    assert.ok(!audit.text.includes(CONTACT), 'the audit does not name the contact');

    if (ENGINE === 'sqlite') {
      const file = srv.dbUrl.slice('sqlite:'.length);
      let entryFound = false;
      for (const candidate of [file, `${file}-wal`]) {
        if (!fs.existsSync(candidate)) continue;
        const bytes = fs.readFileSync(candidate);
        assert.equal(bytes.includes(Buffer.from(CONTACT)), false, `${path.basename(candidate)} holds the contact's name`);
        assert.equal(bytes.includes(Buffer.from(CONTACT_EMAIL)), false, `${path.basename(candidate)} holds the contact's e-mail`);
        entryFound ||= bytes.includes(Buffer.from('Synthetic network Acacia'));
      }
      assert.ok(entryFound, 'the entry itself is in the file or its WAL (the search works)');
    }
  });
});
