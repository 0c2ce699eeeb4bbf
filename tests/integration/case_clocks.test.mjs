// Case clocks (docs/case-timelines.md, docs/api.md "Case clocks"), on the engine
// PSEA_TEST_ENGINE names:
// - a new case shows its clocks; an urgent case's investigation is due 3 months after referral;
// - a pause needs a reason, and a pause pushes the due date;
// - the due view lists an overdue case to whoever may see it, and not to an officer who may not;
// - the due view pages (limit, offset) in a stable order with the totals of the whole view, and
//   each case list row carries its next due clock and its officers;
// - the chief edits the rule table and the due date follows; an officer may not (403).
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'clchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'clofficer', role: 'cdt_officer', password: strongPassword() };
const USERS = [chief, officer];
const DAY = 24 * 3600 * 1000;

// "YYYY-MM-DD" of today minus `days` (UTC: the default table's mission time).
const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
// The due_at of a deadline on `date` + `months` months (clamped), i.e. the next day's start.
const monthsLaterDue = (date, months) => {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return Date.UTC(y, m - 1 + months, Math.min(d, last)) + DAY;
};

describe('case clocks', { timeout: 300000 }, () => {
  let srv;
  const as = {};
  const ids = {};

  const newCase = async (dateReported) => {
    const c = as[chief.username];
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2020-01',
      victims: [{ age: 16, sex: 'female', name: 'Velmira Ostrakine', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 2', rank: 'Private', identified: 'yes', name: 'Private Ambrel Quissot' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category: 'sexual_abuse', type: 'sexual_activity_minor', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
    const r = await c.post('/api/v1/cases', { complaints: [id], date_reported: dateReported });
    assert.equal(r.status, 201, r.text);
    return r.json.case;
  };
  const clock = (k, rule) => k.clocks.find((c) => c.rule === rule);
  const move = async (k, status, date, extra = {}) => {
    const r = await as[chief.username].post(`/api/v1/cases/${k.id}/transitions`, { status, version: k.version, date, ...extra });
    assert.equal(r.status, 200, r.text);
    return r.json.case;
  };

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

  it('a new case shows its clocks; an urgent investigation is due 3 months after referral', async () => {
    let k = await newCase(daysAgo(2));
    assert.equal(k.urgent, true);
    assert.deepEqual(k.clocks.map((c) => c.rule), ['acknowledgement', 'assessment_referral', 'member_state_notification',
      'nio_appointment', 'investigation_completion_urgent', 'report_review', 'victim_information']);
    assert.equal(clock(k, 'assessment_referral').state, 'running');
    assert.equal(Date.parse(clock(k, 'assessment_referral').due_at), Date.parse(`${daysAgo(2)}T00:00:00Z`) + 8 * DAY);
    assert.equal(clock(k, 'investigation_completion_urgent').state, 'not_started');
    k = await move(k, 'under_assessment', daysAgo(2));
    assert.equal(clock(k, 'acknowledgement').state, 'met_on_time');
    const referred = daysAgo(1);
    k = await move(k, 'referred_for_investigation', referred);
    const urgent = clock(k, 'investigation_completion_urgent');
    assert.equal(urgent.state, 'running');
    assert.equal(Date.parse(urgent.due_at), monthsLaterDue(referred, 3));
    assert.equal(clock(k, 'assessment_referral').state, 'met_on_time');
    assert.equal(clock(k, 'member_state_notification').state, 'running');
    // A Member State notification stops its clock and starts the NIO's.
    const entry = await as[chief.username].post(`/api/v1/cases/${k.id}/entries`, { kind: 'member_state', type: 'notification', date: referred });
    assert.equal(entry.status, 201, entry.text);
    assert.equal(clock(entry.json.case, 'member_state_notification').state, 'met_on_time');
    assert.equal(clock(entry.json.case, 'nio_appointment').state, 'running');
  });

  it('refuses a pause without a reason; a pause pushes the due date', async () => {
    const reported = daysAgo(10);
    const k = await newCase(reported);
    const before = clock(k, 'assessment_referral');
    assert.equal(before.state, 'overdue');
    const url = `/api/v1/cases/${k.id}/pauses`;
    assertError(await as[chief.username].post(url, { rule: 'assessment_referral' }), 400, 'validation_failed', 'reason');
    assertError(await as[chief.username].post(url, { rule: 'assessment_referral', reason: '   ' }), 400, 'validation_failed', 'reason');
    assertError(await as[chief.username].post(url, { rule: 'banana', reason: 'x' }), 400, 'validation_failed', 'rule');
    assertError(await as[chief.username].post(url, { reason: 'x', start: daysAgo(20) }), 422, 'unprocessable', 'start');
    // The officer, not assigned, does not know the case.
    assertError(await as[officer.username].post(url, { reason: 'x' }), 404, 'not_found');
    const paused = await as[chief.username].post(url, { rule: 'assessment_referral', reason: 'victim unreachable: displaced', start: daysAgo(9) });
    assert.equal(paused.status, 201, paused.text);
    assert.equal(clock(paused.json.case, 'assessment_referral').state, 'paused');
    assert.equal(clock(paused.json.case, 'acknowledgement').state, 'overdue');
    const pause = paused.json.case.clock_pauses[0];
    assert.equal(pause.reason, 'victim unreachable: displaced');
    assert.equal(pause.end, null);
    assert.ok(paused.json.case.timeline.some((e) => e.kind === 'clock_paused'));
    const ended = await as[chief.username].post(`${url}/${pause.id}/end`, {});
    assert.equal(ended.status, 200, ended.text);
    const after = clock(ended.json.case, 'assessment_referral');
    assert.equal(after.state, 'running');
    assert.ok(Date.parse(after.due_at) >= Date.parse(before.due_at) + 9 * DAY, `${before.due_at} -> ${after.due_at}`);
    assertError(await as[chief.username].post(`${url}/${pause.id}/end`, {}), 409, 'conflict', 'pause_id');
  });

  it('the due view lists an overdue case to those who may see it, most late first', async () => {
    const k = await newCase(daysAgo(60));
    const due = await as[chief.username].get('/api/v1/cases/due?within_days=7');
    assert.equal(due.status, 200, due.text);
    const mine = due.json.items.filter((i) => i.case_id === String(k.id));
    assert.ok(mine.some((i) => i.rule === 'assessment_referral' && i.state === 'overdue' && i.days_left < -50), due.text);
    const times = due.json.items.map((i) => Date.parse(i.due_at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    // The officer may not see the case: not listed; once assigned, listed (and in "mine").
    let seen = await as[officer.username].get('/api/v1/cases/due');
    assert.equal(seen.status, 200, seen.text);
    assert.ok(!seen.json.items.some((i) => i.case_id === String(k.id)));
    assert.deepEqual((await as[chief.username].get('/api/v1/cases/due?mine=true')).json.items.filter((i) => i.case_id === String(k.id)), []);
    const assigned = await as[chief.username].post(`/api/v1/cases/${k.id}/officers`, { user_id: ids[officer.username] });
    assert.equal(assigned.status, 200, assigned.text);
    seen = await as[officer.username].get('/api/v1/cases/due?mine=true&within_days=0');
    assert.ok(seen.json.items.some((i) => i.case_id === String(k.id) && i.assignee_ids.includes(officer.username)), seen.text);
    assertError(await as[officer.username].get('/api/v1/cases/due?within_days=999'), 400, 'validation_failed', 'within_days');
  });

  it('the due view pages in a stable order with the totals of the whole view; list rows carry their next due clock', async () => {
    // Two cases reported the same day: equal due dates, ordered by reference then rule.
    const a = await newCase(daysAgo(40));
    const b = await newCase(daysAgo(40));
    const c = as[chief.username];
    const whole = await c.get('/api/v1/cases/due?within_days=30&limit=200');
    assert.equal(whole.status, 200, whole.text);
    const { items, total, overdue } = whole.json;
    assert.equal(whole.json.limit, 200);
    assert.equal(whole.json.offset, 0);
    assert.equal(total, items.length);
    assert.ok(total >= 4, whole.text);
    assert.equal(overdue, items.filter((i) => i.state === 'overdue').length);
    assert.ok(items.slice(0, overdue).every((i) => i.state === 'overdue'), 'the overdue items come first');
    // Walk the view one item at a time: the same items in the same order, no repeat, no gap.
    const walked = [];
    for (let offset = 0; offset < total + 1; offset += 1) {
      const page = await c.get(`/api/v1/cases/due?within_days=30&limit=1&offset=${offset}`);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.json.total, total);
      assert.equal(page.json.overdue, overdue);
      walked.push(...page.json.items);
    }
    assert.deepEqual(walked, items);
    // The default page is 50 items.
    assert.equal((await c.get('/api/v1/cases/due?within_days=30')).json.limit, 50);
    const key = (i) => `${i.due_at} ${i.reference} ${i.case_id}`;
    assert.ok(items.findIndex((i) => i.case_id === String(a.id)) < items.findIndex((i) => i.case_id === String(b.id)), key(items[0]));
    assertError(await c.get('/api/v1/cases/due?limit=0'), 400, 'validation_failed', 'limit');
    assertError(await c.get('/api/v1/cases/due?limit=201'), 400, 'validation_failed', 'limit');
    assertError(await c.get('/api/v1/cases/due?offset=-1'), 400, 'validation_failed', 'offset');
    // The case list's rows: the first due item of the case, and its officers.
    assert.equal((await c.post(`/api/v1/cases/${a.id}/officers`, { user_id: ids[officer.username] })).status, 200);
    const list = await c.get(`/api/v1/cases?limit=200`);
    assert.equal(list.status, 200, list.text);
    const row = list.json.cases.find((k) => k.id === a.id);
    const first = (await c.get('/api/v1/cases/due?within_days=365&limit=200')).json.items.find((i) => i.case_id === String(a.id));
    assert.deepEqual({ ...row.next_due, assignee_ids: [] }, { ...first, assignee_ids: [] });
    assert.equal(row.next_due.state, 'overdue');
    assert.deepEqual(row.officer_usernames, [officer.username]);
    const officerRow = (await as[officer.username].get('/api/v1/cases')).json.cases.find((k) => k.id === a.id);
    assert.equal(officerRow.next_due.rule, row.next_due.rule);
  });

  it('the chief edits the rule table and due dates follow; an officer may not', async () => {
    let k = await newCase(daysAgo(3));
    k = await move(k, 'under_assessment', daysAgo(3));
    const referred = daysAgo(2);
    k = await move(k, 'referred_for_investigation', referred);
    const table = await as[officer.username].get('/api/v1/cases/timeline-rules');
    assert.equal(table.status, 200, table.text);
    const rules = table.json.rules;
    const index = rules.findIndex((r) => r.id === 'investigation_completion_urgent');
    assert.equal(rules[index].amount, 3);
    assert.equal(rules[index].unit, 'months');
    const edited = structuredClone(table.json);
    edited.rules[index].amount = 2;
    assertError(await as[officer.username].put('/api/v1/cases/timeline-rules', edited), 403, 'forbidden');
    const bad = structuredClone(table.json);
    bad.rules[2].amount = -1;
    assertError(await as[chief.username].put('/api/v1/cases/timeline-rules', bad), 400, 'validation_failed', 'rules[2].amount');
    assertError(await as[officer.username].put('/api/v1/cases/timeline-rules', bad), 403, 'forbidden');
    const saved = await as[chief.username].put('/api/v1/cases/timeline-rules', edited);
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.json.rules[index].amount, 2);
    const now = await as[chief.username].get(`/api/v1/cases/${k.id}`);
    assert.equal(Date.parse(clock(now.json.case, 'investigation_completion_urgent').due_at), monthsLaterDue(referred, 2));
    const audit = await as[chief.username].get('/api/v1/cases/timeline-rules');
    assert.equal(audit.json.rules[index].amount, 2);
  });
});
