// Keeping the victim and the reporter informed, and the bi-weekly review (docs/api.md "Victim
// contacts and the review"), on the engine PSEA_TEST_ENGINE names:
// - a logged contact meets the victim_information clock, its note is sealed (opened with 2FA
//   in the session) and only the case's readers, officers and the VRA may log or read them;
// - the review lists pending cases oldest first and records decisions shown in the timeline;
// - the reporter's follow-up page shows the case's step in plain words, in English and French,
//   and nothing else of the case.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'inchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'inofficer', role: 'cdt_officer', password: strongPassword() };
const vra = { username: 'invra', role: 'vra', password: strongPassword() };
const investigator = { username: 'ininvestigator', role: 'investigator', password: strongPassword() };
const USERS = [chief, officer, vra, investigator];
const DAY = 24 * 3600 * 1000;
const VICTIM = 'Velmira Ostrakine';
const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const form = (fields) => new URLSearchParams(fields).toString();

describe('case contacts, review and follow-up', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};

  // A complaint filed by the chief, made into a case; returns the case and the receipt code.
  const newCase = async (dateReported) => {
    const c = as[chief.username];
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-01',
      victims: [{ age: 24, sex: 'female', name: VICTIM, child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 2', rank: 'Private', identified: 'yes', name: 'Private Ambrel Quissot' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
    const r = await c.post('/api/v1/cases', { complaints: [id], date_reported: dateReported });
    assert.equal(r.status, 201, r.text);
    return { kase: r.json.case, code: filed.json.receipt_code };
  };
  const move = async (k, status, extra = {}) => {
    const r = await as[chief.username].post(`/api/v1/cases/${k.id}/transitions`, { status, version: k.version, ...extra });
    assert.equal(r.status, 200, r.text);
    return r.json.case;
  };
  const clock = (k, rule) => k.clocks.find((c) => c.rule === rule);

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const first = await as[chief.username].post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
  });
  after(async () => srv && srv.stop());

  it('a logged contact meets the victim_information clock; its note is sealed and need-to-know holds', async () => {
    const { kase } = await newCase(daysAgo(40));
    assert.equal(clock(kase, 'victim_information').state, 'overdue');
    const victim = kase.victims[0].id;
    const path = `/api/v1/cases/${kase.id}/victims/${victim}/contacts`;
    const note = 'Told her the case was referred; she asked about support.';
    const today = daysAgo(0);
    const r = await as[chief.username].post(path, { date: today, channel: 'in_person', note });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.contact.channel, 'in_person');
    assert.equal(r.json.contact.has_note, true);
    const after = (await as[chief.username].get(`/api/v1/cases/${kase.id}`)).json.case;
    const info = clock(after, 'victim_information');
    assert.equal(info.state, 'running');
    // The first period lapsed on day 30: this contact met it late, and the next runs from today.
    assert.equal(info.periods_late, 1);
    assert.equal(Date.parse(info.last_met_at), Date.parse(`${today}T00:00:00Z`));
    assert.equal(Date.parse(info.due_at), Date.parse(`${today}T00:00:00Z`) + 31 * DAY);
    const event = after.timeline.at(-1);
    assert.equal(event.kind, 'victim_contact');
    assert.equal(event.reason, 'in_person');
    assert.ok(!JSON.stringify(after).includes('support'), 'the note never shows in the case');

    const list = await as[chief.username].get(path);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.notes_open, true);
    assert.equal(list.json.contacts[0].note, note);
    // The VRA logs contacts too, once linked to the case; the investigator and an officer not
    // assigned get 404.
    assertError(await as[vra.username].post(path, { date: today, channel: 'vra' }), 404, 'not_found');
    const linked = await as[chief.username].post(`/api/v1/cases/${kase.id}/advocates`, { user_id: ids[vra.username] });
    assert.equal(linked.status, 200, linked.text);
    const byVra = await as[vra.username].post(path, { date: today, channel: 'vra' });
    assert.equal(byVra.status, 201, byVra.text);
    assert.equal(byVra.json.contact.note, null);
    assert.equal((await as[vra.username].get(path)).json.contacts.length, 2);
    for (const user of [officer, investigator]) {
      assertError(await as[user.username].get(path), 404, 'not_found');
      assertError(await as[user.username].post(path, { date: today, channel: 'phone' }), 404, 'not_found');
    }
    assertError(await as[chief.username].post(path, { date: today, channel: 'pigeon' }), 400, 'validation_failed', 'channel');
    assertError(await as[chief.username].post(path, { date: daysAgo(-2), channel: 'phone' }), 422, 'unprocessable', 'date');
    assertError(await as[chief.username].post(path, { date: today, channel: 'phone', colour: 'red' }), 400, 'unknown_field', 'colour');
    assertError(await as[chief.username].get(`/api/v1/cases/${kase.id}/victims/${victim + 1000}/contacts`), 404, 'not_found');
    const audit = await as[chief.username].get('/api/v1/audit?action=cases.victim_contact.add');
    if (audit.status === 200) assert.ok(JSON.stringify(audit.json).includes('cases.victim_contact.add'));
  });

  it('the review lists pending cases oldest first and records decisions in the timeline', async () => {
    const { kase: older } = await newCase(daysAgo(60));
    await newCase(daysAgo(20));
    const review = await as[chief.username].get('/api/v1/cases/review');
    assert.equal(review.status, 200, review.text);
    const rows = review.json.cases;
    const ages = rows.map((row) => row.age_days);
    assert.deepEqual([...ages].sort((a, b) => b - a), ages, 'oldest first');
    const row = rows.find((r) => r.case_id === older.id);
    assert.equal(row.age_days, 60);
    assert.equal(row.days_since_activity, 0);
    assert.equal(row.status, 'received');
    assert.ok(row.next_due && row.next_due.rule, JSON.stringify(row));
    assert.equal(row.last_decision, null);

    const decision = { meeting_date: daysAgo(0), decision: 'Refer to OIOS this week.', action_owner: officer.username, due_date: daysAgo(-7) };
    const saved = await as[chief.username].post(`/api/v1/cases/${older.id}/review-decisions`, decision);
    assert.equal(saved.status, 201, saved.text);
    assert.equal(saved.json.decision.action_owner, officer.username);
    const again = (await as[chief.username].get('/api/v1/cases/review')).json.cases.find((r) => r.case_id === older.id);
    assert.equal(again.last_decision.decision, decision.decision);
    const k = (await as[chief.username].get(`/api/v1/cases/${older.id}`)).json.case;
    assert.equal(k.timeline.at(-1).kind, 'review_decision');
    assert.equal(k.timeline.at(-1).reason, decision.decision);
    assert.equal((await as[chief.username].get(`/api/v1/cases/${older.id}/review-decisions`)).json.decisions.length, 1);

    assertError(await as[chief.username].post(`/api/v1/cases/${older.id}/review-decisions`, { ...decision, due_date: daysAgo(1) }), 422, 'unprocessable', 'due_date');
    assertError(await as[chief.username].post(`/api/v1/cases/${older.id}/review-decisions`, { meeting_date: daysAgo(0) }), 400, 'validation_failed', 'decision');
    assertError(await as[officer.username].post(`/api/v1/cases/${older.id}/review-decisions`, decision), 404, 'not_found');
    assert.deepEqual((await as[officer.username].get('/api/v1/cases/review')).json.cases, []);
    assertError(await as[vra.username].get('/api/v1/cases/review'), 403, 'forbidden');
  });

  it('the follow-up page shows the case step in plain words, in English and French', async () => {
    const { kase, code } = await newCase(daysAgo(5));
    const anon = srv.client();
    const follow = (lang) => anon.post('/report/follow-up', form({ code, lang }), { contentType: 'application/x-www-form-urlencoded' });
    const step = async (lang) => {
      const r = await follow(lang);
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.ok(!r.text.includes(kase.reference), 'no case reference');
      assert.ok(!r.text.includes('Battalion'), 'no fact of the case');
      return r.text.match(/<strong>([^<]*)<\/strong>/)[1].replaceAll('&#39;', "'");
    };
    assert.equal(await step('en'), 'Being assessed');
    let k = await move(kase, 'under_assessment');
    k = await move(k, 'referred_for_investigation');
    assert.equal(await step('en'), 'Referred for investigation');
    k = await move(k, 'under_investigation', { entity: 'oios' });
    assert.equal(await step('en'), 'Investigation under way');
    assert.equal(await step('fr'), 'Enquête en cours');
    k = await move(k, 'report_received');
    assert.match(await step('en'), /^Investigation concluded: .*Conduct and Discipline Team or the Victims' Rights Advocate$/);
    assert.match(await step('fr'), /^Enquête terminée.*Défenseur\(e\) des droits des victimes$/);
  });
});
