// Complaint assessment, routing, corrections, the VRA's view and the figures (docs/api.md,
// "Intake"), on the engine PSEA_TEST_ENGINE names:
// - the preliminary assessment records what the UN records; each route is allowed only by the
//   assessment that fits it (SEA by another UN entity is handed over and still counted as SEA;
//   abuse by others is a GBV referral);
// - every correction keeps who, when, old and new; sealed values stay sealed in the history and
//   in the database file;
// - the Victims' Rights Advocate sees the victim part of the complaints that need it, and the
//   reporter's identity only when the reporter is the victim;
// - every new vocabulary is refused when unknown (422 naming the field);
// - the figures count a generated set right; leadership sees cells under 5 as "fewer than 5".
// Names, numbers and narratives are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError } from '../support/server.mjs';

const chief = { username: 'aschief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'asofficer', role: 'cdt_officer', password: strongPassword() };
const operator = { username: 'asop', role: 'intake_operator', password: strongPassword() };
const vra = { username: 'asvra', role: 'vra', password: strongPassword() };
const leader = { username: 'asleader', role: 'leadership', password: strongPassword() };

const REPORTER = 'Quillane Ostervik';
const VICTIM = 'Marvessa Tollundra';
const NARRATIVE = 'Synthetic narrative about a checkpoint near Zorvane.';

function complaint(extra = {}) {
  return {
    channel: 'hotline_4044',
    reporter_relation: 'witness',
    reporter_name: REPORTER,
    narrative: NARRATIVE,
    prefecture: 'OMP',
    town: 'Boali',
    incident_date_precision: 'month',
    incident_date: '2026-10',
    victims: [{ age: 24, sex: 'female', name: VICTIM, referral_consent: 'yes', pregnant: 'yes', child_born: 'no' }],
    perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Sergeant', identified: 'no' }],
    ...extra,
  };
}

describe('intake assessment and routing', { timeout: 300000 }, () => {
  let srv;
  const as = {};
  const file = async (c, extra) => {
    const r = await as[c].post('/api/v1/intake/complaints', complaint(extra));
    assert.equal(r.status, 201, r.text);
    return r.json.complaint.id;
  };
  const assess = (id, body) => as[officer.username].post(`/api/v1/intake/complaints/${id}/assessment`, body);
  const route = (id, body) => as[officer.username].post(`/api/v1/intake/complaints/${id}/route`, body);

  before(async () => {
    srv = await startServer({ users: [chief, officer, operator, vra, leader] });
    for (const user of [chief, officer, operator, vra, leader]) {
      as[user.username] = (await loginEnrolled(srv, user)).client;
    }
  });
  after(async () => srv && srv.stop());

  it('new vocabularies are taken in and refused when unknown (422 naming the field)', async () => {
    const op = as[operator.username];
    const ok = await op.post('/api/v1/intake/complaints', complaint({
      channel: 'cbcm', cbcm_name: 'CBCM Bambari-Elevage', reporter_relation: 'cbcm_member',
      received_at: new Date(Date.now() - 3 * 86400000).toISOString(),
      perpetrators: [{ category: 'un_agency', nationality: 'FR', identified: 'yes' }, { category: 'consultant' }],
    }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.complaint.cbcm_name, 'CBCM Bambari-Elevage');
    assert.equal(ok.json.complaint.perpetrators[0].nationality, 'FR');
    assert.equal(ok.json.complaint.victims[0].referral_consent, 'yes');
    assert.ok(!JSON.stringify(ok.json.complaint).includes('"pregnant"'), 'pregnancy is sealed');
    for (const channel of ['complaint_box', 'community_liaison', 'referral_oios_hq', 'observation', 'media']) {
      assert.equal((await op.post('/api/v1/intake/complaints', complaint({ channel }))).status, 201, channel);
    }
    for (const relation of ['service_provider', 'local_leader']) {
      assert.equal((await op.post('/api/v1/intake/complaints', complaint({ reporter_relation: relation }))).status, 201);
    }
    const bad = [
      [{ channel: 'carrier_pigeon' }, 'channel'],
      [{ reporter_relation: 'neighbour' }, 'reporter_relation'],
      [{ perpetrators: [{ category: 'wizard' }] }, 'perpetrators[0].category'],
      [{ perpetrators: [{ nationality: 'Ruritania' }] }, 'perpetrators[0].nationality'],
      [{ perpetrators: [{ nationality: 'XX' }] }, 'perpetrators[0].nationality'],
      [{ perpetrators: [{ identified: 'maybe' }] }, 'perpetrators[0].identified'],
      [{ victims: [{ referral_consent: 'perhaps' }] }, 'victims[0].referral_consent'],
      [{ victims: [{ pregnant: 'perhaps' }] }, 'victims[0].pregnant'],
      [{ victims: [{ child_born: 'perhaps' }] }, 'victims[0].child_born'],
      [{ received_at: new Date(Date.now() + 86400000 * 2).toISOString() }, 'received_at'],
    ];
    for (const [extra, field] of bad) {
      assertError(await op.post('/api/v1/intake/complaints', complaint(extra)), 422, 'unprocessable', field);
    }
    const id = ok.json.complaint.id;
    assertError(await assess(id, { is_sea: true, category: 'sexual_mischief', type: 'rape', perpetrator_affiliation: 'mission' }), 422, 'unprocessable', 'category');
    assertError(await assess(id, { is_sea: true, category: 'sexual_abuse', type: 'teasing', perpetrator_affiliation: 'mission' }), 422, 'unprocessable', 'type');
    assertError(await assess(id, { is_sea: true, category: 'sexual_abuse', type: 'rape', perpetrator_affiliation: 'aliens' }), 422, 'unprocessable', 'perpetrator_affiliation');
    assertError(await assess(id, { is_sea: true, perpetrator_affiliation: 'mission' }), 422, 'unprocessable', 'category');
    assertError(await assess(id, { is_sea: false, category: 'sexual_abuse', perpetrator_affiliation: 'not_un' }), 422, 'unprocessable', 'category');
    const vocab = (await as[officer.username].get('/api/v1/intake/vocabularies')).json;
    assert.ok(vocab.countries.includes('CF') && vocab.countries.length > 240);
    assert.deepEqual(vocab.sea_types.map((t) => t.code), ['rape', 'sexual_assault', 'sexual_activity_minor', 'transactional_sex',
      'solicitation_transactional_sex', 'exploitative_relationship', 'other']);
    assert.ok(vocab.channels.includes('media') && vocab.reporter_relations.includes('local_leader'));
  });

  it('the SEA types vocabulary is edited by the chief only', async () => {
    assertError(await as[officer.username].post('/api/v1/intake/sea-types', { code: 'grooming', label_en: 'Grooming', label_fr: 'Pédopiégeage' }), 403, 'forbidden');
    const added = await as[chief.username].post('/api/v1/intake/sea-types', { code: 'grooming', label_en: 'Grooming', label_fr: 'Pédopiégeage' });
    assert.equal(added.status, 201, added.text);
    assertError(await as[chief.username].post('/api/v1/intake/sea-types', { code: 'grooming', label_en: 'x', label_fr: 'y' }), 409, 'conflict');
    assertError(await as[chief.username].post('/api/v1/intake/sea-types', { code: 'Bad Code', label_en: 'x', label_fr: 'y' }), 422, 'unprocessable', 'code');
    const id = await file(operator.username);
    assert.equal((await assess(id, { is_sea: true, category: 'sexual_abuse', type: 'grooming', perpetrator_affiliation: 'mission', perpetrator_identified: false })).status, 200);
    const retired = await as[chief.username].put('/api/v1/intake/sea-types/grooming', { label_en: 'Grooming', label_fr: 'Pédopiégeage', active: false });
    assert.equal(retired.status, 200, retired.text);
    assertError(await assess(id, { is_sea: true, category: 'sexual_abuse', type: 'grooming', perpetrator_affiliation: 'mission' }), 422, 'unprocessable', 'type');
    assertError(await as[chief.username].put('/api/v1/intake/sea-types/nosuch', { label_en: 'x', label_fr: 'y' }), 404, 'not_found');
  });

  it('each route needs the assessment that fits it', async () => {
    // Not assessed yet.
    const fresh = await file(operator.username);
    assertError(await route(fresh, { route: 'case' }), 422, 'unprocessable', 'assessment');

    // SEA by mission personnel: ready for a case.
    const mission = await file(operator.username);
    const assessed = await assess(mission, { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission', perpetrator_identified: true });
    assert.equal(assessed.status, 200, assessed.text);
    assert.equal(assessed.json.complaint.status, 'assessing');
    assert.equal(assessed.json.complaint.assessment.assessed_by_username, officer.username);
    assertError(await route(mission, { route: 'gbv_referral' }), 422, 'unprocessable', 'route');
    assertError(await route(mission, { route: 'other_misconduct', office: 'HR' }), 422, 'unprocessable', 'route');
    const toCase = await route(mission, { route: 'case' });
    assert.equal(toCase.status, 200, toCase.text);
    assert.equal(toCase.json.complaint.status, 'ready_for_case');
    assert.equal(toCase.json.complaint.routing.route, 'case');

    // SEA by an implementing partner's staff is SEA: handed over, never "not SEA".
    const partner = await file(operator.username, { perpetrators: [{ category: 'implementing_partner' }] });
    await assess(partner, { is_sea: true, category: 'sexual_abuse', type: 'rape', perpetrator_affiliation: 'implementing_partner', perpetrator_identified: false });
    assertError(await route(partner, { route: 'case' }), 422, 'unprocessable', 'route');
    assertError(await route(partner, { route: 'handed_over' }), 422, 'unprocessable', 'entity');
    assertError(await route(partner, { route: 'handed_over', entity: 'NGO Synthetic Aid', handed_over_on: '2026-13-01' }), 422, 'unprocessable', 'handed_over_on');
    const handed = await route(partner, { route: 'handed_over', entity: 'NGO Synthetic Aid', handed_over_on: '2026-11-20' });
    assert.equal(handed.status, 200, handed.text);
    assert.equal(handed.json.complaint.status, 'handed_over');
    assert.equal(handed.json.complaint.vra_visible, true, 'the victim is still referred to assistance');
    const ack = await as[officer.username].post(`/api/v1/intake/complaints/${partner}/handover-acknowledged`, { acknowledged_on: '2026-11-22', acknowledgement: 'letter ref SA/2026/17' });
    assert.equal(ack.status, 200, ack.text);
    assert.equal(ack.json.complaint.routing.acknowledged_on, '2026-11-22');
    assertError(await as[officer.username].post(`/api/v1/intake/complaints/${mission}/handover-acknowledged`, { acknowledged_on: '2026-11-22', acknowledgement: 'x' }), 409, 'conflict');

    // Abuse by someone not UN-related: a GBV referral.
    const gbv = await file(operator.username, { perpetrators: [{ category: 'non_un_forces' }] });
    await assess(gbv, { is_sea: false, perpetrator_affiliation: 'not_un', perpetrator_identified: false });
    const referred = await route(gbv, { route: 'gbv_referral' });
    assert.equal(referred.status, 200, referred.text);
    assert.equal(referred.json.complaint.status, 'gbv_referral');

    // Other misconduct.
    const other = await file(operator.username);
    await assess(other, { is_sea: false, perpetrator_affiliation: 'mission', perpetrator_identified: true });
    assertError(await route(other, { route: 'other_misconduct' }), 422, 'unprocessable', 'office');
    const misconduct = await route(other, { route: 'other_misconduct', office: 'Special Investigations Unit' });
    assert.equal(misconduct.json.complaint.status, 'other_misconduct');

    // Closed with a reason from the list; a duplicate names the other complaint.
    const dup = await file(operator.username);
    await assess(dup, { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' });
    assertError(await route(dup, { route: 'closed', reason: 'bored' }), 422, 'unprocessable', 'reason');
    assertError(await route(dup, { route: 'closed', reason: 'duplicate' }), 422, 'unprocessable', 'duplicate_of');
    const closed = await route(dup, { route: 'closed', reason: 'duplicate', duplicate_of: mission });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.json.complaint.status, 'duplicate');
    assert.equal(closed.json.complaint.duplicate_of, mission);
    const withdrawn = await file(operator.username);
    await assess(withdrawn, { is_sea: false, perpetrator_affiliation: 'unknown' });
    assert.equal((await route(withdrawn, { route: 'closed', reason: 'withdrawn' })).json.complaint.status, 'closed');

    // The routes filter the queue.
    const handedList = (await as[officer.username].get('/api/v1/intake/complaints?status=all&route=handed_over')).json.complaints;
    assert.deepEqual(handedList.map((c) => c.id), [partner]);
    // The old "not SEA" endpoint is gone.
    assert.equal((await as[officer.username].post(`/api/v1/intake/complaints/${other}/not-sea`, { destination: 'another_entity' })).status, 404);
    // Leadership and operators cannot assess.
    assertError(await as[operator.username].post(`/api/v1/intake/complaints/${fresh}/assessment`, { is_sea: false, perpetrator_affiliation: 'unknown' }), 403, 'forbidden');
  });

  it('corrections keep who, when, old and new; sealed values stay sealed', async () => {
    const id = await file(operator.username);
    const officerPatch = await as[officer.username].patch(`/api/v1/intake/complaints/${id}`, {
      town: 'Bossembélé', incident_date_precision: 'exact', incident_date: '2026-10-12', risk_danger: true,
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 4', rank: 'Sergeant', identified: 'yes' }],
    });
    assert.equal(officerPatch.status, 200, officerPatch.text);
    assert.deepEqual(officerPatch.json.changed.sort(), ['incident_date', 'incident_date_precision', 'perpetrators', 'risk_danger', 'town']);
    assert.equal(officerPatch.json.complaint.urgent, true, 'danger makes it urgent');
    // An officer who is no reader cannot touch sealed facts.
    assertError(await as[officer.username].patch(`/api/v1/intake/complaints/${id}`, { narrative: 'changed' }), 403, 'forbidden');
    assertError(await as[officer.username].patch(`/api/v1/intake/complaints/${id}`, { channel: 'pigeon' }), 422, 'unprocessable', 'channel');
    assertError(await as[officer.username].patch(`/api/v1/intake/complaints/${id}`, { colour: 'red' }), 400, 'unknown_field', 'colour');
    // The chief (a reader) corrects the victim's name.
    const NEWNAME = 'Marvessa Tollundra-Kessel';
    const sealed = await as[chief.username].patch(`/api/v1/intake/complaints/${id}`, {
      victims: [{ age: 24, sex: 'female', referral_consent: 'yes', name: NEWNAME, pregnant: 'yes', child_born: 'yes' }],
    });
    assert.equal(sealed.status, 200, sealed.text);
    assert.deepEqual(sealed.json.changed, ['victims.sealed']);
    const byChief = (await as[chief.username].get(`/api/v1/intake/complaints/${id}`)).json;
    assert.deepEqual(byChief.identifying.victim_names, [NEWNAME]);
    assert.deepEqual(byChief.identifying.victim_child_born, ['yes']);
    const town = byChief.history.find((h) => h.field === 'town');
    assert.equal(town.old, 'Boali');
    assert.equal(town.new, 'Bossembélé');
    assert.equal(town.by_username, officer.username);
    const victims = byChief.history.find((h) => h.field === 'victims.sealed');
    assert.equal(victims.sealed, true);
    assert.equal(JSON.stringify(victims.old).includes(VICTIM), true, 'the reader sees the old value');
    const byOfficer = (await as[officer.username].get(`/api/v1/intake/complaints/${id}`)).json;
    const hidden = byOfficer.history.find((h) => h.field === 'victims.sealed');
    assert.equal(hidden.old, null);
    assert.equal(hidden.new, null);
    // Neither the old nor the new name is anywhere in the database in clear.
    const bytes = await srv.databaseBytes();
    for (const secret of [VICTIM, NEWNAME, REPORTER, NARRATIVE]) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in clear in the database`);
    }
  });

  it('the VRA sees the victim part of urgent complaints, and nothing else', async () => {
    const urgent = await file(operator.username, { risk_medical: true, reporter_relation: 'witness' });
    const calm = await file(operator.username);
    const victimReporter = await file(operator.username, { risk_child: true, reporter_relation: 'victim', reporter_phone: '+23670001111', victims: [{ age: 15, sex: 'female', name: VICTIM }] });
    const list = (await as[vra.username].get('/api/v1/intake/victims')).json.complaints;
    const ids = list.map((c) => c.id);
    assert.ok(ids.includes(urgent) && ids.includes(victimReporter), 'urgent complaints reach the VRA');
    assert.ok(!ids.includes(calm), 'a complaint that names no need does not (until routed)');
    assert.equal(JSON.stringify(list).includes(NARRATIVE), false);
    const part = (await as[vra.username].get(`/api/v1/intake/victims/${urgent}`)).json;
    assert.equal(part.open, true, JSON.stringify(part));
    assert.deepEqual(part.identifying.victim_names, [VICTIM]);
    assert.equal(part.identifying.reporter_name, '', 'a witness reporter stays hidden from the VRA');
    const own = (await as[vra.username].get(`/api/v1/intake/victims/${victimReporter}`)).json;
    assert.equal(own.identifying.reporter_phone, '+23670001111', 'the reporter is the victim');
    assertError(await as[vra.username].get(`/api/v1/intake/victims/${calm}`), 404, 'not_found');
    assertError(await as[vra.username].get(`/api/v1/intake/complaints/${urgent}`), 403, 'forbidden');
    assertError(await as[vra.username].get('/api/v1/intake/complaints'), 403, 'forbidden');
    assertError(await as[officer.username].get('/api/v1/intake/victims'), 403, 'forbidden');
    // Every opening is audited.
    const audit = await srv.cli(['audit', 'verify', ...srv.dbArgs]);
    assert.equal(audit.code, 0, audit.stderr);
  });

  it('figures count the complaints; leadership sees small cells as fewer than 5', async () => {
    const before = (await as[chief.username].get('/api/v1/intake/figures')).json;
    const extra = [];
    for (let i = 0; i < 6; i++) extra.push(await file(operator.username, { channel: 'media' }));
    await as[officer.username].post(`/api/v1/intake/complaints/${extra[0]}/acknowledge`, {});
    const after = (await as[chief.username].get('/api/v1/intake/figures')).json;
    assert.equal(after.total, before.total + 6);
    const media = (f) => (f.by_channel.find((x) => x.key === 'media') || { count: 0 }).count;
    assert.equal(media(after), media(before) + 6);
    assert.equal(after.suppressed, false);
    assert.ok(after.acknowledgement.count >= 1);
    assert.ok(after.acknowledgement.median_hours !== null);
    assert.equal(after.targets.urgent_hours, 24);
    const types = after.by_type.map((x) => x.key);
    assert.ok(types.includes('rape') && types.includes('transactional_sex'));
    const lead = (await as[leader.username].get('/api/v1/intake/figures')).json;
    assert.equal(lead.suppressed, true);
    for (const list of [lead.by_channel, lead.by_type, lead.by_prefecture]) {
      for (const item of list) {
        if (item.count === null) assert.equal(item.fewer_than_5, true);
        else assert.ok(item.count >= 5, JSON.stringify(item));
      }
    }
    assertError(await as[leader.username].get('/api/v1/intake/complaints'), 403, 'forbidden');
    assertError(await as[operator.username].get('/api/v1/intake/figures'), 403, 'forbidden');
    assertError(await as[chief.username].get('/api/v1/intake/figures?from=2026-13'), 400, 'validation_failed', 'from');
    const targets = await as[chief.username].put('/api/v1/intake/figures/targets', { urgent_hours: 12, other_hours: 48 });
    assert.equal(targets.status, 200, targets.text);
    assert.equal((await as[chief.username].get('/api/v1/intake/figures')).json.targets.urgent_hours, 12);
    assertError(await as[officer.username].put('/api/v1/intake/figures/targets', { urgent_hours: 12, other_hours: 48 }), 403, 'forbidden');
  });

  it('assignees by name; search finds a complaint by reference or town', async () => {
    const people = (await as[officer.username].get('/api/v1/intake/assignees')).json.assignees;
    assert.deepEqual(people.map((p) => p.username).sort(), [chief.username, officer.username].sort());
    const id = await file(operator.username, { town: 'Zemio-Synthetique' });
    const detail = (await as[officer.username].get(`/api/v1/intake/complaints/${id}`)).json.complaint;
    for (const q of [detail.reference, String(id), 'zemio-synth']) {
      const found = (await as[officer.username].get(`/api/v1/intake/complaints?status=all&q=${encodeURIComponent(q)}`)).json.complaints;
      assert.ok(found.some((c) => c.id === id), `search ${q}`);
    }
  });
});
