// The gap table and the VRA's overdue victim contacts (docs/api.md "The gap table"), on the engine
// PSEA_TEST_ENGINE names, one server:
// - who may read the table (the VRA exactly; the CDT with counts of 1..4 victims suppressed;
//   nobody else) and the overdue contacts (the VRA only);
// - the counts move when a need is assessed, met, or a provider is added, verified or taken out;
// - bad filters name their field;
// - a case whose victim was not informed within the interval shows on the VRA's list until a
//   contact is logged.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'gpchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'gpofficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'gpvra', role: 'vra', password: strongPassword() };
const admin = { username: 'gpadmin', role: 'admin', password: strongPassword() };
const leader = { username: 'gpleader', role: 'leadership', password: strongPassword() };
const manager = { username: 'gpmanager', role: 'provider_case_manager', password: strongPassword() };
const USERS = [chief, officer, vra, admin, leader, manager];
const DAY = 24 * 3600 * 1000;
const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

describe('the gap table and overdue victim contacts', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};

  const row = (table, prefecture, service) => table.rows.find((r) => r.prefecture === prefecture && r.service === service);
  const gaps = async (who = vra, query = '') => {
    const r = await as[who.username].get(`/api/v1/assistance/gaps${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const openFile = async (prefecture) => {
    const r = await as[vra.username].post('/api/v1/assistance/files', { pseudonym: 'Victim G', sex: 'female', age: 30, prefecture });
    assert.equal(r.status, 201, r.text);
    return r.json.file;
  };
  const addNeed = async (file, type) => {
    const r = await as[vra.username].post(`/api/v1/assistance/files/${file.id}/needs`, { type });
    assert.equal(r.status, 201, r.text);
    return r.json.need;
  };

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
  });
  after(async () => srv && srv.stop());

  it('counts victims needing against providers, and moves when either changes', async () => {
    const empty = await gaps();
    assert.deepEqual(empty.rows, []);
    assert.equal(empty.suppressed, false);
    assert.ok(empty.prefectures.some((p) => p.code === 'OUA'));
    assert.ok(empty.services.includes('legal'));

    // A need and no provider: a gap.
    const files = [];
    for (let i = 0; i < 5; i++) files.push(await openFile('OUA'));
    const needs = [];
    for (const file of files) needs.push(await addNeed(file, 'legal'));
    await addNeed(files[0], 'legal'); // a second legal need of the same victim counts once
    let t = await gaps();
    assert.deepEqual(row(t, 'OUA', 'legal'), {
      prefecture: 'OUA', prefecture_name: 'Ouaka', known_prefecture: true, service: 'legal',
      providers: 0, stale: 0, fresh: 0, needing: 5, assisted: 0, state: 'gap',
    });
    assert.equal(t.summary.gaps, 1);

    // A provider whose entry was last checked long ago: the gap becomes a warning.
    const made = await as[vra.username].post('/api/v1/providers', {
      name: 'Synthetic legal aid Quillon', kind: 'legal_aid', services: ['legal', 'psychosocial'], prefecture: 'OUA',
      town: 'Bambari', cost: 'free', last_verified: daysAgo(400),
    });
    assert.equal(made.status, 201, made.text);
    const provider = made.json.provider;
    t = await gaps();
    assert.equal(row(t, 'OUA', 'legal').state, 'stale_only');
    assert.equal(row(t, 'OUA', 'legal').stale, 1);
    assert.equal(row(t, 'OUA', 'psychosocial').state, 'no_need');
    // Verified today: covered.
    assert.equal((await as[vra.username].post(`/api/v1/providers/${provider.id}/verify`, {})).status, 200);
    t = await gaps();
    assert.equal(row(t, 'OUA', 'legal').state, 'covered');
    assert.equal(row(t, 'OUA', 'legal').fresh, 1);

    // A need met: one victim fewer needing, one assisted.
    const met = await as[vra.username].patch(`/api/v1/assistance/files/${files[1].id}/needs/${needs[1].id}`, { status: 'met' });
    assert.equal(met.status, 200, met.text);
    t = await gaps();
    assert.equal(row(t, 'OUA', 'legal').needing, 4);
    assert.equal(row(t, 'OUA', 'legal').assisted, 1);

    // The CDT reads the same table with small counts of victims suppressed; provider counts stay.
    const cdt = await gaps(officer);
    assert.equal(cdt.suppressed, true);
    assert.equal(row(cdt, 'OUA', 'legal').needing, null);
    assert.equal(row(cdt, 'OUA', 'legal').assisted, null);
    assert.equal(row(cdt, 'OUA', 'legal').providers, 1);
    assert.equal(row(cdt, 'OUA', 'legal').state, 'covered');
    await addNeed(await openFile('OUA'), 'legal');
    assert.equal(row(await gaps(chief), 'OUA', 'legal').needing, 5, 'five and more are shown');

    // The provider taken out of service: a gap again.
    assert.equal((await as[vra.username].post(`/api/v1/providers/${provider.id}/deactivate`, {})).status, 200);
    t = await gaps();
    assert.equal(row(t, 'OUA', 'legal').state, 'gap');
    assert.equal(row(t, 'OUA', 'psychosocial'), undefined, 'nothing left in that cell');

    // The action plan lists the computed indicator of victims assisted.
    const indicators = await as[vra.username].get('/api/v1/indicators');
    assert.equal(indicators.status, 200, indicators.text);
    const assisted = indicators.json.indicators.find((i) => i.key === 'assistance.victims_assisted');
    assert.equal(assisted?.kind, 'computed', JSON.stringify(assisted));

    // Filters.
    await addNeed(await openFile('BGI'), 'medical');
    assert.deepEqual((await gaps(vra, '?service=medical')).rows.map((r) => r.prefecture), ['BGI']);
    assert.deepEqual((await gaps(vra, '?prefecture=OUA')).rows.map((r) => r.service), ['legal']);
    assert.deepEqual((await gaps(vra, '?prefecture=ZZZ')).rows, []);
    assertError(await as[vra.username].get('/api/v1/assistance/gaps?service=dental'), 400, 'validation_failed', 'service');
    assertError(await as[vra.username].get('/api/v1/assistance/gaps?colour=blue'), 400, undefined, 'colour');
  });

  it('lets only the VRA and the CDT read the table, and only the VRA her overdue contacts', async () => {
    const matrix = [
      ['/api/v1/assistance/gaps', { [vra.username]: 200, [chief.username]: 200, [officer.username]: 200, [admin.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
      ['/api/v1/assistance/overdue-contacts', { [vra.username]: 200, [chief.username]: 403, [officer.username]: 403, [admin.username]: 403, [leader.username]: 403, [manager.username]: 403 }],
    ];
    for (const [url, expected] of matrix) {
      for (const [username, status] of Object.entries(expected)) {
        const r = await as[username].get(url);
        assert.equal(r.status, status, `${username} GET ${url}: ${r.status} ${r.text}`);
      }
    }
  });

  it("lists a case whose victim was not informed within the interval until a contact is logged", async () => {
    const c = as[chief.username];
    assert.equal((await c.post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) })).status, 204);
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-01',
      victims: [{ age: 24, sex: 'female', name: 'Velmira Gapstone', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', identified: 'no' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const complaint = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/route`, { route: 'case' })).status, 200);
    const made = await c.post('/api/v1/cases', { complaints: [complaint], date_reported: daysAgo(40) });
    assert.equal(made.status, 201, made.text);
    const kase = made.json.case;
    // The VRA sees the cases she is linked to.
    const linked = await c.post(`/api/v1/cases/${kase.id}/advocates`, { user_id: ids[vra.username] });
    assert.equal(linked.status, 200, linked.text);

    const overdue = await as[vra.username].get('/api/v1/assistance/overdue-contacts');
    assert.equal(overdue.status, 200, overdue.text);
    const item = overdue.json.items.find((i) => i.case_id === String(kase.id) || i.case_id === kase.id);
    assert.ok(item, JSON.stringify(overdue.json));
    assert.equal(item.rule, 'victim_information');
    assert.equal(item.state, 'overdue');
    assert.equal(item.reference, kase.reference);
    assert.ok(item.days_left < 0);
    assert.equal(overdue.json.total, overdue.json.items.length);

    const contact = await as[vra.username].post(`/api/v1/cases/${kase.id}/victims/${kase.victims[0].id}/contacts`, { date: daysAgo(0), channel: 'phone' });
    assert.equal(contact.status, 201, contact.text);
    const after = (await as[vra.username].get('/api/v1/assistance/overdue-contacts')).json;
    assert.equal(after.items.find((i) => String(i.case_id) === String(kase.id)), undefined);
  });
});
