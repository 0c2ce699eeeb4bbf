// End-to-end test of an SMS gateway token in the web app, on a 360 px wide screen, against a
// real psea demo server in headless Chromium: the administrator creates a Twilio token, reads
// the address to paste into Twilio next to the one-time secret, opens the token's gateway
// settings from there (the address offered as the public URL), sees a field the server refuses
// named under its field, saves an auth token and the public URL, and finds them masked, the
// inputs empty; Twilio's signed message is then accepted. The dialog opens again from the
// token's row, closes with Escape (the focus back on its button), and reads in French. A Kannel
// token gets its get-url line and no settings; an Africa's Talking token's API key is saved and
// cleared.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/tokens.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, stopServer, waitForDemo, waitForHealth } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 360, height: 740 };
const AUTH_TOKEN = 'made-up-twilio-auth-token-9f3c';

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the sorted form fields. */
function twilioSignature(authToken, url, form) {
  const data = url + Object.keys(form).sort().map((name) => name + form[name]).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

test('tokens: a Twilio token, its paste-ready address and its gateway settings, at phone width', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  const tmp = await mkdtemp(join(tmpdir(), 'psea-tokens-browser-'));
  const portFile = join(tmp, 'port');
  let server = null;
  let serverOutput = '';
  let browser = null;

  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = spawn(
      PSEA_BINARY,
      ['demo', '--db', `sqlite:${join(tmp, 'psea.db')}`, '--data-dir', join(tmp, 'data'),
        '--listen', '127.0.0.1:0', '--port-file', portFile, '--web', WEB_DIST],
      { cwd: repoRoot, env: { ...process.env, PSEA_ARGON2_PROFILE: 'fast' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout.on('data', (chunk) => (serverOutput += chunk));
    server.stderr.on('data', (chunk) => (serverOutput += chunk));
    const output = () => serverOutput.slice(-6000);
    const { port, accounts } = await waitForDemo(portFile, server, output, ['demo.admin']);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, output);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const foreignRequests = [];
    const pageErrors = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && new URL(url).origin !== baseUrl) foreignRequests.push(url);
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const noHorizontalScroll = async (what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    };

    await page.goto(`${baseUrl}/login`);
    await page.fill('#login-username', 'demo.admin');
    await page.fill('#login-password', accounts['demo.admin']);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${baseUrl}/`);

    // 1. Create a Twilio token: the secret and the address to paste into Twilio, once.
    await page.goto(`${baseUrl}/tokens`);
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.fill('#token-name', 'Twilio hotline');
    await page.getByRole('checkbox', { name: /intake\.sms/ }).check();
    await page.selectOption('#token-gateway', 'twilio');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-secret').waitFor();
    const secret = await page.locator('#token-secret').inputValue();
    assert.match(secret, /^psea_/);
    const hookUrl = `${baseUrl}/api/v1/intake/sms/in/${secret}`;
    await page.getByRole('heading', { name: 'Set up the gateway' }).waitFor();
    assert.equal(await page.locator('#token-setup-0').inputValue(), hookUrl, 'the address for Twilio holds the token');
    assert.equal(await page.getByLabel('Address (URL)').count(), 1);
    await noHorizontalScroll('the new token');
    await page.screenshot({ path: join(SCREENSHOTS, 'token-twilio-created.png'), fullPage: true });

    // 2. Its settings from the secret card: the address offered as the public URL, the auth
    // token a password input, both "Not set", a warning that Twilio is refused until then.
    const card = page.locator('.secret-card');
    await card.getByRole('button', { name: 'Gateway settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gateway settings: Twilio hotline' });
    await dialog.waitFor();
    await dialog.locator('#gw-twilio_auth_token').waitFor();
    assert.equal(await dialog.locator('#gw-twilio_auth_token').getAttribute('type'), 'password');
    assert.equal(await dialog.locator('#gw-twilio_auth_token').inputValue(), '');
    assert.equal(await dialog.locator('#gw-public_url').inputValue(), hookUrl, 'the public URL is offered');
    await dialog.getByText('Messages from Twilio are refused until').waitFor();
    assert.match(await dialog.locator('#gw-twilio_auth_token-hint').innerText(), /Not set\./);

    // 3. A field the server refuses is named under that field (the answer is made up here,
    // since the page checks what it can before sending), and gets the focus.
    await page.route('**/api/v1/intake/sms/gateways/*', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'validation_failed', message: 'twilio_auth_token is too long', field: 'twilio_auth_token' } }),
        })
        : route.continue(),
    );
    await dialog.locator('#gw-twilio_auth_token').fill('refused-by-the-server');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.locator('#gw-twilio_auth_token-error').waitFor();
    assert.match(await dialog.locator('#gw-twilio_auth_token-error').innerText(), /Twilio auth token/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gw-twilio_auth_token');
    await page.unroute('**/api/v1/intake/sms/gateways/*');

    // A public URL that is not http(s) is refused in the page, under its field.
    await dialog.locator('#gw-public_url').fill('ftp://example.org/');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.locator('#gw-public_url-error').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gw-public_url');

    // 4. Save both: they come back masked, the inputs empty, the warning gone.
    await dialog.locator('#gw-twilio_auth_token').fill(AUTH_TOKEN);
    await dialog.locator('#gw-public_url').fill(hookUrl);
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Settings saved.').waitFor();
    assert.match(await dialog.locator('#gw-twilio_auth_token-hint').innerText(), new RegExp(`Saved: \\.\\.\\.${AUTH_TOKEN.slice(-4)}\\.`));
    assert.match(await dialog.locator('#gw-public_url-hint').innerText(), new RegExp(`Saved: \\.\\.\\.${hookUrl.slice(-4)}\\.`));
    assert.equal(await dialog.locator('#gw-twilio_auth_token').inputValue(), '', 'a secret is never shown back');
    assert.equal(await dialog.locator('#gw-public_url').inputValue(), '');
    assert.equal(await dialog.getByText('Messages from Twilio are refused until').count(), 0);
    const pageText = await page.locator('body').innerText();
    assert.ok(!pageText.includes(AUTH_TOKEN), 'the auth token is nowhere on the page');
    await noHorizontalScroll('the settings dialog');
    await page.screenshot({ path: join(SCREENSHOTS, 'token-twilio-settings.png'), fullPage: false });

    // The server has them: a message Twilio signs is filed, one it does not sign is refused.
    const form = { From: '+23670000001', Body: 'Made-up message for the browser test', MessageSid: 'SM0001' };
    const body = new URLSearchParams(form).toString();
    const signed = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(AUTH_TOKEN, hookUrl, form) },
      body,
    });
    assert.equal(signed.status, 200, await signed.clone().text());
    assert.match(await signed.text(), /<Response><Message>/);
    const forged = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature('wrong', hookUrl, form) },
      body,
    });
    assert.equal(forged.status, 401);

    // 5. Escape closes the dialog and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Gateway settings');

    // 6. From the token's row, after the secret is put away: the masks, an explicit clear.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Gateway settings of Twilio hotline' }).click();
    await dialog.waitFor();
    await dialog.locator('#gw-twilio_auth_token-hint').waitFor();
    assert.match(await dialog.locator('#gw-twilio_auth_token-hint').innerText(), /Saved: \.\.\./);
    assert.equal(await dialog.locator('#gw-public_url').inputValue(), '', 'no address offered once one is saved');
    assert.ok(await dialog.getByRole('checkbox', { name: 'Clear the saved Twilio auth token' }).isVisible());
    await page.screenshot({ path: join(SCREENSHOTS, 'token-twilio-settings-row.png'), fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // 7. Kannel: the get-url line with the token as the password of user:pass@; no settings.
    const createToken = async (name, kind) => {
      await page.fill('#token-name', name);
      await page.getByRole('checkbox', { name: /intake\.sms/ }).check();
      await page.selectOption('#token-gateway', kind);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.locator('.secret-card', { hasText: name }).waitFor();
      return page.locator('#token-secret').inputValue();
    };
    const kannelSecret = await createToken('Kannel box', 'kannel');
    assert.equal(
      await page.locator('#token-setup-0').inputValue(),
      `get-url = "http://kannel:${kannelSecret}@127.0.0.1:${port}/api/v1/intake/sms?from=%p&to=%P&text=%a&id=%I&ts=%T&time=%t"`,
    );
    assert.equal(await page.locator('.secret-card').getByRole('button', { name: 'Gateway settings' }).count(), 0, 'Kannel has no settings');
    assert.equal(await page.getByRole('button', { name: 'Gateway settings of Kannel box' }).count(), 0);
    await page.getByRole('button', { name: 'I have stored it' }).click();

    // 8. Africa's Talking: plain values shown as saved and edited in place, the API key masked
    // and cleared with its checkbox.
    const atSecret = await createToken('AT short code', 'africastalking');
    assert.equal(await page.locator('#token-setup-0').inputValue(), `${baseUrl}/api/v1/intake/sms/in/${atSecret}`);
    await page.locator('.secret-card').getByRole('button', { name: 'Gateway settings' }).click();
    const atDialog = page.getByRole('dialog', { name: 'Gateway settings: AT short code' });
    await atDialog.locator('#gw-outgoing_url').waitFor();
    assert.equal(await atDialog.locator('#gw-twilio_auth_token').count(), 0, 'only the fields Africa’s Talking reads');
    await atDialog.locator('#gw-outgoing_url').fill('https://api.sandbox.africastalking.com/version1/messaging');
    await atDialog.locator('#gw-outgoing_username').fill('sandbox');
    await atDialog.locator('#gw-outgoing_secret').fill('made-up-api-key-0123456789');
    await atDialog.locator('#gw-sender').fill('4044');
    await atDialog.getByRole('button', { name: 'Save settings' }).click();
    await atDialog.getByText('Settings saved.').waitFor();
    assert.equal(await atDialog.locator('#gw-outgoing_username').inputValue(), 'sandbox', 'a plain value stays shown');
    assert.equal(await atDialog.locator('#gw-outgoing_secret').inputValue(), '');
    assert.match(await atDialog.locator('#gw-outgoing_secret-hint').innerText(), /Saved: \.\.\.6789\./);
    await atDialog.getByRole('checkbox', { name: 'Clear the saved API key' }).check();
    assert.ok(await atDialog.locator('#gw-outgoing_secret').isDisabled());
    await atDialog.getByRole('button', { name: 'Save settings' }).click();
    await atDialog.locator('#gw-outgoing_secret-hint', { hasText: 'Not set.' }).waitFor();
    assert.equal(await atDialog.getByRole('checkbox', { name: 'Clear the saved API key' }).count(), 0);
    const atSaved = await page.evaluate(async () => {
      const tokens = (await (await fetch('/api/v1/tokens')).json()).tokens;
      const id = tokens.find((token) => token.name === 'AT short code').id;
      return (await fetch(`/api/v1/intake/sms/gateways/${id}`)).json();
    });
    assert.equal(atSaved.outgoing_secret, '');
    assert.equal(atSaved.outgoing_username, 'sandbox');
    assert.equal(atSaved.sender, '4044');
    await page.keyboard.press('Escape');
    await atDialog.waitFor({ state: 'hidden' });

    // 9. In French.
    await page.evaluate(() => localStorage.setItem('psea.locale', 'fr'));
    await page.reload();
    await page.getByRole('button', { name: 'Réglages de la passerelle de Twilio hotline' }).click();
    const dialogFr = page.getByRole('dialog', { name: 'Réglages de la passerelle\u00a0: Twilio hotline' });
    await dialogFr.waitFor();
    await dialogFr.getByText(`Enregistré\u00a0: ...${AUTH_TOKEN.slice(-4)}.`, { exact: false }).waitFor();
    await dialogFr.getByRole('button', { name: 'Enregistrer les réglages' }).waitFor();
    await noHorizontalScroll('the settings dialog in French');
    await page.screenshot({ path: join(SCREENSHOTS, 'token-twilio-settings-fr.png'), fullPage: false });

    const violations = await page.evaluate(() => window.__cspViolations ?? []);
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(foreignRequests, [], 'nothing asked of another site');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } catch (error) {
    if (serverOutput) error.message += `\n--- psea demo output (tail) ---\n${serverOutput.slice(-4000)}`;
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    await rm(tmp, { recursive: true, force: true });
  }
});
