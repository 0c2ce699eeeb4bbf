// Complaint intake over HTTP (docs/api.md, "Intake"), on the engine PSEA_TEST_ENGINE names:
// - staff entry: 201 with a receipt code; every malformed body is a 4xx naming the field, and
//   nothing is written;
// - need-to-know: an operator sees only what they entered, an officer the chief has not named
//   sees no identity, leadership sees nothing, the chief reads the narrative;
// - partner tokens: submit, see their own submissions' status only, no staff endpoint;
// - the public form: HTML answers, 415 for a non-form body, follow-up by receipt code, throttled;
// - the database (SQLite file or a pg_dump) holds no name, phone or narrative in clear.
// Names, numbers and narratives are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'inchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'inofficer', role: 'cdt_officer', password: strongPassword() };
const operatorA = { username: 'inopa', role: 'intake_operator', password: strongPassword() };
const operatorB = { username: 'inopb', role: 'intake_operator', password: strongPassword() };
const leader = { username: 'inleader', role: 'leadership', password: strongPassword() };
const admin = { username: 'inadmin', role: 'admin', password: strongPassword() };

const NAME = 'Velmorine Ostrakova';
const PHONE = '+23670009876';
const NARRATIVE = 'Synthetic narrative about Traskellion near the river crossing.';

function complaint(extra = {}) {
  return {
    channel: 'hotline_4044',
    reporter_relation: 'victim',
    contact_consent: true,
    contact_method: 'phone',
    reporter_name: NAME,
    reporter_phone: PHONE,
    narrative: NARRATIVE,
    prefecture: 'OMP',
    town: 'Boali',
    incident_date_precision: 'month',
    incident_date: '2026-10',
    victims: [{ age: 16, sex: 'female', name: 'Synthetic Victim Name' }],
    perpetrators: [{ category: 'military_contingent', nationality: 'CM', description: 'tall, synthetic' }],
    ...extra,
  };
}

function form(fields) {
  return new URLSearchParams(fields).toString();
}

describe('intake', { timeout: 180000 }, () => {
  let srv;
  const as = {};

  before(async () => {
    srv = await startServer({ users: [chief, officer, operatorA, operatorB, leader, admin] });
    for (const user of [chief, officer, operatorA, operatorB, leader, admin]) {
      as[user.username] = (await loginEnrolled(srv, user)).client;
    }
  });
  after(async () => srv && srv.stop());

  it('staff entry gives a receipt code; bad bodies name their field and write nothing', async () => {
    const op = as[operatorA.username];
    const created = await op.post('/api/v1/intake/complaints', complaint());
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.receipt_code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.equal(created.json.complaint.urgent, true, 'a 16-year-old victim makes it urgent');
    assert.equal(created.json.complaint.victims[0].age_group, 'minor');
    assert.equal(JSON.stringify(created.json.complaint).includes(NAME), false, 'no identity in the clear half');
    // Line breaks are text: a narrative of several paragraphs is accepted as written.
    const multiline = await op.post('/api/v1/intake/complaints', complaint({ narrative: 'First line.\n\nSecond\tparagraph.', perpetrators: [{ description: 'tall\nthin' }] }));
    assert.equal(multiline.status, 201, multiline.text);
    const back = await as[chief.username].get(`/api/v1/intake/complaints/${multiline.json.complaint.id}`);
    assert.equal(back.json.identifying.narrative, 'First line.\n\nSecond\tparagraph.');

    const before = (await as[chief.username].get('/api/v1/intake/complaints?status=all')).json.complaints.length;
    assertError(await op.post('/api/v1/intake/complaints', '{"narrative": '), 400, 'bad_json');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ colour: 'red' })), 400, 'unknown_field', 'colour');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ narrative: undefined })), 400, 'validation_failed', 'narrative');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ channel: 'pigeon' })), 422, 'unprocessable', 'channel');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ victims: [{ age: 30, age_group: 'minor' }] })), 400, 'validation_failed', 'victims[0].age_group');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ victims: [{ colour: 1 }] })), 400, 'unknown_field', 'victims[0].colour');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ victims: [{ age: 200 }] })), 400, 'validation_failed', 'victims[0].age');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ perpetrators: [{ description: 'a\u0007b' }] })), 400, 'validation_failed', 'perpetrators[0].description');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ victims: 'one' })), 400, 'validation_failed', 'victims');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ reporter_phone: '' })), 400, 'validation_failed', 'reporter_phone');
    assertError(await op.post('/api/v1/intake/complaints', complaint({ incident_date: '2026-02-30', incident_date_precision: 'exact' })), 400, 'validation_failed', 'incident_date');
    assertError(await op.post('/api/v1/intake/complaints', 'narrative=x', { contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    const after = (await as[chief.username].get('/api/v1/intake/complaints?status=all')).json.complaints.length;
    assert.equal(after, before, 'nothing half-written');
  });

  it('need-to-know: own complaints for operators, identities for readers only, nothing for leadership', async () => {
    const created = await as[operatorA.username].post('/api/v1/intake/complaints', complaint());
    assert.equal(created.status, 201, created.text);
    const id = created.json.complaint.id;

    const byChief = await as[chief.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(byChief.status, 200, byChief.text);
    assert.equal(byChief.json.identifying.narrative, NARRATIVE);
    assert.equal(byChief.json.identifying.reporter_phone, PHONE);
    assert.deepEqual(byChief.json.identifying.victim_names, ['Synthetic Victim Name']);

    const byOfficer = await as[officer.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(byOfficer.status, 200);
    assert.equal(byOfficer.json.identifying, null);
    assert.equal(byOfficer.json.can_read_identifying, false);

    // The operator who typed it sees its clear half, not the identities (a seized phone of an
    // operator gives away no reporter).
    const byAuthor = await as[operatorA.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(byAuthor.status, 200);
    assert.equal(byAuthor.json.identifying, null);
    assert.equal(byAuthor.json.can_read_identifying, false);
    assertError(await as[operatorB.username].get(`/api/v1/intake/complaints/${id}`), 404, 'not_found');
    assert.equal((await as[operatorB.username].get('/api/v1/intake/complaints')).json.complaints.length, 0);
    assertError(await as[leader.username].get(`/api/v1/intake/complaints/${id}`), 403, 'forbidden');
    assertError(await as[leader.username].get('/api/v1/intake/complaints'), 403, 'forbidden');
    assertError(await as[operatorA.username].post(`/api/v1/intake/complaints/${id}/acknowledge`, {}), 403, 'forbidden');

    // The chief, a reader, adds the officer (with the step-up): now the officer reads it too.
    const officerId = as[officer.username].user.id;
    assertError(await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId }), 401, 'invalid_credentials', 'current_password');
    assertError(await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId, current_password: 'not it', totp_code: '000000' }), 401, 'invalid_credentials', 'current_password');
    const named = await as[chief.username].post('/api/v1/intake/readers', { user_id: officerId, ...(await stepUp(chief)) });
    assert.equal(named.status, 204, named.text);
    const again = await as[officer.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(again.json.identifying.reporter_name, NAME);

    // Working the queue.
    assert.equal((await as[officer.username].post(`/api/v1/intake/complaints/${id}/acknowledge`, {})).status, 204);
    assert.equal((await as[officer.username].post(`/api/v1/intake/complaints/${id}/notes`, { text: 'Called back; synthetic.' })).status, 204);
    assert.equal((await as[officer.username].post(`/api/v1/intake/complaints/${id}/assign`, { assignee: as[officer.username].user.id })).status, 204);
    assertError(await as[officer.username].post(`/api/v1/intake/complaints/${id}/assign`, { assignee: as[leader.username].user.id }), 400, 'validation_failed', 'assignee');
    assertError(await as[officer.username].post(`/api/v1/intake/complaints/${id}/route`, { route: 'moon' }), 422, 'unprocessable', 'route');
    assertError(await as[officer.username].post(`/api/v1/intake/complaints/${id}/status`, { status: 'referred' }), 422, 'unprocessable', 'status');
    const detail = await as[chief.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(detail.json.complaint.status, 'acknowledged');
    assert.equal(detail.json.notes[0].text, 'Called back; synthetic.');
    assert.equal((await as[chief.username].get('/api/v1/intake/alerts')).status, 200);
  });

  it('attachments: sealed, typed from their content, limited, read by readers only', async () => {
    const op = as[operatorA.username];
    const created = await op.post('/api/v1/intake/complaints', complaint());
    const id = created.json.complaint.id;
    const upload = (bytes, name, client = op) => client.request('POST', `/api/v1/intake/complaints/${id}/attachments`, bytes, {
      contentType: 'image/png', headers: { 'X-Filename': encodeURIComponent(name) },
    });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 7)]);
    const sent = await upload(pdf, 'récit synthétique.png');
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.json.attachment.content_type, 'application/pdf', 'the declared type and the name are not believed');
    assertError(await upload(Buffer.from('MZ\x90\x00program'), 'photo.jpg'), 415, 'unsupported_media_type');
    assertError(await upload(Buffer.alloc(0), 'empty.txt'), 400, 'validation_failed');
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'big.bin');
    assert.equal(big.status, 413);
    assertError(await as[operatorB.username].request('POST', `/api/v1/intake/complaints/${id}/attachments`, pdf, { contentType: 'application/pdf' }), 404, 'not_found');

    const detail = await as[chief.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(detail.json.attachments.length, 1);
    assert.equal(detail.json.attachments[0].filename, 'récit synthétique.png');
    const back = await as[chief.username].get(`/api/v1/intake/complaints/${id}/attachments/${detail.json.attachments[0].id}`);
    assert.equal(back.status, 200);
    assert.equal(back.headers.get('content-type'), 'application/pdf');
    // Saved under its own name (RFC 6266: an ASCII fallback and the UTF-8 name), not attachment-N.
    assert.equal(back.headers.get('content-disposition'),
      `attachment; filename="recit synthetique.png"; filename*=UTF-8''${encodeURIComponent('récit synthétique.png')}`);
    assert.equal(Buffer.from(back.text, 'latin1').length > 0, true);
    // An officer removed from the readers sees that the file exists, not what it is.
    const removed = await as[chief.username].post('/api/v1/intake/readers/remove', { user_id: as[officer.username].user.id, ...(await stepUp(chief)) });
    assert.equal(removed.status, 204, removed.text);
    assertError(await as[officer.username].get(`/api/v1/intake/complaints/${id}/attachments/${detail.json.attachments[0].id}`), 403, 'forbidden');
    const unnamed = await as[officer.username].get(`/api/v1/intake/complaints/${id}`);
    assert.equal(unnamed.json.attachments[0].filename, null);

    // 50 MiB per complaint: five files of 10 MiB fit, not a sixth byte.
    const ten = Buffer.alloc(10 * 1024 * 1024, 0x41);
    const other = (await op.post('/api/v1/intake/complaints', complaint())).json.complaint.id;
    for (let i = 0; i < 5; i += 1) {
      const r = await op.request('POST', `/api/v1/intake/complaints/${other}/attachments`, ten, { contentType: 'text/plain', timeoutMs: 60000 });
      assert.equal(r.status, 201, r.text);
    }
    const over = await op.request('POST', `/api/v1/intake/complaints/${other}/attachments`, Buffer.from('one more'), { contentType: 'text/plain' });
    assertError(over, 413, 'payload_too_large');
  });

  it('partner tokens submit and see only their own', async () => {
    const mint = async (name) => (await as[admin.username].post('/api/v1/tokens', { name, scopes: ['intake.partner'], expires_in_days: 30 })).json.secret;
    const partner = srv.client({ bearer: await mint('NGO one') });
    const other = srv.client({ bearer: await mint('NGO two') });
    const body = complaint();
    delete body.channel;
    const sent = await partner.post('/api/v1/intake/partner/complaints', body);
    assert.equal(sent.status, 201, sent.text);
    assert.match(sent.json.receipt_code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.equal(sent.json.status, 'received');
    assert.equal((await partner.get('/api/v1/intake/partner/complaints')).json.complaints.length, 1);
    assert.equal((await other.get('/api/v1/intake/partner/complaints')).json.complaints.length, 0);
    assertError(await partner.get('/api/v1/intake/complaints'), 403, 'forbidden');
    assertError(await partner.post('/api/v1/intake/partner/complaints', { ...body, channel: 'sms' }), 400, 'unknown_field', 'channel');
    assertError(await as[chief.username].post('/api/v1/intake/partner/complaints', body), 403, 'forbidden');
  });

  it('the public form: HTML, receipt code, follow-up, throttled', async () => {
    const anon = srv.client();
    const page = await anon.get('/report');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal(page.headers.get('set-cookie'), null);
    const post = (fields, opts = {}) => anon.post('/report', form(fields), { contentType: 'application/x-www-form-urlencoded', ...opts });
    const bad = await post({ narrative: '', lang: 'en' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /narrative/);
    assert.equal((await post({ narrative: 'x', lang: 'en', colour: 'red' })).status, 400);
    assert.equal((await anon.post('/report', { narrative: 'json' })).status, 415);
    const ok = await post({ narrative: NARRATIVE, lang: 'en', identity: 'named', reporter_name: NAME });
    assert.equal(ok.status, 201, ok.text.slice(0, 500));
    const code = ok.text.match(/id="receipt">([0-9A-Z-]{19})</)[1];
    assert.equal(ok.headers.get('set-cookie'), null);

    const follow = (fields) => anon.post('/report/follow-up', form(fields), { contentType: 'application/x-www-form-urlencoded' });
    const seen = await follow({ code, lang: 'en' });
    assert.equal(seen.status, 200);
    assert.match(seen.text, /Received/);
    const sent = await follow({ code, lang: 'en', message: 'A synthetic question.' });
    assert.equal(sent.status, 200);
    assert.match(sent.text, /A synthetic question\./);
    const wrong = await follow({ code: 'ABCD-EFGH-JKMN-PQRS', lang: 'en' });
    assert.equal(wrong.status, 404);
    let limited = null;
    for (let i = 0; i < 12 && !limited; i += 1) {
      const r = await follow({ code: 'ABCD-EFGH-JKMN-PQRS', lang: 'en' });
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, 'receipt look-ups are throttled');
  });

  it('validation on /report speaks the page\'s language, without field names', async () => {
    const anon = srv.client();
    const post = (fields) => anon.post('/report', form(fields), { contentType: 'application/x-www-form-urlencoded' });
    const errorParagraph = (html) => (html.match(/<p class="error" role="alert" id="error">([^<]*)<\/p>/) || [])[1] || '';
    const cases = [
      // A value outside a list is well-formed but unknown: 422, like the API.
      [{ narrative: 'Synthetic.', victim_age_group: 'teen' }, "Choisissez la tranche d'âge de la victime 1.", 'Choose the age group of victim 1.', 422],
      [{ narrative: ' ' }, "Écrivez ce qui s'est passé", 'Write what happened', 400],
      [{ narrative: 'Synthetic.', contact_consent: '1', contact_method: 'sms' }, 'Donnez votre numéro de téléphone', 'Give your phone number', 400],
      [{ narrative: 'Synthetic.', colour: 'red' }, 'Le formulaire a changé', 'The form has changed', 400],
    ];
    for (const [fields, fr, en, status] of cases) {
      for (const [lang, expected] of [['fr', fr], ['en', en]]) {
        const r = await post({ ...fields, lang });
        assert.equal(r.status, status, r.text.slice(0, 300));
        const message = errorParagraph(r.text);
        assert.ok(message.includes(expected.replace(/'/g, '&#39;')), `${lang}: ${message}`);
        assert.doesNotMatch(message, /victims\[|age_group|narrative|reporter_|must be one of|unknown field/);
      }
    }
  });

  it('the database holds no name, phone or narrative in clear', async () => {
    const bytes = await srv.databaseBytes();
    assert.ok(bytes.length > 10000);
    for (const secret of [NAME, PHONE, 'Traskellion', 'Synthetic Victim Name', 'A synthetic question']) {
      assert.equal(bytes.includes(secret), false, `${secret} found in the database`);
    }
  });
});
