// The evidence log of a case and the IRT deployments (docs/api.md, "Evidence"), on the engine
// PSEA_TEST_ENGINE names, one server:
// - items and transfers of custody, hash-chained; bad input names its field (400/422);
// - a file's round trip: uploaded, stored encrypted under DATA_DIR/evidence/cases (neither its
//   content nor its name in clear), in the backups, downloaded with the same SHA-256, 413 beyond
//   the limit;
// - the integrity check finds a changed file and a changed custody row;
// - the printable chain of custody (EN, FR);
// - IRT deployments: hours from alert to deployment, 422 naming deployed_at before the alert;
// - need-to-know: 404 for whoever may not see the case, read-only for the case's investigator;
// - every write, download and print audited;
// - a case purged by retention takes its evidence rows and files with it.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp, run } from '../support/server.mjs';

const chief = { username: 'evchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'evofficer', role: 'cdt_officer', password: strongPassword() };
const investigator = { username: 'evinv', role: 'investigator', password: strongPassword() };
const leader = { username: 'evleader', role: 'leadership', password: strongPassword() };
const vra = { username: 'evvra', role: 'vra', password: strongPassword() };
const admin = { username: 'evadmin', role: 'admin', password: strongPassword() };
const USERS = [chief, officer, investigator, leader, vra, admin];

const FILE_NAME = 'Photo-Quillandra-Rosswyn.jpg';
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

describe('evidence and IRT deployments', { timeout: 120000 }, () => {
  let srv;
  let caseId;
  const as = {};
  const ids = {};

  const phone = (over = {}) => ({
    label: 'E-1 mobile phone', description: 'A synthetic phone handed over by a witness',
    collected_by: 'Officer Anwen Brix', collected_at: '2026-01-10T09:30:00Z', place_collected: 'Camp Bravo',
    storage_location: 'CDT safe 2', ...over,
  });
  const files = () => {
    const dir = path.join(srv.dataDir, 'evidence', 'cases');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  };
  const auditActions = async () => {
    const r = await as[admin.username].get('/api/v1/audit?object_type=case&limit=500');
    assert.equal(r.status, 200, r.text);
    return r.json.entries.filter((e) => e.object_id === String(caseId)).map((e) => e.action);
  };

  const newCase = async () => {
    const c = as[chief.username];
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic narrative.',
      incident_date_precision: 'month', incident_date: '2026-01',
      victims: [{ age: 24, sex: 'female', name: 'Quillandra Rosswyn', child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Corporal', identified: 'yes', name: 'Corporal Brannoc Vell' }],
    });
    assert.equal(filed.status, 201, filed.text);
    const complaint = filed.json.complaint.id;
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/assessment`,
      { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
    assert.equal((await c.post(`/api/v1/intake/complaints/${complaint}/route`, { route: 'case' })).status, 200);
    const made = await c.post('/api/v1/cases', { complaints: [complaint] });
    assert.equal(made.status, 201, made.text);
    return made.json.case;
  };

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const c = as[chief.username];
    const first = await c.post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
    const units = await as[admin.username].get('/api/v1/units');
    const oios = units.json.units.find((u) => u.code === 'OIOS');
    const focal = await as[admin.username].patch(`/api/v1/units/${oios.id}`, { focal_point_ids: [ids[investigator.username]] });
    assert.equal(focal.status, 200, focal.text);
    caseId = (await newCase()).id;
  });
  after(async () => srv && srv.stop());

  it('records items and transfers of custody as a hash chain, and names the field of bad input', async () => {
    const c = as[chief.username];
    const made = await c.post(`/api/v1/cases/${caseId}/evidence`, phone());
    assert.equal(made.status, 201, made.text);
    const item = made.json.item;
    assert.equal(item.status, 'held');
    assert.equal(item.custody.length, 1);
    assert.equal(item.custody[0].to, 'Officer Anwen Brix');
    assert.match(item.custody[0].hash, /^[0-9a-f]{64}$/);

    const moved = await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/custody`,
      { to: 'OIOS investigator Kel Marrow', at: '2026-01-12T08:00:00Z', purpose: 'forensic analysis', storage_location: 'OIOS evidence room' });
    assert.equal(moved.status, 201, moved.text);
    const chain = moved.json.item.custody;
    assert.equal(chain.length, 2);
    assert.equal(chain[1].from, 'Officer Anwen Brix');
    assert.equal(chain[1].prev_hash, chain[0].hash);
    assert.equal(moved.json.item.status, 'transferred');
    assert.equal(moved.json.item.storage_location, 'OIOS evidence room');

    assertError(await c.post(`/api/v1/cases/${caseId}/evidence`, phone({ label: '' })), 400, 'validation_failed', 'label');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence`, phone({ collected_at: 'last week' })), 400, 'validation_failed', 'collected_at');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence`, phone({ collected_at: '2099-01-01T00:00:00Z' })), 422, 'unprocessable', 'collected_at');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence`, phone({ colour: 'red' })), 400, 'unknown_field', 'colour');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/custody`,
      { to: 'X', at: '2026-01-11T00:00:00Z', purpose: 'p' }), 422, 'unprocessable', 'at');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/custody`,
      { to: 'X', at: '2026-01-13T00:00:00Z', purpose: 'p', status: 'lost' }), 400, 'validation_failed', 'status');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence/999999/custody`,
      { to: 'X', at: '2026-01-13T00:00:00Z', purpose: 'p' }), 404, 'not_found');
    assertError(await c.get(`/api/v1/cases/999999/evidence`), 404, 'not_found');
    // Nothing half-written: still two entries.
    assert.equal((await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}`)).json.item.custody.length, 2);

    // Whoever may not see the case gets 404 on its evidence too.
    for (const outsider of [officer, leader, vra]) {
      assertError(await as[outsider.username].get(`/api/v1/cases/${caseId}/evidence`), 404, 'not_found');
      assertError(await as[outsider.username].get(`/api/v1/cases/${caseId}/evidence/${item.id}`), 404, 'not_found');
      assertError(await as[outsider.username].post(`/api/v1/cases/${caseId}/evidence`, phone()), 404, 'not_found');
      assertError(await as[outsider.username].get(`/api/v1/cases/${caseId}/irt`), 404, 'not_found');
    }
    const actions = await auditActions();
    assert.ok(actions.includes('evidence.item.create') && actions.includes('evidence.custody.add'), actions.join());
  });

  it('stores files encrypted, gives them back with their SHA-256, and finds tampering', async () => {
    const c = as[chief.username];
    const item = (await c.post(`/api/v1/cases/${caseId}/evidence`, phone({ label: 'E-2 photographs' }))).json.item;
    const content = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(3000), Buffer.from('synthetic-evidence-marker')]);
    const before = new Set(files());
    const up = await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/attachments`, content,
      { contentType: 'image/jpeg', headers: { 'X-Filename': encodeURIComponent(FILE_NAME) } });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.attachment.sha256, sha256(content));
    assert.equal(up.json.attachment.filename, FILE_NAME);
    assert.equal(up.json.attachment.content_type, 'image/jpeg');
    const stored = files().filter((f) => !before.has(f));
    assert.equal(stored.length, 1);
    const raw = fs.readFileSync(stored[0]);
    assert.ok(!raw.includes(Buffer.from('synthetic-evidence-marker')), 'the file is stored in clear');
    assert.equal((await srv.databaseBytes()).indexOf(Buffer.from('Photo-Quillandra')), -1, 'the file name is stored in clear');

    const down = await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}/attachments/${up.json.attachment.id}`);
    assert.equal(down.status, 200);
    assert.equal(sha256(down.body), sha256(content));
    assert.equal(down.headers.get('x-content-sha256'), sha256(content));
    assert.match(down.headers.get('content-disposition'), /attachment/);

    assertError(await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/attachments`, Buffer.alloc(10 * 1024 * 1024 + 1, 1),
      { contentType: 'application/octet-stream', headers: { 'X-Filename': 'big.bin' } }), 413, 'payload_too_large');
    assertError(await c.post(`/api/v1/cases/${caseId}/evidence/${item.id}/attachments`, Buffer.from('x'),
      { contentType: 'application/octet-stream' }), 400, 'validation_failed', 'filename');

    // The backups hold the file (DATA_DIR/evidence is theirs), and a restore accepts it.
    const archive = path.join(srv.tmpDir, 'evidence-backup.tar');
    const backup = await srv.cli(['backup', '--out', archive, ...srv.dbArgs]);
    assert.equal(backup.code, 0, backup.stderr);
    const listing = await run('tar', ['-tf', archive]);
    assert.ok(listing.stdout.split('\n').includes(`files/evidence/cases/${path.basename(stored[0])}`), listing.stdout);
    const restore = await srv.cli(['restore', '--in', archive, '--dry-run', ...srv.dbArgs]);
    assert.equal(restore.code, 0, restore.stderr);

    let check = await c.get(`/api/v1/cases/${caseId}/evidence/integrity`);
    assert.equal(check.status, 200, check.text);
    assert.equal(check.json.intact, true, check.text);

    // A byte of the file and a custody row changed behind the server's back.
    const bytes = fs.readFileSync(stored[0]);
    bytes[bytes.length - 20] ^= 0x01;
    fs.writeFileSync(stored[0], bytes);
    await srv.sql(`UPDATE evidence_custody SET to_holder = 'Someone else' WHERE item_id = ${item.id}`);
    check = await c.get(`/api/v1/cases/${caseId}/evidence/integrity?item=${item.id}`);
    assert.equal(check.status, 200, check.text);
    assert.equal(check.json.intact, false);
    const verdict = check.json.items[0];
    assert.equal(verdict.custody_intact, false);
    assert.match(verdict.custody_problems.join(), /entry 1: its content does not match its hash/);
    assert.equal(verdict.attachments[0].state, 'undecryptable');
    // The other item is still intact.
    const all = (await c.get(`/api/v1/cases/${caseId}/evidence/integrity`)).json.items;
    assert.equal(all.filter((i) => i.intact).length, all.length - 1);
    assertError(await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}/attachments/${up.json.attachment.id}`), 500, 'internal');

    // The printable chain of custody names the damage, in English and in French.
    const en = await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}/print`);
    assert.equal(en.status, 200);
    assert.match(en.headers.get('content-type'), /^text\/html/);
    assert.match(en.text, /Chain of custody/);
    assert.match(en.text, /NOT INTACT/);
    assert.ok(en.text.includes(sha256(content)));
    assert.ok(en.text.includes('@media print'));
    const fr = await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}/print?lang=fr`);
    assert.match(fr.text, /Chaîne de possession/);
    assertError(await c.get(`/api/v1/cases/${caseId}/evidence/${item.id}/print?lang=de`), 400, 'validation_failed', 'lang');

    const actions = await auditActions();
    for (const action of ['evidence.attachment.add', 'evidence.attachment.read', 'evidence.custody.print']) {
      assert.ok(actions.includes(action), `${action} not in ${actions.join()}`);
    }
  });

  it('records IRT deployments with the hours to deploy, and lets the case\'s investigator read only', async () => {
    const c = as[chief.username];
    const made = await c.post(`/api/v1/cases/${caseId}/irt`, {
      alerted_at: '2026-01-09T08:00:00Z', deployed_at: '2026-01-09T14:30:00Z',
      team: 'Lead: A. Brix (CDT)\nMedical: K. Marrow (UNFPA)', place: 'Camp Bravo', actions: 'Secured the room; took two statements',
    });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.deployment.hours_to_deploy, 6.5);
    assertError(await c.post(`/api/v1/cases/${caseId}/irt`,
      { alerted_at: '2026-01-09T08:00:00Z', deployed_at: '2026-01-09T07:00:00Z', team: 'A', place: 'B' }), 422, 'unprocessable', 'deployed_at');
    assertError(await c.post(`/api/v1/cases/${caseId}/irt`, { alerted_at: '2026-01-09T08:00:00Z', place: 'B' }), 400, 'validation_failed', 'team');
    const pending = await c.post(`/api/v1/cases/${caseId}/irt`, { alerted_at: '2026-01-10T08:00:00Z', team: 'A. Brix', place: 'Boali' });
    assert.equal(pending.status, 201, pending.text);
    assert.equal(pending.json.deployment.hours_to_deploy, null);
    const list = await c.get(`/api/v1/cases/${caseId}/irt`);
    assert.deepEqual(list.json.deployments.map((d) => d.hours_to_deploy), [6.5, null]);
    assert.ok((await auditActions()).includes('irt.deployment.create'));

    // Referred to OIOS: its investigator reads the log and the deployments, writes nothing.
    const inv = as[investigator.username];
    assertError(await inv.get(`/api/v1/cases/${caseId}/evidence`), 404, 'not_found');
    let version = (await c.get(`/api/v1/cases/${caseId}`)).json.case.version;
    for (const step of [{ status: 'under_assessment' }, { status: 'referred_for_investigation' }, { status: 'under_investigation', entity: 'oios' }]) {
      const r = await c.post(`/api/v1/cases/${caseId}/transitions`, { ...step, version });
      assert.equal(r.status, 200, r.text);
      version = r.json.case.version;
    }
    const read = await inv.get(`/api/v1/cases/${caseId}/evidence`);
    assert.equal(read.status, 200, read.text);
    assert.ok(read.json.items.length >= 2);
    assert.equal((await inv.get(`/api/v1/cases/${caseId}/irt`)).json.deployments.length, 2);
    assertError(await inv.post(`/api/v1/cases/${caseId}/evidence`, phone()), 403, 'forbidden');
    assertError(await inv.post(`/api/v1/cases/${caseId}/irt`, { alerted_at: '2026-01-10T08:00:00Z', team: 'A', place: 'B' }), 403, 'forbidden');
  });

  it('a case purged by retention takes its evidence rows and files with it', async () => {
    const c = as[chief.username];
    const k = await newCase();
    const item = (await c.post(`/api/v1/cases/${k.id}/evidence`, phone())).json.item;
    const before = new Set(files());
    const up = await c.post(`/api/v1/cases/${k.id}/evidence/${item.id}/attachments`, Buffer.from('synthetic scan'),
      { contentType: 'text/plain', headers: { 'X-Filename': 'scan.txt' } });
    assert.equal(up.status, 201, up.text);
    const stored = files().filter((f) => !before.has(f));
    assert.equal(stored.length, 1);
    assert.equal((await c.post(`/api/v1/cases/${k.id}/irt`, { alerted_at: '2026-01-10T08:00:00Z', team: 'A. Brix', place: 'Boali' })).status, 201);
    let r = await c.post(`/api/v1/cases/${k.id}/transitions`, { status: 'under_assessment', version: k.version });
    assert.equal(r.status, 200, r.text);
    r = await c.post(`/api/v1/cases/${k.id}/transitions`, { status: 'not_sea', version: r.json.case.version, reason: 'the facts are not SEA' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await c.put('/api/v1/retention/policies/cases_closed', { enabled: true, after_days: 30 })).status, 200);
    const future = new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10);
    const purged = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /cases_closed: 1 deleted/);
    assert.ok(!fs.existsSync(stored[0]), 'the evidence file is erased');
    for (const table of ['evidence_items', 'irt_deployments']) {
      assert.equal((await srv.sql(`SELECT COUNT(*) FROM ${table} WHERE case_id = ${k.id}`)).trim(), '0', table);
    }
    assert.equal((await srv.sql(`SELECT COUNT(*) FROM evidence_custody WHERE item_id = ${item.id}`)).trim(), '0');
    // The first case, open, keeps its evidence.
    assert.ok((await c.get(`/api/v1/cases/${caseId}/evidence`)).json.items.length >= 2);
  });
});
