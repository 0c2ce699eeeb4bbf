// SMS gateways as they are (docs/operations.md "SMS gateways", docs/api.md "Intake"): a token with
// scope intake.sms names its gateway kind, which decides the request shape, the proof besides the
// token and the answer. Each request below is shaped as the real gateway sends it (Kannel's were
// recorded from Debian's Kannel 1.4.5; the others follow each gateway's documentation).
// - kannel: get-url (GET, Basic auth) and post-url (text/plain with X-Kannel-* headers); answers
//   text/plain, the reply SMS; an unusable message gets a 200 sentence, never a 4xx;
// - rapidpro: the "Call webhook" default JSON with a Bearer token; answers JSON with `reply`;
// - africastalking: the callback form, token in the path; a JSON ack;
// - twilio: the form, token in the path, X-Twilio-Signature checked with the auth token set
//   through PUT /intake/sms/gateways/{id}; answers TwiML;
// - smssync: the form with its secret; answers the payload with the reply as a send task;
// - android: the sms:received event signed with X-Signature and X-Timestamp; a JSON ack;
// - the outbox: africastalking's and android's replies go out through fake APIs on loopback
//   that first answer 500, then 2xx; the retry (backoff shortened with PSEA_SMS_RETRY_BASE_MS)
//   reaches them with the receipt code.
// Also: a time psea cannot read is filed at the time received and noted; a gateway's retry files
// nothing twice; a token used with another kind's shape is refused; no token in the log.
// Numbers and texts are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { startServer, strongPassword, loginEnrolled, assertError, httpRequest, sleep } from '../support/server.mjs';

const chief = { username: 'gwchief', role: 'cdt_chief', password: strongPassword() };
const admin = { username: 'gwadmin', role: 'admin', password: strongPassword() };
const CODE = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

// A gateway's API on loopback: answers 500 to the first request, then `okStatus`; keeps each
// request's headers and body.
async function fakeApi(okStatus) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(requests.length === 1 ? 500 : okStatus, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, url: `http://127.0.0.1:${server.address().port}` };
}

describe('SMS gateways', { timeout: 120000 }, () => {
  let srv;
  let atApi;
  let androidApi;
  let chiefClient;
  let adminClient;
  const tokens = {};

  const mint = async (gateway) => {
    const res = await adminClient.post('/api/v1/tokens', {
      name: `SMS ${gateway}`, scopes: ['intake.sms'], expires_in_days: 30, gateway,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.token.gateway, gateway);
    return { id: res.json.token.id, secret: res.json.secret };
  };
  const send = (method, target, headers = {}, body) => httpRequest(srv.baseUrl + target, { method, headers, body });
  const basic = (password, user = 'kannel') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const detail = async (id) => {
    const res = await chiefClient.get(`/api/v1/intake/complaints/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };

  before(async () => {
    atApi = await fakeApi(201);
    androidApi = await fakeApi(202);
    srv = await startServer({ users: [chief, admin], env: { PSEA_SMS_RETRY_BASE_MS: '200' } });
    chiefClient = (await loginEnrolled(srv, chief)).client;
    adminClient = (await loginEnrolled(srv, admin)).client;
    for (const kind of ['kannel', 'rapidpro', 'africastalking', 'twilio', 'smssync', 'android']) {
      tokens[kind] = await mint(kind);
    }
    const outgoing = {
      africastalking: { outgoing_url: `${atApi.url}/version1/messaging`, outgoing_username: 'sandbox', outgoing_secret: 'at-api-key-0123456789', sender: '28901' },
      android: { outgoing_url: `${androidApi.url}/3rdparty/v1/message`, outgoing_username: 'gwuser', outgoing_secret: 'gw-password-0123456789' },
    };
    for (const [kind, settings] of Object.entries(outgoing)) {
      const res = await adminClient.put(`/api/v1/intake/sms/gateways/${tokens[kind].id}`, settings);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.outgoing_secret.startsWith('...'), true);
    }
  });
  after(async () => {
    if (srv) await srv.stop();
    atApi?.server.close();
    androidApi?.server.close();
  });

  it('tokens name their gateway kind; unknown kinds and kinds on other scopes are refused', async () => {
    const list = await adminClient.get('/api/v1/tokens');
    const byId = Object.fromEntries(list.json.tokens.map((t) => [t.id, t]));
    assert.equal(byId[tokens.twilio.id].gateway, 'twilio');
    const generic = await adminClient.post('/api/v1/tokens', { name: 'default kind', scopes: ['intake.sms'], expires_in_days: 1 });
    assert.equal(generic.json.token.gateway, 'generic');
    const partner = await adminClient.post('/api/v1/tokens', { name: 'partner', scopes: ['intake.partner'], expires_in_days: 1 });
    assert.equal(partner.json.token.gateway, null);
    assertError(await adminClient.post('/api/v1/tokens', { name: 'x', scopes: ['intake.sms'], expires_in_days: 1, gateway: 'nokia' }), 400, 'validation_failed', 'gateway');
    assertError(await adminClient.post('/api/v1/tokens', { name: 'x', scopes: ['intake.partner'], expires_in_days: 1, gateway: 'kannel' }), 400, 'validation_failed', 'gateway');
  });

  it('kannel: get-url and post-url as recorded, the reply as text/plain, a retry answered empty', async () => {
    const auth = basic(tokens.kannel.secret);
    const target = '/api/v1/intake/sms?from=%2B23670002001&to=4044&text=Bonjour+je+signale+un+abus+%C3%A9t%C3%A9'
      + '&id=08874492-2c21-4709-b80a-9fd631dce072&time=2026-12-04+17:39:44&ts=1796405984&coding=1&charset=8-BIT&smsc=fake';
    const first = await send('GET', target, { Connection: 'keep-alive', 'User-Agent': 'Kannel/1.4.5', Authorization: auth });
    assert.equal(first.status, 200, first.text);
    assert.match(first.headers.get('content-type'), /^text\/plain; charset=utf-8/);
    assert.match(first.text, CODE);

    const posted = await send('POST', '/api/v1/intake/sms', {
      'User-Agent': 'Kannel/1.4.5', 'Content-Type': 'text/plain; charset="UTF-8"', 'X-Kannel-From': '+23670002001',
      'X-Kannel-To': '4044', 'X-Kannel-Time': '2026-12-04 17:40:17', Date: '2026-12-04 17:40:17', 'X-Kannel-SMSC': 'fake',
      'X-Kannel-Coding': '0', 'X-Kannel-Service': 'default', Authorization: auth,
    }, Buffer.from('426f6e6a6f757220c3a974c3a9', 'hex'));
    assert.equal(posted.status, 200, posted.text);
    assert.match(posted.text, /Message recu/);

    const retry = await send('GET', target, { Authorization: auth });
    assert.equal(retry.status, 200);
    assert.equal(retry.text, '');

    // The first message's id is in the reply's complaint: find it through the queue.
    const queue = await chiefClient.get('/api/v1/intake/complaints?channel=sms');
    assert.equal(queue.status, 200, queue.text);
    const ids = (queue.json.complaints || queue.json.items || []).map((c) => c.id);
    let found = null;
    for (const id of ids) {
      const d = await detail(id);
      if (d.identifying?.reporter_phone === '+23670002001') found = d;
    }
    assert.ok(found, 'the Kannel complaint is in the queue');
    assert.equal(found.complaint.received_at, '2026-12-04T17:39:44Z');
    assert.equal(found.messages.length, 1);
    assert.equal(found.messages[0].text, 'Bonjour été');
    // post-url's X-Kannel-Time has no zone: noted for the CDT, the message kept.
    assert.ok(found.notes.some((n) => n.text.includes('X-Kannel-Time=2026-12-04 17:40:17')), JSON.stringify(found.notes));
  });

  it('kannel: an unusable message gets a sentence with 200, a bad credential 401, the token in the path works', async () => {
    const auth = basic(tokens.kannel.secret);
    const empty = await send('GET', '/api/v1/intake/sms?from=%2B23670002002&text=&id=k-empty', { Authorization: auth });
    assert.equal(empty.status, 200);
    assert.match(empty.text, /Empty message not recorded/);
    assertError(await send('GET', '/api/v1/intake/sms?from=%2B23670002002&text=x&id=k-bad', { Authorization: basic('psea_wrong') }), 401, 'unauthenticated');
    assertError(await send('GET', '/api/v1/intake/sms/in/psea_wrong?from=%2B23670002002&text=x'), 401, 'unauthenticated');
    const inPath = await send('GET', `/api/v1/intake/sms/in/${tokens.kannel.secret}?from=%2B23670002003&text=Abus&id=k-path&ts=1796405000`);
    assert.equal(inPath.status, 200, inPath.text);
    assert.match(inPath.text, CODE);
    // Neither the path's token nor the Basic password reaches the log (flushed every second).
    await sleep(1500);
    const log = srv.log();
    assert.ok(log.includes('/api/v1/intake/sms/in/{token}'), 'the access log names the pattern');
    assert.equal(log.includes(tokens.kannel.secret), false);
  });

  it('rapidpro: the webhook default body with a Bearer token, answered with reply', async () => {
    const body = JSON.stringify({
      contact: { uuid: '0b9f8a44-5a9c-4d8c-9d5c-3b1d0f6c1e11', name: '', urn: 'tel:+23670002101' },
      flow: { uuid: 'f3c1b1a2-0000-4000-8000-000000000001', name: 'PSEA' },
      path: [], results: {},
      run: { uuid: '9a1e3c3e-0000-4000-8000-000000000002', created_on: '2026-12-04T17:40:00.123456Z' },
      input: {
        uuid: '4b6a1f6e-0000-4000-8000-000000000003', type: 'msg', channel: { uuid: 'c1', name: 'Orange' },
        created_on: '2026-12-04T17:40:01.123456Z', text: 'Je signale un abus', attachments: [],
        urn: { display: '+236 70 00 21 01', path: '+23670002101', scheme: 'tel' },
      },
      channel: { uuid: 'c1', name: 'Orange' },
    });
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.rapidpro.secret}`, 'User-Agent': 'RapidProMailroom/7.0' };
    const res = await send('POST', '/api/v1/intake/sms', headers, body);
    assert.equal(res.status, 201, res.text);
    assert.match(res.json.reply, CODE);
    const again = await send('POST', '/api/v1/intake/sms', headers, body);
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    assert.equal(again.json.complaint_id, res.json.complaint_id);
  });

  it('africastalking: the callback form with the token in the path; its date noted; dedupe by id', async () => {
    const target = `/api/v1/intake/sms/in/${tokens.africastalking.secret}`;
    const form = 'linkId=SampleLinkId123&text=Je+signale+un+abus&to=28901&id=d5c2b1e8-at-1&date=2026-12-04+17%3A41%3A02&from=%2B23670002201';
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const res = await send('POST', target, headers, form);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.duplicate, false);
    const d = await detail(res.json.complaint_id);
    assert.ok(d.notes.some((n) => n.text.includes('date=2026-12-04 17:41:02')), JSON.stringify(d.notes));
    const again = await send('POST', target, headers, form);
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    assertError(await send('POST', target, headers, 'from=%2B23670002201&text=&id=at-2'), 400, 'validation_failed', 'text');
  });

  it('twilio: refused until its auth token is set, then TwiML for a signed request only', async () => {
    const target = `/api/v1/intake/sms/in/${tokens.twilio.secret}`;
    const url = srv.baseUrl + target;
    const params = {
      ToCountry: 'CF', SmsMessageSid: 'SM0000000000000000000000000000a001', NumMedia: '0', SmsSid: 'SM0000000000000000000000000000a001',
      SmsStatus: 'received', Body: 'Je signale un abus & <autre>', To: '+23675000000', NumSegments: '1',
      MessageSid: 'SM0000000000000000000000000000a001', AccountSid: 'AC00000000000000000000000000000000', From: '+23670002301', ApiVersion: '2010-04-01',
    };
    const body = new URLSearchParams(params).toString();
    const authToken = 'twilio-auth-token-0123456789abcdef';
    const signature = createHmac('sha1', authToken)
      .update(url + Object.keys(params).sort().map((k) => k + params[k]).join('')).digest('base64');
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature, 'I-Twilio-Idempotency-Token': 'x' };
    assertError(await send('POST', target, headers, body), 401, 'unauthenticated');

    const set = await adminClient.put(`/api/v1/intake/sms/gateways/${tokens.twilio.id}`, { twilio_auth_token: authToken, public_url: url });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.twilio_auth_token, '...cdef');
    assert.equal(set.text.includes(authToken), false);
    assert.equal(set.text.includes(tokens.twilio.secret), false);
    const shown = await chiefClient.get(`/api/v1/intake/sms/gateways/${tokens.twilio.id}`);
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.text.includes(authToken), false);
    assertError(await chiefClient.put(`/api/v1/intake/sms/gateways/${tokens.twilio.id}`, { outgoing_url: 'ftp://x' }), 400, 'validation_failed', 'outgoing_url');
    // Settings belong to a live SMS token only: an unknown id is not silently stored.
    assertError(await chiefClient.put('/api/v1/intake/sms/gateways/999999', { signing_key: 'k' }), 404, 'not_found', 'token_id');

    const res = await send('POST', target, headers, body);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^text\/xml/);
    assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>.*<\/Message><\/Response>$/);
    assert.match(res.text, CODE);
    assertError(await send('POST', target, { ...headers, 'X-Twilio-Signature': 'AAAA' + signature.slice(4) }, body), 401, 'unauthenticated');
  });

  it('smssync: its secret checked, the reply carried back as a send task', async () => {
    const target = `/api/v1/intake/sms/in/${tokens.smssync.secret}`;
    const set = await chiefClient.put(`/api/v1/intake/sms/gateways/${tokens.smssync.id}`, { signing_key: 'smssync-secret-1' });
    assert.equal(set.status, 200, set.text);
    const form = (secret) => new URLSearchParams({
      from: '+23670002401', message: 'Abus à Bria', message_id: '42a1-ss', sent_to: '+23675000000', secret, device_id: '1', sent_timestamp: '1796405984000',
    }).toString();
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    assertError(await send('POST', target, headers, form('wrong')), 401, 'unauthenticated');
    const res = await send('POST', target, headers, form('smssync-secret-1'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.payload.success, true);
    assert.equal(res.json.payload.error, null);
    assert.equal(res.json.payload.task, 'send');
    assert.equal(res.json.payload.messages[0].to, '+23670002401');
    assert.match(res.json.payload.messages[0].message, CODE);
    assert.match(res.json.payload.messages[0].uuid, /^[0-9a-f]{32}$/);
  });

  it('android: signed with X-Signature and a fresh X-Timestamp', async () => {
    const target = `/api/v1/intake/sms/in/${tokens.android.secret}`;
    const key = 'android-signing-key-1';
    assert.equal((await adminClient.put(`/api/v1/intake/sms/gateways/${tokens.android.id}`, { signing_key: key })).status, 200);
    const body = JSON.stringify({
      deviceId: 'ffffffffceb0b1db0000018e937c815b', event: 'sms:received', id: 'Ey6ECgOkVVFjz3CL48B8C', webhookId: 'LreFUt-Z3sSq0JufY9uWB',
      payload: { messageId: 'abc123', message: 'Je signale un abus', phoneNumber: '+23670002501', simNumber: 1, receivedAt: '2026-12-04T18:41:02.000+01:00' },
    });
    const signed = (timestamp) => ({
      'Content-Type': 'application/json', 'X-Timestamp': String(timestamp),
      'X-Signature': createHmac('sha256', key).update(body + String(timestamp)).digest('hex'),
    });
    const now = Math.floor(Date.now() / 1000);
    assertError(await send('POST', target, signed(now - 3600), body), 401, 'unauthenticated');
    const res = await send('POST', target, signed(now), body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.duplicate, false);
    assert.equal(res.json.reply, undefined);
    const d = await detail(res.json.complaint_id);
    assert.equal(d.complaint.received_at, '2026-12-04T17:41:02Z');
  });

  it('a token used with another kind\'s shape is refused', async () => {
    const kannelWithPseaSignature = await send('POST', `/api/v1/intake/sms/in/${tokens.kannel.secret}`, {
      'Content-Type': 'application/json', 'X-Psea-Signature': `sha256=${'0'.repeat(64)}`,
    }, '{"from":"+23670002601","text":"x","id":"m-1"}');
    assertError(kannelWithPseaSignature, 403, 'forbidden', 'gateway');
    const rapidproWithTwilio = await send('POST', '/api/v1/intake/sms', {
      Authorization: `Bearer ${tokens.rapidpro.secret}`, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'abc',
    }, 'From=%2B23670002601&Body=x');
    assertError(rapidproWithTwilio, 403, 'forbidden', 'gateway');
    const rapidproWithForm = await send('POST', '/api/v1/intake/sms', {
      Authorization: `Bearer ${tokens.rapidpro.secret}`, 'Content-Type': 'application/x-www-form-urlencoded',
    }, 'from=%2B23670002601&text=x');
    assertError(rapidproWithForm, 415, 'unsupported_media_type');
    // Only Kannel sends GET.
    assertError(await send('GET', `/api/v1/intake/sms/in/${tokens.africastalking.secret}?from=%2B23670002601&text=x`), 405, 'method_not_allowed');
  });

  it('the outbox: replies reach the Africa\'s Talking and Android APIs after a 500, with the receipt code', async () => {
    // Sent by the earlier tests; wait for the retry after each fake API's first 500.
    const delivered = async (api, match) => {
      for (let i = 0; i < 100; i += 1) {
        const hit = api.requests.slice(1).find(match);
        if (hit) return hit;
        await sleep(100);
      }
      assert.fail(`no retry reached the fake API: ${JSON.stringify(api.requests)}`);
    };
    const at = await delivered(atApi, (r) => new URLSearchParams(r.body).get('to') === '+23670002201');
    assert.equal(atApi.requests[0].headers.apikey, 'at-api-key-0123456789');
    assert.equal(at.url, '/version1/messaging');
    assert.equal(at.headers.apikey, 'at-api-key-0123456789');
    assert.match(at.headers['content-type'], /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(at.body);
    assert.equal(form.get('username'), 'sandbox');
    assert.equal(form.get('from'), '28901');
    assert.match(form.get('message'), CODE);

    const android = await delivered(androidApi, (r) => r.body.includes('+23670002501'));
    assert.equal(android.url, '/3rdparty/v1/message');
    assert.equal(android.headers.authorization, `Basic ${Buffer.from('gwuser:gw-password-0123456789').toString('base64')}`);
    const sent = JSON.parse(android.body);
    assert.deepEqual(sent.phoneNumbers, ['+23670002501']);
    assert.match(sent.message, CODE);
  });

  it('the console shows a gateway token\'s settings masked and changes them from standard input', async () => {
    const id = String(tokens.africastalking.id);
    const changed = await srv.cli(['intake', 'sms-gateway', '--token-id', id, ...srv.dbArgs], '{"sender": "28902"}');
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /^sender: 28902$/m);
    assert.match(changed.stdout, /^outgoing_secret: \.\.\.6789$/m);
    assert.equal(changed.stdout.includes('at-api-key-0123456789'), false);
    const bad = await srv.cli(['intake', 'sms-gateway', '--token-id', id, ...srv.dbArgs], '{"colour": "red"}');
    assert.notEqual(bad.code, 0);
    const shown = await adminClient.get(`/api/v1/intake/sms/gateways/${id}`);
    assert.equal(shown.json.sender, '28902');
  });
});
