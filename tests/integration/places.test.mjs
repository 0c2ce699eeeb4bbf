// The places list's field offices and sites over HTTP (docs/api.md, "Intake"), on the engine
// PSEA_TEST_ENGINE names:
// - GET shows the shipped field offices, each sub-prefecture's office and the example sites;
// - PUT refuses a sub-prefecture naming an unknown office, naming the item, and a client that
//   sends only prefectures (written before offices and sites) is still understood;
// - a complaint's site must be a site of the list;
// - the queue filtered by field office answers only that office's sub-prefectures.
// Names, numbers and narratives are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError } from '../support/server.mjs';

const chief = { username: 'plchief', role: 'cdt_chief', password: strongPassword() };
const operator = { username: 'plop', role: 'intake_operator', password: strongPassword() };

function complaint(extra = {}) {
  return {
    channel: 'hotline_4044',
    reporter_relation: 'witness',
    contact_consent: false,
    narrative: 'Synthetic narrative about Quorvellan near the market.',
    incident_date_precision: 'month',
    incident_date: '2026-10',
    victims: [{ age: 30, sex: 'female' }],
    perpetrators: [{ category: 'unknown' }],
    ...extra,
  };
}

describe('places: field offices and sites', { timeout: 120000 }, () => {
  let srv;
  const as = {};

  before(async () => {
    srv = await startServer({ users: [chief, operator] });
    for (const user of [chief, operator]) as[user.username] = (await loginEnrolled(srv, user)).client;
  });
  after(async () => srv && srv.stop());

  it('GET shows the field offices, each sub-prefecture\'s office and the sites', async () => {
    const res = await as[operator.username].get('/api/v1/intake/places');
    assert.equal(res.status, 200, res.text);
    const codes = res.json.field_offices.map((o) => o.code);
    for (const code of ['BGI', 'BBR', 'BGS', 'BBT', 'BOU', 'BRI', 'KGB', 'NDE', 'PAO', 'BIR', 'OBO']) {
      assert.ok(codes.includes(code), `field office ${code}`);
    }
    for (const p of res.json.prefectures) {
      for (const sp of p.sub_prefectures) assert.ok(codes.includes(sp.field_office), `${sp.code} → ${sp.field_office}`);
    }
    const bangui = res.json.prefectures.find((p) => p.code === 'BGI');
    assert.equal(bangui.pcode, 'CF71');
    assert.ok(bangui.sub_prefectures[0].towns.includes('Bangui 5e arrondissement'));
    assert.ok(res.json.sites.some((s) => s.code === 'IDP-MPOKO' && s.type === 'idp_site' && s.sub_prefecture === 'BGI-BGI'));
  });

  it('PUT refuses an unknown office, naming the item; an old client sending prefectures only is understood', async () => {
    const chiefClient = as[chief.username];
    const places = (await chiefClient.get('/api/v1/intake/places')).json;
    const broken = structuredClone(places);
    const at = broken.prefectures.findIndex((p) => p.code === 'OUA');
    broken.prefectures[at].sub_prefectures[1].field_office = 'NOWHERE';
    assertError(await chiefClient.put('/api/v1/intake/places', broken), 400, undefined,
      `prefectures[${at}].sub_prefectures[1].field_office`);
    const badSite = structuredClone(places);
    badSite.sites.push({ code: 'S-X', name: 'X', type: 'camp', sub_prefecture: 'BGI-BGI' });
    assertError(await chiefClient.put('/api/v1/intake/places', badSite), 400, undefined, `sites[${places.sites.length}].type`);
    // Nothing was stored.
    assert.deepEqual((await chiefClient.get('/api/v1/intake/places')).json, places);

    const old = { prefectures: places.prefectures.map((p) => ({ code: p.code, name: p.name, sub_prefectures: p.sub_prefectures.map((sp) => ({ code: sp.code, name: sp.name, towns: sp.towns })) })) };
    const stored = await chiefClient.put('/api/v1/intake/places', old);
    assert.equal(stored.status, 200, stored.text);
    assert.deepEqual(stored.json.field_offices, []);
    assert.deepEqual(stored.json.sites, []);
    // Back to the full list for the tests below.
    const back = await chiefClient.put('/api/v1/intake/places', places);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(back.json, places);
  });

  it('a complaint\'s site must be a site of the list', async () => {
    const op = as[operator.username];
    assertError(await op.post('/api/v1/intake/complaints', complaint({ site: 'NO-SUCH-SITE' })), 422, 'unprocessable', 'site');
    const created = await op.post('/api/v1/intake/complaints', complaint({ site: 'IDP-MPOKO', prefecture: 'BGI', sub_prefecture: 'BGI-BGI' }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.complaint.site, 'IDP-MPOKO');
  });

  it('the queue filtered by field office holds only that office\'s sub-prefectures', async () => {
    const op = as[operator.username];
    for (const [prefecture, sub_prefecture] of [['OUA', 'OUA-BAM'], ['OUA', 'OUA-IPP'], ['HKO', 'HKO-BRI'], ['BGI', 'BGI-BGI']]) {
      const created = await op.post('/api/v1/intake/complaints', complaint({ prefecture, sub_prefecture }));
      assert.equal(created.status, 201, created.text);
    }
    const places = (await op.get('/api/v1/intake/places')).json;
    const ofBambari = new Set(places.prefectures.flatMap((p) => p.sub_prefectures).filter((sp) => sp.field_office === 'BBR').map((sp) => sp.code));
    const chiefClient = as[chief.username];
    const all = (await chiefClient.get('/api/v1/intake/complaints?status=all')).json.complaints;
    const filtered = await chiefClient.get('/api/v1/intake/complaints?status=all&field_office=BBR');
    assert.equal(filtered.status, 200, filtered.text);
    const got = filtered.json.complaints;
    assert.equal(got.length, all.filter((c) => ofBambari.has(c.sub_prefecture)).length);
    assert.ok(got.length >= 2, 'Bambari and Ippy are Bambari\'s');
    for (const c of got) {
      assert.ok(ofBambari.has(c.sub_prefecture), `${c.sub_prefecture} is not Bambari's`);
      assert.equal(c.field_office, 'BBR');
    }
    const bria = (await chiefClient.get('/api/v1/intake/complaints?status=all&field_office=BRI')).json.complaints;
    assert.ok(bria.length >= 1 && bria.every((c) => c.field_office === 'BRI'));
  });
});
