// Redocly's OpenAPI linter (npm @redocly/cli, pinned in tests/package.json) on the document the
// server serves at GET /api/v1/openapi.json, with tests/redocly.yaml: Redocly's recommended
// rules, every warning raised to an error. Integrators and generated clients read that document;
// a problem the linter reports is one a strict client would trip on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT, httpRequest, run, startServer } from '../support/server.mjs';

const REDOCLY = path.join(REPO_ROOT, 'tests', 'node_modules', '.bin', 'redocly');
const CONFIG = path.join(REPO_ROOT, 'tests', 'redocly.yaml');
const skip = fs.existsSync(REDOCLY)
  ? false
  : 'Redocly CLI is not installed (npm package @redocly/cli): run `npm ci` in tests/ (scripts/test does)';

/** `redocly lint` on `file`: {code, totals, problems} from its JSON report. */
async function lint(file) {
  const result = await run(REDOCLY, ['lint', '--config', CONFIG, '--format=json', file], {
    // Nothing leaves the machine: no usage data, no update check.
    env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    assert.fail(`redocly lint exited ${result.code} without a JSON report:\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, totals: report.totals, problems: report.problems };
}

function describe(problems) {
  return problems
    .map((p) => `  ${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`)
    .join('\n');
}

test('Redocly lint finds no error and no warning in the served OpenAPI document', { skip, timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-openapi-'));
  const srv = await startServer();
  try {
    const res = await httpRequest(`${srv.baseUrl}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    assert.equal(res.text, fs.readFileSync(path.join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'),
      'the server serves another document than docs/openapi.json: rebuild psea');
    const served = path.join(dir, 'openapi.json');
    fs.writeFileSync(served, res.body);

    const { code, totals, problems } = await lint(served);
    assert.deepEqual({ errors: totals.errors, warnings: totals.warnings }, { errors: 0, warnings: 0 },
      `redocly lint reports problems in the served document:\n${describe(problems)}`);
    assert.equal(code, 0);

    // The same linter on a copy without the licence and without /healthz's 4xx answer must
    // fail, naming both rules: the configuration is read and strict.
    const document = JSON.parse(res.text);
    delete document.info.license;
    for (const status of Object.keys(document.paths['/healthz'].get.responses)) {
      if (status.startsWith('4')) delete document.paths['/healthz'].get.responses[status];
    }
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify(document, null, 2));
    const control = await lint(broken);
    assert.notEqual(control.code, 0, 'redocly lint passed a document without a licence');
    assert.deepEqual(control.problems.map((p) => p.ruleId).sort(), ['info-license', 'operation-4xx-response']);
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
