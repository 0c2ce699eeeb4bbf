// The action plan over HTTP (docs/api.md, "Action plan"): import of the MINUSCA plan file,
// the matrix, tracking, progress entries with encrypted evidence, indicators, reports,
// versions, and the audit trail of every change.
//
// The server runs on the real clock, after the plan's period (2018-2019): every occurrence of a
// recurring duty has ended, so nothing is due this month and what has no entry is overdue.
//
// The cases run in order and share one server: later cases use the plan, activities and
// entries that earlier ones created.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO_ROOT, startServer, strongPassword, loginEnrolled, assertError, assertStatus, rawRequest, buildRequest,
} from '../support/server.mjs';

const MINUSCA = fs.readFileSync(path.join(REPO_ROOT, 'data', 'plans', 'minusca-sea-2018-2019.yaml'), 'utf8');
const YAML = { contentType: 'application/yaml' };
const MiB = 1024 * 1024;

const admin = { username: 'padmin', role: 'admin', password: strongPassword() };
const chief = { username: 'pchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'pofficer', role: 'cdt_officer', password: strongPassword() };
const partner = { username: 'ppartner', role: 'partner_focal_point', password: strongPassword() };
const leader = { username: 'pleader', role: 'leadership', password: strongPassword() };
const intake = { username: 'pintake', role: 'intake_operator', password: strongPassword() };

/** `text` with `from` replaced once by `to`; throws when `from` is not there. */
function replaceOnce(text, from, to) {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `the plan file has no ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const ACTIVITY_KEYS = ['id', 'goal_id', 'letter', 'text', 'second_pillar', 'status', 'frequency', 'target_months', 'lead_units',
  'support_units', 'updated_at', 'months', 'occurrences'];
const SUMMARY_KEYS = ['id', 'key', 'version', 'version_number', 'title', 'mission', 'period', 'supersedes',
  'imported_at', 'imported_by', 'latest', 'unmatched_partners'];

describe('action plan', { timeout: 180000 }, () => {
  let srv;
  let ac; // admin
  let cc; // cdt_chief
  let oc; // cdt_officer
  let pc; // partner_focal_point
  let lc; // leadership
  let ic; // intake_operator
  let plan; // PlanSummary of version 1
  let tree; // GET /plans/{id}
  let units; // code -> Unit
  const requestIds = {}; // action -> X-Request-Id of a request that did it

  /** The activity "pillar goal (letter)" of the tree. */
  function activity(pillarKey, goalNumber, letter, from = tree) {
    const pillar = from.pillars.find((p) => p.key === pillarKey);
    const goal = pillar.goals.find((g) => g.number === goalNumber);
    const found = goal.activities.find((a) => a.letter === letter);
    assert.ok(found, `no activity ${pillarKey} ${goalNumber} (${letter})`);
    return found;
  }

  async function planCount() {
    return assertStatus(await oc.get('/api/v1/plans'), 200).plans.length;
  }

  before(async () => {
    srv = await startServer({ users: [admin, chief, officer, partner, leader, intake] });
    ({ client: ac } = await loginEnrolled(srv, admin));
    ({ client: cc } = await loginEnrolled(srv, chief));
    ({ client: oc } = await loginEnrolled(srv, officer));
    ({ client: pc } = await loginEnrolled(srv, partner));
    ({ client: lc } = await loginEnrolled(srv, leader));
    ({ client: ic } = await loginEnrolled(srv, intake));
    const list = assertStatus(await pc.get('/api/v1/units'), 200).units;
    units = Object.fromEntries(list.map((u) => [u.code, u]));
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('roles without plan.read get 403 on the plan', async () => {
    assertError(await ic.get('/api/v1/plans'), 403, 'forbidden');
    assertError(await ic.get('/api/v1/indicators'), 403, 'forbidden');
    assertError(await srv.client().get('/api/v1/plans'), 401, 'unauthenticated');
  });

  it('a plan file must be sent as YAML (415) by someone with plan.import (403)', async () => {
    assertError(await oc.post('/api/v1/plans', MINUSCA, { contentType: 'application/json' }), 415,
      'unsupported_media_type');
    assertError(await oc.post('/api/v1/plans', MINUSCA, { contentType: 'text/plain' }), 415, 'unsupported_media_type');
    assertError(await lc.post('/api/v1/plans', MINUSCA, YAML), 403, 'forbidden');
    assertError(await pc.post('/api/v1/plans', MINUSCA, YAML), 403, 'forbidden');
    assert.equal(await planCount(), 0);
  });

  it('a bad plan file is refused with its field and line, and nothing is written', async () => {
    let r = await oc.post('/api/v1/plans', 'format: psea-plan/1\nkey: [unclosed\n', YAML);
    let e = assertError(r, 422, 'unprocessable', '(document)');
    assert.match(e.message, /^line \d+: /);

    const duplicate = replaceOnce(MINUSCA, '          - letter: b\n            text: "Hold monthly meetings',
      '          - letter: a\n            text: "Hold monthly meetings');
    const line = duplicate.slice(0, duplicate.indexOf('          - letter: a\n            text: "Hold monthly meetings'))
      .split('\n').length;
    r = await oc.post('/api/v1/plans', duplicate, { contentType: 'application/x-yaml' });
    e = assertError(r, 422, 'unprocessable', 'pillars[0].goals[3].activities[1].letter');
    assert.equal(e.message, `line ${line}: pillars[0].goals[3].activities[1].letter (a) appears twice in this goal`);

    r = await oc.post('/api/v1/plans', replaceOnce(MINUSCA, 'mission: MINUSCA\n', 'mission: MINUSCA\nowner: CDT\n'), YAML);
    e = assertError(r, 422, 'unprocessable', 'owner');
    assert.match(e.message, /^line \d+: owner is not a field of this format$/);
    assert.equal(await planCount(), 0);
  });

  it('POST /plans imports the MINUSCA plan (201), and the same version again is 409', async () => {
    const r = await oc.post('/api/v1/plans', MINUSCA, YAML);
    plan = assertStatus(r, 201).plan;
    requestIds['plan.import'] = r.headers.get('x-request-id');
    assert.deepEqual(Object.keys(plan).sort(), [...SUMMARY_KEYS].sort());
    assert.equal(plan.key, 'minusca-sea');
    assert.equal(plan.version, '2018-2019');
    assert.equal(plan.version_number, 1);
    assert.equal(plan.latest, true);
    assert.equal(plan.mission, 'MINUSCA');
    assert.deepEqual(plan.period, { start: '2018-01', end: '2019-12' });
    assert.equal(plan.supersedes, 'version adopted on 8 March 2017');
    assert.equal(plan.imported_by, officer.username);
    assert.ok(plan.unmatched_partners.includes('GBV working group'), JSON.stringify(plan.unmatched_partners));
    assert.equal(new Set(plan.unmatched_partners).size, plan.unmatched_partners.length);

    assertError(await oc.post('/api/v1/plans', MINUSCA, YAML), 409, 'conflict', 'version');
    const plans = assertStatus(await lc.get('/api/v1/plans'), 200).plans;
    assert.equal(plans.length, 1);
    assert.equal(plans[0].id, plan.id);
  });

  it('GET /plans/{id} answers the whole tree; ?year picks the months shown', async () => {
    tree = assertStatus(await lc.get(`/api/v1/plans/${plan.id}`), 200);
    for (const key of [...SUMMARY_KEYS, 'context', 'purpose', 'core_principles', 'reference_materials', 'pillars',
      'months_from', 'months_to']) {
      assert.ok(key in tree, `the plan lacks ${key}`);
    }
    assert.equal(tree.core_principles.items.length, 6);
    assert.equal(tree.reference_materials.length, 23);
    assert.equal(tree.months_from, '2018-01');
    assert.equal(tree.months_to, '2018-12');
    assert.deepEqual(tree.pillars.map((p) => p.key), ['prevention', 'enforcement', 'remedial_action']);
    const goals = tree.pillars.flatMap((p) => p.goals);
    const activities = goals.flatMap((g) => g.activities);
    assert.equal(goals.length, 12);
    assert.equal(activities.length, 62);
    assert.equal(goals.flatMap((g) => g.expected_results).length, 38);
    for (const a of activities) {
      assert.deepEqual(Object.keys(a).sort(), [...ACTIVITY_KEYS].sort(), JSON.stringify(a));
      assert.equal(a.status, 'not_started');
      assert.deepEqual(a.months, {});
      if (['none', 'per_event'].includes(a.frequency)) assert.equal(a.occurrences, null);
      else assert.deepEqual(Object.keys(a.occurrences).sort(), ['done', 'due', 'overdue', 'upcoming']);
    }
    for (const g of goals) {
      for (const key of ['id', 'number', 'title', 'references', 'partners', 'status_text', 'follow_up', 'months',
        'activities', 'expected_results']) {
        assert.ok(key in g, `goal lacks ${key}`);
      }
    }
    const weekly = activity('prevention', 4, 'a');
    assert.equal(weekly.frequency, 'weekly');
    assert.deepEqual(weekly.lead_units.map((u) => u.code), ['FORCE']);
    assert.deepEqual(weekly.support_units.map((u) => u.code), ['POLICE']);
    assert.deepEqual(Object.keys(weekly.lead_units[0]).sort(), ['code', 'id', 'name']);
    // After the period every week has ended without an entry.
    assert.deepEqual(weekly.occurrences, { done: 0, due: 0, overdue: 105, upcoming: 0 });

    const y2019 = assertStatus(await lc.get(`/api/v1/plans/${plan.id}?year=2019`), 200);
    assert.equal(y2019.months_from, '2019-01');
    assert.equal(y2019.months_to, '2019-12');
    assertError(await lc.get(`/api/v1/plans/${plan.id}?year=2020`), 400, 'validation_failed', 'year');
    assertError(await lc.get(`/api/v1/plans/${plan.id}?year=twenty`), 400, 'validation_failed', 'year');
    assertError(await lc.get('/api/v1/plans/999999'), 404, 'not_found');
  });

  it('?pillar=remedial_action finds Enforcement 5 (e)-(j), the victim assistance, by their second pillar', async () => {
    const tagged = tree.pillars.flatMap((p) => p.goals.flatMap((g) => g.activities
      .filter((a) => a.second_pillar !== null).map((a) => `${p.key} ${g.number} (${a.letter}) ${a.second_pillar}`)));
    assert.deepEqual(tagged, ['e', 'f', 'g', 'h', 'i', 'j'].map((l) => `enforcement 5 (${l}) remedial_action`));

    const remedial = assertStatus(await lc.get(`/api/v1/plans/${plan.id}?pillar=remedial_action`), 200);
    const found = remedial.pillars.flatMap((p) => p.goals.flatMap((g) => g.activities.map((a) => `${p.key} ${g.number}${a.letter}`)));
    assert.deepEqual(found, [
      'enforcement 5e', 'enforcement 5f', 'enforcement 5g', 'enforcement 5h', 'enforcement 5i', 'enforcement 5j',
      'remedial_action 1a', 'remedial_action 1b', 'remedial_action 1c', 'remedial_action 1d',
    ]);
    assert.equal(remedial.pillars[0].goals[0].expected_results.length, 2);
    const enforcement = assertStatus(await lc.get(`/api/v1/plans/${plan.id}?pillar=enforcement&year=2019`), 200);
    assert.deepEqual(enforcement.pillars.map((p) => p.key), ['enforcement']);
    assert.equal(enforcement.months_from, '2019-01');
    assert.equal(enforcement.pillars[0].goals.flatMap((g) => g.activities).length, 25);
    assertError(await lc.get(`/api/v1/plans/${plan.id}?pillar=victims`), 400, 'validation_failed', 'pillar');
  });

  it('fragments the source does not let anyone read are marked [illegible]; the Task Force meets monthly', async () => {
    const marked = tree.pillars.flatMap((p) => p.goals.flatMap((g) => [
      ...[g.title, g.partners].filter((text) => text.includes('[illegible]')),
      ...g.expected_results.filter((r) => r.text.includes('[illegible]')).map((r) => `(${r.numeral}) ${r.text}`),
    ]));
    assert.deepEqual(marked, [
      '(iii) [illegible] every town hall meeting in the field and at HQ.',
      '[illegible] in Programs – [country representative (CR)] – CDT',
      '(i) [illegible] response efforts coordinated across the UN in CAR.',
      '(ii) Relevant information, [illegible]',
      'Design a victim-centered [illegible]',
      '(i) [illegible]',
    ]);
    const taskForce = activity('prevention', 3, 'a');
    assert.equal(taskForce.frequency, 'monthly');
    const detail = assertStatus(await lc.get(`/api/v1/activities/${taskForce.id}`), 200);
    assert.equal(detail.occurrences.length, 24);
    assert.equal(detail.occurrences.filter((o) => o.start.startsWith('2018-')).length, 12);
    assert.deepEqual(detail.occurrences.slice(0, 2).map((o) => [o.start, o.end]),
      [['2018-01-01', '2018-01-31'], ['2018-02-01', '2018-02-28']]);
    assert.equal(activity('prevention', 3, 'b').frequency, 'none');
    const victims = assertStatus(await lc.get(`/api/v1/activities/${activity('enforcement', 5, 'g').id}`), 200);
    assert.equal(victims.activity.second_pillar, 'remedial_action');
    assert.equal(victims.pillar.key, 'enforcement');
  });

  it('PATCH /activities/{id} is for plan.edit (cdt_officer), not leadership or partners', async () => {
    const target = activity('enforcement', 1, 'a');
    const body = {
      status: 'on_track', frequency: 'monthly', target_months: [9, 3],
      lead_unit_ids: [units.CDT.id], support_unit_ids: [units.OIOS.id, units.SIU.id],
    };
    const r = await oc.patch(`/api/v1/activities/${target.id}`, body);
    requestIds['plan.activity.update'] = r.headers.get('x-request-id');
    const updated = assertStatus(r, 200).activity;
    assert.equal(updated.id, target.id);
    assert.equal(updated.status, 'on_track');
    assert.equal(updated.frequency, 'monthly');
    assert.deepEqual(updated.target_months, [3, 9]);
    assert.deepEqual(updated.lead_units.map((u) => u.code), ['CDT']);
    assert.deepEqual(updated.support_units.map((u) => u.code), ['OIOS', 'SIU']);

    assertError(await lc.patch(`/api/v1/activities/${target.id}`, { status: 'delayed' }), 403, 'forbidden');
    assertError(await pc.patch(`/api/v1/activities/${target.id}`, { status: 'delayed' }), 403, 'forbidden');
    assertError(await oc.patch(`/api/v1/activities/${target.id}`, { status: 'late' }), 400, 'validation_failed', 'status');
    assertError(await oc.patch(`/api/v1/activities/${target.id}`, { frequency: 'daily' }), 400, 'validation_failed',
      'frequency');
    assertError(await oc.patch(`/api/v1/activities/${target.id}`, { target_months: [13] }), 400, 'validation_failed',
      'target_months');
    assertError(await oc.patch(`/api/v1/activities/${target.id}`, { colour: 'red' }), 400, 'unknown_field', 'colour');
    assertError(await oc.patch(`/api/v1/activities/${target.id}`, { lead_unit_ids: [999999] }), 422, 'unprocessable',
      'lead_unit_ids');
    assertError(await oc.patch('/api/v1/activities/999999', { status: 'delayed' }), 404, 'not_found');
    const detail = assertStatus(await lc.get(`/api/v1/activities/${target.id}`), 200);
    assert.equal(detail.activity.status, 'on_track');
  });

  it('POST /activities/{id}/entries checks the month, the fields and the partner\'s units', async () => {
    const weekly = activity('prevention', 4, 'a'); // Force leads, Police supports
    const strategy = activity('prevention', 1, 'a'); // Head of Mission leads
    const entry = { month: '2018-03', occurred_on: '2018-03-13', status: 'on_track', narrative: 'Weekly meeting held.' };

    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, month: '2020-01', occurred_on: undefined }),
      422, 'unprocessable', 'month');
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, month: '2017-12', occurred_on: undefined }),
      422, 'unprocessable', 'month');
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, mood: 'good' }), 400, 'unknown_field',
      'mood');
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, occurred_on: '2018-04-02' }), 422,
      'unprocessable', 'occurred_on');
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, month: '2018-3' }), 400,
      'validation_failed', 'month');
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, { ...entry, status: 'fine' }), 400,
      'validation_failed', 'status');
    assertError(await lc.post(`/api/v1/activities/${weekly.id}/entries`, entry), 403, 'forbidden');

    const r = await oc.post(`/api/v1/activities/${weekly.id}/entries`, {
      ...entry, links: [{ url: 'https://example.org/minutes', title: 'Minutes' }],
    });
    requestIds['plan.entry.create'] = r.headers.get('x-request-id');
    const created = assertStatus(r, 201).entry;
    assert.equal(created.activity_id, weekly.id);
    assert.equal(created.month, '2018-03');
    assert.equal(created.occurred_on, '2018-03-13');
    assert.equal(created.status, 'on_track');
    assert.equal(created.author, officer.username);
    assert.equal(created.corrects, null);
    assert.equal(created.evidence.length, 1);
    assert.equal(created.evidence[0].kind, 'link');
    assert.equal(created.evidence[0].url, 'https://example.org/minutes');

    // A partner focal point of no unit records nothing; once a focal point of a unit that
    // supports the activity, they record there and only there.
    assertError(await pc.post(`/api/v1/activities/${weekly.id}/entries`, entry), 403, 'forbidden');
    assertError(await oc.patch(`/api/v1/units/${units.POLICE.id}`, { focal_point_ids: [pc.user.id] }), 403, 'forbidden');
    const u = await cc.patch(`/api/v1/units/${units.POLICE.id}`, { focal_point_ids: [pc.user.id] });
    requestIds['unit.update'] = u.headers.get('x-request-id');
    const police = assertStatus(u, 200).unit;
    assert.deepEqual(police.focal_points.map((p) => p.username), [partner.username]);
    assertError(await cc.patch(`/api/v1/units/${units.POLICE.id}`, { focal_point_ids: [999999] }), 422, 'unprocessable',
      'focal_point_ids');
    const byPartner = assertStatus(await pc.post(`/api/v1/activities/${weekly.id}/entries`,
      { month: '2018-04', status: 'at_risk', narrative: 'Meeting postponed by the Force.' }), 201).entry;
    assert.equal(byPartner.author, partner.username);
    assert.equal(byPartner.occurred_on, null);
    assertError(await pc.post(`/api/v1/activities/${strategy.id}/entries`, entry), 403, 'forbidden');
  });

  it('evidence is uploaded raw, attached to an entry and downloaded byte for byte', async () => {
    const target = activity('prevention', 1, 'g');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4 minutes\n'), crypto.randomBytes(300 * 1024)]);
    let r = await oc.post('/api/v1/evidence', bytes, {
      contentType: 'application/pdf', headers: { 'X-Filename': 'minutes%20march.pdf' },
    });
    requestIds['plan.evidence.upload'] = r.headers.get('x-request-id');
    const evidence = assertStatus(r, 201).evidence;
    assert.equal(evidence.kind, 'file');
    assert.equal(evidence.filename, 'minutes march.pdf');
    assert.equal(evidence.content_type, 'application/pdf');
    assert.equal(evidence.size, bytes.length);
    assert.equal(evidence.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
    assert.equal(evidence.url, `/api/v1/evidence/${evidence.id}`);

    // Before it is attached, only its uploader reads it.
    assertError(await lc.get(`/api/v1/evidence/${evidence.id}`), 404, 'not_found');
    const entry = assertStatus(await oc.post(`/api/v1/activities/${target.id}/entries`, {
      month: '2018-05', status: 'completed', narrative: 'Posters printed and distributed.', evidence_ids: [evidence.id],
    }), 201).entry;
    assert.equal(entry.evidence.length, 1);
    assert.equal(entry.evidence[0].id, evidence.id);
    assert.equal(entry.evidence[0].sha256, evidence.sha256);

    r = await lc.get(`/api/v1/evidence/${evidence.id}`);
    requestIds['plan.evidence.read'] = r.headers.get('x-request-id');
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.headers.get('content-type'), 'application/octet-stream');
    assert.match(r.headers.get('content-disposition') || '', /^attachment; filename="minutes march\.pdf"$/);
    assert.equal(r.headers.get('x-content-sha256'), evidence.sha256);
    assert.ok(r.body.equals(bytes), 'the downloaded file differs from the upload');

    // Attached evidence cannot move to another entry; someone else's upload cannot be attached.
    assertError(await oc.post(`/api/v1/activities/${target.id}/entries`, {
      month: '2018-06', status: 'completed', narrative: 'Again.', evidence_ids: [evidence.id],
    }), 422, 'unprocessable', 'evidence_ids');
    const partners = assertStatus(await pc.post('/api/v1/evidence', Buffer.from('photo'), {
      contentType: 'image/jpeg', headers: { 'X-Filename': 'photo.jpg' },
    }), 201).evidence;
    assertError(await oc.post(`/api/v1/activities/${target.id}/entries`, {
      month: '2018-06', status: 'completed', narrative: 'Not mine.', evidence_ids: [partners.id],
    }), 422, 'unprocessable', 'evidence_ids');

    assertError(await oc.post('/api/v1/evidence', Buffer.from('x'), {
      contentType: 'text/plain', headers: { 'X-Filename': '../x.txt' },
    }), 400, 'validation_failed', 'filename');
    assertError(await oc.post('/api/v1/evidence', Buffer.from('x'), { contentType: 'text/plain' }), 400,
      'validation_failed', 'filename');
    assertError(await lc.post('/api/v1/evidence', Buffer.from('x'), {
      contentType: 'text/plain', headers: { 'X-Filename': 'x.txt' },
    }), 403, 'forbidden');
    // Over 10 MiB: refused from Content-Length alone.
    const head = buildRequest('POST', '/api/v1/evidence', [['Cookie', `psea_session=${oc.session}`],
      ['X-CSRF-Token', oc.csrf], ['Content-Type', 'application/pdf'], ['X-Filename', 'big.pdf'],
      ['Content-Length', String(10 * MiB + 1)]]);
    const big = await rawRequest(srv.port, Buffer.concat([head, Buffer.alloc(1024, 0x41)]), { timeoutMs: 5000 });
    assert.equal(big.status, 413, `expected 413, got ${big.timedOut ? 'a timeout' : big.statusLine}`);
    assert.equal(big.json?.error?.code, 'payload_too_large');
    assertError(await lc.get('/api/v1/evidence/999999'), 404, 'not_found');
  });

  it('GET /activities/{id}/entries is the history, newest first, corrections included', async () => {
    const weekly = activity('prevention', 4, 'a');
    let entries = assertStatus(await lc.get(`/api/v1/activities/${weekly.id}/entries`), 200).entries;
    assert.equal(entries.length, 2);
    const [byPartner, first] = entries;
    assert.equal(byPartner.author, partner.username);
    assert.equal(first.author, officer.username);
    const correction = assertStatus(await oc.post(`/api/v1/activities/${weekly.id}/entries`, {
      month: '2018-03', status: 'delayed', narrative: 'Correction: the meeting was held a week late.', corrects: first.id,
    }), 201).entry;
    assert.equal(correction.corrects, first.id);
    entries = assertStatus(await lc.get(`/api/v1/activities/${weekly.id}/entries`), 200).entries;
    assert.deepEqual(entries.map((e) => e.id), [correction.id, byPartner.id, first.id]);
    assert.equal(entries[2].status, 'on_track'); // the corrected entry stays as it was
    assertError(await oc.post(`/api/v1/activities/${weekly.id}/entries`, {
      month: '2018-03', status: 'delayed', narrative: 'Wrong target.', corrects: 999999,
    }), 422, 'unprocessable', 'corrects');

    const detail = assertStatus(await lc.get(`/api/v1/activities/${weekly.id}`), 200);
    assert.deepEqual(Object.keys(detail).sort(), ['activity', 'entries', 'goal', 'occurrences', 'pillar', 'plan']);
    assert.equal(detail.goal.number, 4);
    assert.equal(detail.pillar.key, 'prevention');
    assert.equal(detail.plan.id, plan.id);
    assert.equal(detail.entries.length, 3);
    assert.equal(detail.occurrences.length, 105);
    assert.deepEqual(Object.keys(detail.occurrences[0]).sort(), ['end', 'entry_ids', 'start', 'state']);
    assert.deepEqual(detail.occurrences[0], { start: '2018-01-01', end: '2018-01-07', state: 'overdue', entry_ids: [] });
    // Three entries, three weeks: 13 March, and 1 March and 1 April (entries without a date count
    // on the first of their month).
    assert.deepEqual(detail.activity.occurrences, { done: 3, due: 0, overdue: 102, upcoming: 0 });
    assert.equal(detail.activity.months['2018-03'], 'delayed'); // the latest entry of the month
    assert.equal(detail.activity.months['2018-04'], 'at_risk');
    assertError(await lc.get('/api/v1/activities/999999/entries'), 404, 'not_found');
  });

  it('GET /my/activities lists what the caller\'s units lead or support', async () => {
    const mine = assertStatus(await pc.get('/api/v1/my/activities'), 200);
    assert.deepEqual(Object.keys(mine).sort(), ['due_this_month', 'lead', 'overdue', 'support', 'units']);
    assert.deepEqual(mine.units.map((u) => u.code), ['POLICE']);
    const weekly = activity('prevention', 4, 'a');
    const row = mine.support.find((a) => a.id === weekly.id);
    assert.ok(row, 'the Force meeting is not among the activities Police supports');
    assert.equal(row.plan_id, plan.id);
    assert.equal(row.goal_number, 4);
    assert.equal(row.pillar_key, 'prevention');
    assert.ok(!mine.lead.some((a) => a.id === weekly.id));
    assert.deepEqual(mine.due_this_month, []); // the plan's period is over
    assert.ok(mine.overdue.some((a) => a.id === weekly.id));
    const prevention = assertStatus(await pc.get('/api/v1/my/activities?pillar=prevention'), 200);
    assert.ok(prevention.support.some((a) => a.id === weekly.id));
    assert.ok([...prevention.lead, ...prevention.support].every((a) => a.pillar_key === 'prevention'
      || a.second_pillar === 'prevention'));
    const remedial = assertStatus(await pc.get('/api/v1/my/activities?pillar=remedial_action'), 200);
    assert.ok(![...remedial.lead, ...remedial.support].some((a) => a.id === weekly.id));
    assert.ok([...remedial.lead, ...remedial.support].every((a) => a.pillar_key === 'remedial_action'
      || a.second_pillar === 'remedial_action'));
    assertError(await pc.get('/api/v1/my/activities?pillar=all'), 400, 'validation_failed', 'pillar');
    const none = assertStatus(await lc.get('/api/v1/my/activities'), 200);
    assert.deepEqual(none, { units: [], lead: [], support: [], due_this_month: [], overdue: [] });
  });

  it('indicators: computed ones for a plan, manual ones with values', async () => {
    let list = assertStatus(await lc.get(`/api/v1/indicators?plan_id=${plan.id}`), 200).indicators;
    const onTrack = list.find((i) => i.key === 'plan.activities_on_track_pct');
    assert.ok(onTrack);
    assert.equal(onTrack.kind, 'computed');
    assert.equal(onTrack.latest.period, 'computed');
    // One activity set on track by PATCH and one whose latest entry says on track.
    assert.equal(onTrack.latest.value, Math.round(1000 * 2 / 62) / 10);
    const overdue = list.find((i) => i.key === 'plan.overdue_recurring_duties');
    assert.ok(overdue && overdue.latest.value > 0);
    assertError(await lc.get('/api/v1/indicators?plan_id=abc'), 400, 'validation_failed', 'plan_id');
    assertError(await lc.get('/api/v1/indicators?plan_id=999999'), 404, 'not_found');

    const resultId = tree.pillars[0].goals[1].expected_results[0].id;
    const definition = { key: 'manual.induction_trained_pct', description: 'Share of new personnel trained at induction',
      unit: '%', target: '100', result_ids: [resultId] };
    assertError(await lc.post('/api/v1/indicators', definition), 403, 'forbidden');
    assertError(await oc.post('/api/v1/indicators', { ...definition, key: 'trained' }), 400, 'validation_failed', 'key');
    assertError(await oc.post('/api/v1/indicators', { ...definition, result_ids: [999999] }), 422, 'unprocessable',
      'result_ids');
    let r = await oc.post('/api/v1/indicators', definition);
    requestIds['plan.indicator.define'] = r.headers.get('x-request-id');
    assert.deepEqual(assertStatus(r, 201), { key: definition.key });

    r = await oc.post(`/api/v1/indicators/${definition.key}/values`, { value: 87.5, date: '2018-02-28', note: 'February' });
    requestIds['plan.indicator.value'] = r.headers.get('x-request-id');
    assertStatus(r, 201);
    assertError(await oc.post('/api/v1/indicators/plan.activities_on_track_pct/values', { value: 50, date: '2018-02-28' }),
      422, 'unprocessable');
    assertError(await oc.post(`/api/v1/indicators/${definition.key}/values`, { value: '87', date: '2018-02-28' }), 400,
      'validation_failed', 'value');
    assertError(await oc.post(`/api/v1/indicators/${definition.key}/values`, { value: 1, date: '2018-02-30' }), 400,
      'validation_failed', 'date');
    assertError(await oc.post(`/api/v1/indicators/${definition.key}/values`, { value: 1, date: '2018-02-27', x: 1 }), 400,
      'unknown_field', 'x');
    assertError(await oc.post('/api/v1/indicators/manual.none/values', { value: 1, date: '2018-02-27' }), 404, 'not_found');

    list = assertStatus(await lc.get(`/api/v1/indicators?plan_id=${plan.id}`), 200).indicators;
    const manual = list.find((i) => i.key === definition.key);
    assert.ok(manual);
    assert.equal(manual.kind, 'manual');
    assert.equal(manual.target, 100);
    assert.deepEqual(manual.result_ids, [resultId]);
    assert.deepEqual(manual.values, [{ value: 87.5, date: '2018-02-28', note: 'February', entered_by: officer.username }]);
    assert.deepEqual(manual.latest, { value: 87.5, date: '2018-02-28', entered_by: officer.username });
    const narrow = assertStatus(await lc.get(`/api/v1/indicators?plan_id=${plan.id}&from=2019-01&to=2019-12`), 200);
    assert.deepEqual(narrow.indicators.find((i) => i.key === definition.key).values, []);
    const again = assertStatus(await lc.get(`/api/v1/plans/${plan.id}`), 200);
    assert.deepEqual(again.pillars[0].goals[1].expected_results[0].indicators, [definition.key]);
  });

  it('GET /plans/{id}/report answers JSON, CSV and XLSX', async () => {
    const json = assertStatus(await lc.get(`/api/v1/plans/${plan.id}/report?from=2018-01&to=2018-06`), 200);
    assert.deepEqual(Object.keys(json).sort(), ['from', 'indicators', 'pillars', 'plan', 'summary', 'to']);
    assert.equal(json.from, '2018-01');
    assert.equal(json.to, '2018-06');
    assert.equal(json.summary.activities, 62);
    // One activity set on track by PATCH, and entries (whose status the activity takes when the
    // entry is for its latest month) on a few others.
    assert.ok(json.summary.by_status.on_track >= 1);
    assert.equal(Object.values(json.summary.by_status).reduce((a, b) => a + b, 0), 62);
    assert.ok(json.summary.by_status.not_started >= 58);
    assert.equal(json.summary.entries, 4); // the Force meeting's three and the posters
    assert.ok(json.summary.late > 0);
    const weekly = json.pillars[0].goals[3].activities[0];
    for (const key of [...ACTIVITY_KEYS, 'entry_count', 'latest_entry', 'late', 'late_reasons']) {
      assert.ok(key in weekly, `a report activity lacks ${key}`);
    }
    assert.equal(weekly.late, true);
    assert.ok(weekly.late_reasons.some((reason) => /occurrence\(s\) without an entry$/.test(reason)));
    // Three entries in the period; the JSON carries only the latest (the correction).
    assert.equal(weekly.entry_count, 3);
    assert.equal(weekly.latest_entry.narrative, 'Correction: the meeting was held a week late.');
    assert.deepEqual(weekly.months, { '2018-03': 'delayed', '2018-04': 'at_risk' });
    const untouched = json.pillars[0].goals[0].activities[0];
    assert.equal(untouched.entry_count, 0);
    assert.equal(untouched.latest_entry, null);
    assert.equal(untouched.late, false);
    // The weekly activity took the status of its latest month's entry (April: at risk), and so
    // did its goal.
    assert.equal(weekly.status, 'at_risk');
    assert.equal(json.pillars[0].goals[3].status, 'at_risk');

    const csv = await lc.get(`/api/v1/plans/${plan.id}/report?from=2018-01&to=2018-03&format=csv`);
    assert.equal(csv.status, 200, csv.text.slice(0, 300));
    assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
    assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="minusca-sea-2018-01-2018-03.csv"');
    // The UTF-8 byte order mark first (spreadsheet programs need it for the accents), then
    // RFC 4180: fields quoted only when they hold a comma, a quote or a line break.
    assert.equal(csv.body.subarray(0, 3).toString('hex'), 'efbbbf');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(lines[0], 'pillar,goal,goal_status,activity,activity_text,lead,support,status,frequency,'
      + '2018-01,2018-02,2018-03,entries,occurrences_done,occurrences_overdue,late');
    assert.equal(lines.length, 1 + 62 + 1); // a header, one row per activity, and the final CRLF
    assert.match(lines[1], /^Prevention,1,on_track,a,Review and update SEA communication strategy\./);

    const xlsx = await lc.get(`/api/v1/plans/${plan.id}/report?format=xlsx`);
    assert.equal(xlsx.status, 200, xlsx.text.slice(0, 300));
    assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(xlsx.headers.get('content-disposition') || '', /filename="minusca-sea-2018-01-2019-12\.xlsx"/);
    assert.equal(xlsx.body.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(xlsx.body.length > 4000);

    assertError(await lc.get(`/api/v1/plans/${plan.id}/report?format=pdf`), 400, 'validation_failed', 'format');
    assertError(await lc.get(`/api/v1/plans/${plan.id}/report?from=2018-06&to=2018-01`), 400, 'validation_failed', 'to');
    assertError(await lc.get(`/api/v1/plans/${plan.id}/report?from=2018-13`), 400, 'validation_failed', 'from');
    assertError(await lc.get('/api/v1/plans/999999/report'), 404, 'not_found');
  });

  it('a second version: versions, diff, and entries only on the latest', async () => {
    let text = replaceOnce(MINUSCA, 'version: "2018-2019"', 'version: "2018-2019 rev. 1"');
    text = replaceOnce(text, 'text: "Review and update SEA communication strategy."',
      'text: "Review, update and translate the SEA communication strategy."');
    const v2 = assertStatus(await oc.post('/api/v1/plans', text, YAML), 201).plan;
    assert.equal(v2.version_number, 2);
    assert.equal(v2.latest, true);
    const plans = assertStatus(await lc.get('/api/v1/plans'), 200).plans;
    assert.deepEqual(plans.map((p) => [p.id, p.latest]), [[plan.id, false], [v2.id, true]]);

    for (const id of [plan.id, v2.id]) {
      const versions = assertStatus(await lc.get(`/api/v1/plans/${id}/versions`), 200).versions;
      assert.deepEqual(versions.map((v) => v.version), ['2018-2019', '2018-2019 rev. 1']);
    }
    const diff = assertStatus(await lc.get(`/api/v1/plans/${v2.id}/diff?against=${plan.id}`), 200);
    assert.deepEqual(diff.changes, [{
      kind: 'changed', path: 'prevention/1/a', field: 'text', before: 'Review and update SEA communication strategy.',
      after: 'Review, update and translate the SEA communication strategy.',
    }]);
    assertError(await lc.get(`/api/v1/plans/${v2.id}/diff`), 400, 'validation_failed', 'against');
    assertError(await lc.get(`/api/v1/plans/${v2.id}/diff?against=999999`), 404, 'not_found');

    const old = activity('prevention', 4, 'a');
    assertError(await oc.post(`/api/v1/activities/${old.id}/entries`, {
      month: '2018-05', status: 'on_track', narrative: 'On the old version.',
    }), 422, 'unprocessable', 'activity');
    const v2tree = assertStatus(await lc.get(`/api/v1/plans/${v2.id}`), 200);
    const current = activity('prevention', 4, 'a', v2tree);
    assert.notEqual(current.id, old.id);
    assertStatus(await pc.post(`/api/v1/activities/${current.id}/entries`, {
      month: '2018-05', status: 'on_track', narrative: 'On the latest version.',
    }), 201);
    const mine = assertStatus(await pc.get('/api/v1/my/activities'), 200);
    assert.ok(mine.support.length > 0);
    assert.ok(mine.support.every((a) => a.plan_id === v2.id));
  });

  it('every change is in the audit log with its request id', async () => {
    const r = await ac.get('/api/v1/audit?limit=500');
    const entries = assertStatus(r, 200).entries;
    const actions = new Set(entries.map((e) => e.action));
    for (const [action, requestId] of Object.entries(requestIds)) {
      assert.ok(actions.has(action), `no ${action} in the audit log`);
      assert.ok(requestId, `no X-Request-Id recorded for ${action}`);
      assert.ok(entries.some((e) => e.action === action && e.request_id === requestId),
        `no ${action} entry with request id ${requestId}`);
    }
    // The two imports that succeeded, not the refused ones.
    assert.equal(entries.filter((e) => e.action === 'plan.import').length, 2);
    const imported = entries.find((e) => e.request_id === requestIds['plan.import']);
    assert.equal(imported.object_type, 'plan');
    assert.equal(imported.object_id, String(plan.id));
    assert.equal(imported.actor, officer.username);
    // Narratives are not copied into the audit log.
    assert.ok(!r.text.includes('Weekly meeting held.'));
    assert.ok(!r.text.includes('Posters printed'));
  });
});
